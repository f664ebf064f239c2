/**
 * `npm run check` exists to say whether `npm run build` would refuse a manuscript, and what it
 * would warn about. Both prepare the publication set through scripts/prepare.ts; this suite holds
 * them to it on every fixture that has problems: a manuscript the build refuses makes check fail
 * with the very same problems, and every warning the build gives, check gives too.
 *
 * The build is run with --strict and a browser that must never start: every problem here is
 * found before anything is printed, where check finds them. check runs without epubcheck here
 * (WITHOUT_EPUBCHECK: it then says so, in one more warning): what epubcheck finds is check's
 * own, tested in check.test.ts.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManuscriptProblems, isProblem } from '../scripts/base/problems.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import { build } from '../scripts/build.js';
import { check } from '../scripts/check/check.js';
import { runScript, tempDir, WITHOUT_EPUBCHECK } from './support/cli.js';
import { translatedArticle } from './support/languages.js';

const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');

/** A problem as a person reads it: where, how bad, what. */
const shown = (message: VFileMessage) => `${path.relative(fixtures, String(message.file ?? ''))}:${message.line ?? 0}:${message.column ?? 0} ${message.fatal ? 'error' : 'warning'} ${message.reason}`;

const noBrowser = () => new SharedBrowser(() => Promise.reject(new Error('the browser was started, but every problem is found before printing')));

/** What the build says of `input` before it prints: refused with these problems, or these warnings (with --strict, nothing written). */
async function buildVerdict(input: string): Promise<{ refused: boolean; messages: string[] }> {
  const outDir = await tempDir('press-agreement-');
  try {
    const { files, warnings } = await build({ input, outDir, formats: ['pdf', 'epub'], strict: true, browser: noBrowser() });
    expect(files).toEqual([]);
    return { refused: false, messages: warnings.map(shown) };
  } catch (error) {
    if (error instanceof ManuscriptProblems) return { refused: true, messages: error.messages.map(shown) };
    if (isProblem(error)) return { refused: true, messages: [shown(error)] };
    throw error;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Every fixture with problems: each refused one, each that only warns. */
const cases = [
  ...(await readdir(path.join(fixtures, 'bad'))).map((name) => path.join('bad', name)),
  ...(await readdir(path.join(fixtures, 'unsafe'))).filter((name) => name.endsWith('.md')).map((name) => path.join('unsafe', name)),
  path.join('warnings', 'article.md'),
];

describe('npm run check and npm run build agree', () => {
  const made: string[] = [];
  beforeAll(() => void vi.stubEnv('EPUBCHECK_JAR', WITHOUT_EPUBCHECK.EPUBCHECK_JAR));
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all(made.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it.each(cases)('on %s', async (fixture) => {
    const input = path.join(fixtures, fixture);
    const built = await buildVerdict(input);
    expect(built.messages.length, 'a fixture with problems').toBeGreaterThan(0);
    const checked = (await check(input)).messages.map(shown);
    if (built.refused) {
      // Refused: check fails with the same problems, errors and warnings, in the same order.
      expect(checked).toEqual(built.messages);
      expect(checked.some((line) => / error /.test(line))).toBe(true);
    } else {
      // Warnings: check lists every one of them (and may add epubcheck's and readability's own).
      expect(checked).toEqual(expect.arrayContaining(built.messages));
      expect(checked.some((line) => / error /.test(line))).toBe(false);
    }
  });

  it('on language-assistance lines: a missing taglines.yaml is an error to both, a language without a line a warning to both', async () => {
    const input = await translatedArticle();
    made.push(path.dirname(input));
    const lines = await readFile(path.join(path.dirname(input), 'taglines.yaml'), 'utf8');
    // No line for Japanese.
    await writeFile(path.join(path.dirname(input), 'taglines.yaml'), lines.replace(/^ja: .*$/m, ''));
    const withoutJapanese = await buildVerdict(input);
    expect(withoutJapanese.refused).toBe(false);
    expect(withoutJapanese.messages).toContainEqual(expect.stringMatching(/foot-massage\.md:2:1 warning taglines\.yaml has no language-assistance line for ja$/));
    expect((await check(input)).messages.map(shown)).toEqual(expect.arrayContaining(withoutJapanese.messages));

    // No file at all: the build refuses, and so does check, through the command a writer runs.
    await rm(path.join(path.dirname(input), 'taglines.yaml'));
    const refused = await buildVerdict(input);
    expect(refused).toEqual({ refused: true, messages: [expect.stringMatching(/foot-massage\.md:2:1 error `taglines: true` needs taglines\.yaml beside the manuscript/)] });
    const { code, stdout } = await runScript('check', [input], WITHOUT_EPUBCHECK);
    expect(code).toBe(1);
    expect(stdout).toMatch(/foot-massage\.md:2:1: error `taglines: true` needs taglines\.yaml beside the manuscript/);
  });

  it('on a translation past its own review date', async () => {
    const input = await translatedArticle();
    made.push(path.dirname(input));
    const spanish = path.join(path.dirname(input), 'foot-massage.es.md');
    await writeFile(spanish, (await readFile(spanish, 'utf8')).replace(/^---\n/, '---\nnextReview: 2001-01-01\n'));
    const built = await buildVerdict(input);
    expect(built.messages).toContainEqual(expect.stringMatching(/foot-massage\.es\.md:2:1 warning review overdue: the next review was due on 2001-01-01/));
    expect((await check(input)).messages.map(shown)).toEqual(expect.arrayContaining(built.messages));
  });

  it('on a language with no message file: its imprint and navigation are English, and both say so at `lang`', async () => {
    const folder = await tempDir('press-agreement-');
    made.push(folder);
    const input = path.join(folder, 'massage.md');
    await writeFile(input, '---\ntitle: Le massage des pieds\nauthor: Équipe\npublisher: Clinique\nlang: fr\n---\n\n# Le massage des pieds\n\nUn massage doux aide à se détendre.\n');
    const built = await buildVerdict(input);
    expect(built).toEqual({
      refused: false,
      messages: [expect.stringMatching(/massage\.md:5:1 warning no message file for fr: the imprint, the ebook's navigation and the web page are in English$/)],
    });
    expect((await check(input)).messages.map(shown)).toEqual(expect.arrayContaining(built.messages));
  });
});
