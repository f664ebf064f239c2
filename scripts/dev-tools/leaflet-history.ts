/**
 * The clinic leaflet's history, made for the tests and for the README's pictures of a review copy
 * (review-pictures.ts): a git repository in a temporary folder with three
 * versions of test/fixtures/leaflet/heel-pain.md, each a commit that sets `version` (1, 2, 3), and
 * what a review copy between version 1 and version 3 must mark: the words each edit took out and
 * put in, and the front matter keys it changed. Version 2 also makes changes to the Markdown that
 * print the same (emphasis written another way, a paragraph rewrapped, a list numbered `1.` `1.` `1.`),
 * which no review copy may show.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../base/project-root.js';

const run = promisify(execFile);

/** One edit: the Markdown replaced, and what the review copy marks deleted and inserted for it (in reading order). */
interface Edit {
  from: string;
  to: string;
  deleted?: string;
  inserted?: string;
}

/** Version 2: the text's edits, and Markdown that prints the same. */
export const VERSION_2: Edit[] = [
  { from: 'version: "2.1"', to: 'version: "2"' },
  { from: 'subtitle: Stretching and massage you can do at home', to: 'subtitle: Stretches and massage you can do at home' },
  { from: 'Do these stretches three times a day', to: 'Do these stretches twice a day', deleted: 'three times', inserted: 'twice' },
  { from: '| Rolling massage | Twice a day, five minutes |', to: '| Rolling massage | Twice a day, ten minutes |', deleted: 'five', inserted: 'ten' },
  // Printed the same: none of these is a change a reader sees.
  { from: 'your foot **every morning** before', to: 'your foot __every morning__ before' },
  { from: 'It happens when the thick band of tissue that runs along the sole of your foot,', to: 'It happens when the thick band of tissue\nthat runs along the sole of your foot,' },
  { from: '2. Roll your foot forwards', to: '1. Roll your foot forwards' },
  { from: '3. Press a little harder', to: '1. Press a little harder' },
];

/** Version 3: edits of words, of a sentence, of a call-out, a new paragraph, and the front matter of a review. */
export const VERSION_3: Edit[] = [
  { from: 'version: "2"', to: 'version: "3"' },
  { from: 'reviewed: 2025-09-15', to: 'reviewed: 2026-02-01' },
  { from: 'nextReview: 2027-09-15', to: 'nextReview: 2029-02-01' },
  { from: '  - "Email: podiatry@clinic.example.org"', to: '  - "Email: feet@clinic.example.org"' },
  {
    from: '  - Call us if the pain is no better after six weeks of exercises.',
    to: '  - Call us if the pain is no better after six weeks of stretching.',
    deleted: 'exercises',
    inserted: 'stretching',
  },
  {
    from: '  - "[Royal College of Podiatry: heel pain](https://rcpod.example.org/heel-pain)"',
    to: '  - "[Royal College of Podiatry: heel pain](https://rcpod.example.org/heel-pain)"\n  - "NHS. Plantar fasciitis. Health A to Z, 2025."',
    inserted: 'NHS. Plantar fasciitis. Health A to Z, 2025.',
  },
  {
    from: ' It often eases as you walk about, then comes back after a long day on your feet.',
    to: '',
    deleted: 'It often eases as you walk about, then comes back after a long day on your feet.',
  },
  {
    from: 'Massage loosens the plantar fascia and helps',
    to: 'Massage loosens the plantar fascia and gently helps',
    inserted: 'gently',
  },
  {
    from: '> Check your skin after each use for redness or blisters.',
    to: '> Check your skin after each use for redness, swelling or blisters.',
    inserted: ', swelling',
  },
  {
    from: 'Some signs need a doctor sooner.',
    to: 'Some signs need a doctor sooner.\n\nBring this leaflet to your next appointment.',
    inserted: 'Bring this leaflet to your next appointment.',
  },
];

/** The front matter keys a review copy from version 1 to version 3 lists, with what it says of each. */
export const FRONT_MATTER_CHANGES = [
  'Subtitle — was: Stretching and massage you can do at home; now: Stretches and massage you can do at home',
  'Last reviewed — was: 15 September 2025; now: 1 February 2026',
  'Next review due — was: 15 September 2027; now: 1 February 2029',
  'Version — was: 1; now: 3',
  'Contact — removed: Email: podiatry@clinic.example.org; added: Email: feet@clinic.example.org',
  'Key points — removed: Call us if the pain is no better after six weeks of exercises.; added: Call us if the pain is no better after six weeks of stretching.',
  'References — added: NHS. Plantar fasciitis. Health A to Z, 2025.',
];

/** The edits' marks, in the order they stand in the leaflet (the key points first, the references last). */
export const MARKS_IN_ORDER: Edit[] = [VERSION_3[4]!, VERSION_3[6]!, VERSION_2[2]!, VERSION_3[7]!, VERSION_3[8]!, VERSION_2[3]!, VERSION_3[9]!, VERSION_3[5]!];

export interface LeafletHistory {
  /** The repository's folder. */
  root: string;
  /** The leaflet in it, at version 3. */
  leaflet: string;
  /** Commits, oldest first. */
  commits: string[];
}

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => run('git', args, { cwd, env: { ...process.env, ...env } }).then(({ stdout }) => stdout.trim());

/** The days of the three commits: the same history, the same commits, every time it is made. */
const COMMIT_DAYS = ['2025-09-15T10:00:00Z', '2025-11-20T10:00:00Z', '2026-02-01T10:00:00Z'];

/** Applies each edit, failing loudly when the fixture no longer holds the text an edit replaces. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  return edits.reduce((result, { from, to }) => {
    if (!result.includes(from)) throw new Error(`the leaflet fixture no longer has: ${from}`);
    return result.replace(from, to);
  }, text);
}

/** The leaflet fixture the history is made from. */
export const LEAFLET_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'leaflet', 'heel-pain.md');

/** A repository with the leaflet at versions 1, 2 and 3, one commit each, in a new folder of the system's temporary folder. */
export async function leafletHistory(): Promise<LeafletHistory> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'press-history-'));
  const leaflet = path.join(root, 'heel-pain.md');
  await git(root, ['init', '--quiet', '--initial-branch=main']);
  await git(root, ['config', 'user.email', 'writer@clinic.example.org']);
  await git(root, ['config', 'user.name', 'Leaflet Writer']);
  await git(root, ['config', 'commit.gpgsign', 'false']);
  await copyFile(LEAFLET_FIXTURE, leaflet);
  const original = await readFile(leaflet, 'utf8');
  const version1 = original.replace('version: "2.1"', 'version: "1"');
  const version2 = applyEdits(original, VERSION_2);
  const version3 = applyEdits(version2, VERSION_3);
  const commits: string[] = [];
  for (const [index, text] of [version1, version2, version3].entries()) {
    await writeFile(leaflet, text);
    await git(root, ['add', 'heel-pain.md']);
    const day = COMMIT_DAYS[index]!;
    await git(root, ['commit', '--quiet', '-m', `Heel pain leaflet, version ${index + 1}`], { GIT_AUTHOR_DATE: day, GIT_COMMITTER_DATE: day });
    commits.push(await git(root, ['rev-parse', 'HEAD']));
  }
  return { root, leaflet, commits };
}
