/**
 * `npm run review -- approve`: the sign-off recorded in the front matter, and nothing else in the
 * file changed: compared byte for byte with the file before, line by line.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../scripts/review/approve.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { fixture, runScript, tempDir } from './support/cli.js';

/** SOURCE_DATE_EPOCH of 2026-03-01: the day of the review. */
const REVIEW_DAY = { SOURCE_DATE_EPOCH: '1772323200' };

async function copyOf(name: string, text?: (original: string) => string): Promise<{ file: string; before: string }> {
  const folder = await tempDir('press-approve-');
  const file = path.join(folder, path.basename(name));
  await copyFile(fixture(name), file);
  if (text) await writeFile(file, text(await readFile(file, 'utf8')));
  return { file, before: await readFile(file, 'utf8') };
}

/** The lines that differ, as [before, after], when the two texts have the same number of lines. */
function changedLines(before: string, after: string): [string, string][] {
  const old = before.split('\n');
  const now = after.split('\n');
  expect(now).toHaveLength(old.length);
  return old.flatMap((line, index) => (line === now[index] ? [] : [[line, now[index]!] as [string, string]]));
}

describe('approve', () => {
  it('changes only reviewed, nextReview and reviewedBy on the leaflet fixture: every other byte is as it was', async () => {
    const { file, before } = await copyOf('leaflet/heel-pain.md');
    const result = await runScript('review', ['approve', file, '--by', 'Dr Sam Okafor, Consultant Podiatrist'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('reviewed: 2026-03-01, nextReview: 2029-03-01, reviewedBy: Dr Sam Okafor, Consultant Podiatrist');
    const after = await readFile(file, 'utf8');
    expect(changedLines(before, after)).toEqual([
      ['reviewed: 2025-09-15', 'reviewed: 2026-03-01'],
      ['nextReview: 2027-09-15', 'nextReview: 2029-03-01'],
      // A reviewer given as a name and a role stays so.
      ['  name: Dr Ana Ruiz', '  name: Dr Sam Okafor'],
    ]);
    // Byte for byte: the same bytes before the first change and after the last.
    const firstChange = [...before].findIndex((character, index) => character !== after[index]);
    expect(after.slice(0, firstChange)).toBe(before.slice(0, firstChange));
    expect(after.slice(after.indexOf('  role: Consultant Podiatrist'))).toBe(before.slice(before.indexOf('  role: Consultant Podiatrist')));
    const { metadata } = await loadManuscript(file);
    expect(metadata).toMatchObject({ reviewed: '2026-03-01', nextReview: '2029-03-01', reviewedBy: 'Dr Sam Okafor, Consultant Podiatrist', version: '2.1' });
  });

  it('sets the version only when asked, in the quoting it had', async () => {
    const { file, before } = await copyOf('leaflet/heel-pain.md');
    const result = await runScript('review', ['approve', file, '--by', 'Dr Ana Ruiz, Consultant Podiatrist', '--version', '2.10', '--date', '2026-02-14'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(changedLines(before, await readFile(file, 'utf8'))).toEqual([
      ['reviewed: 2025-09-15', 'reviewed: 2026-02-14'],
      ['nextReview: 2027-09-15', 'nextReview: 2029-02-14'],
      ['version: "2.1"', 'version: "2.10"'],
    ]);
  });

  it('keeps comments, key order and quoting, and adds a missing key after its neighbours', async () => {
    const { file, before } = await copyOf('leaflet/heel-pain.md', (text) =>
      text
        .replace('reviewed: 2025-09-15\n', '')
        .replace('nextReview: 2027-09-15', "nextReview: '2027-09-15'   # the NHS asks for three years")
        .replace('reviewedBy:\n  name: Dr Ana Ruiz\n  role: Consultant Podiatrist\n', 'reviewedBy: "Dr Ana Ruiz, Consultant Podiatrist"\n'),
    );
    const result = await runScript('review', ['approve', file, '--by', 'Sam Lee, Podiatrist'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added).toEqual(['reviewed: 2026-03-01', "nextReview: '2029-03-01'   # the NHS asks for three years", 'reviewedBy: "Sam Lee, Podiatrist"']);
    // The new key stands after `published`, as the schema orders them.
    expect(after).toContain('published: 2024-03-01\nreviewed: 2026-03-01\nnextReview:');
    expect(after.split('\n')).toHaveLength(before.split('\n').length + 1);
  });

  it('sets the next review the front matter’s reviewInterval later, or the library’s', async () => {
    const { file } = await copyOf('leaflet/heel-pain.md', (text) => text.replace('notesSpace: 5\n', 'notesSpace: 5\nreviewInterval: 18 months\n'));
    await runScript('review', ['approve', file, '--by', 'Sam Lee'], REVIEW_DAY);
    expect((await loadManuscript(file)).metadata.nextReview).toBe('2027-09-01');

    const library = await tempDir('press-approve-library-');
    await copyFile(fixture('library/library.yaml'), path.join(library, 'library.yaml'));
    await writeFile(path.join(library, 'library.yaml'), `${await readFile(path.join(library, 'library.yaml'), 'utf8')}reviewInterval: 2 years\n`);
    await copyFile(fixture('library/tired-feet.md'), path.join(library, 'tired-feet.md'));
    const result = await runScript('review', ['approve', path.join(library, 'tired-feet.md'), '--by', 'Sam Lee'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(library, 'tired-feet.md'), 'utf8')).toMatch(/^nextReview: 2028-03-01$/m);
  });

  it('counts months as the calendar does', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-08-31', 18)).toBe('2027-02-28');
    expect(addMonths('2026-03-01', 36)).toBe('2029-03-01');
  });

  it('refuses, writing nothing, when --by is missing or the review would come before publication', async () => {
    const { file, before } = await copyOf('leaflet/heel-pain.md');
    const missing = await runScript('review', ['approve', file], REVIEW_DAY);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('approve needs --by: who reviewed the leaflet');
    const early = await runScript('review', ['approve', file, '--by', 'Sam Lee', '--date', '2023-01-01'], REVIEW_DAY);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('the front matter would not be valid: `reviewed` (2023-01-01) is before `published` (2024-03-01)');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
