import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEpub } from '../scripts/check/check.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { GRADE_LIMIT, LONG_SENTENCE_WORDS, measureReadability } from '../scripts/check/readability.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { runScript } from './support/cli.js';
import { openEpub, seedText } from './support/outputs.js';
import { sharedBuild } from './support/shared-builds.js';

const check = (args: string[]) => runScript('check', args);

async function manuscriptFrom(markdown: string) {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-readability-'));
  await writeFile(path.join(folder, 'text.md'), `---\ntitle: Plain Words\nauthor: Test\n---\n\n${markdown}`);
  return loadManuscript(folder);
}

describe('readability', () => {
  it('counts sentences, words and syllables with the Flesch–Kincaid and Flesch formulas', async () => {
    // 2 sentences, 9 words of one syllable each.
    const report = measureReadability(await manuscriptFrom('# Plain Words\n\nThe cat sat on the mat. The dog ran.\n'));
    const [section] = report.sections;
    expect(section).toMatchObject({ title: 'Plain Words', sentences: 2, words: 9, syllables: 9, wordsPerSentence: 4.5 });
    expect(section!.grade).toBeCloseTo(0.39 * 4.5 + 11.8 * 1 - 15.59, 6);
    expect(section!.ease).toBeCloseTo(206.835 - 1.015 * 4.5 - 84.6 * 1, 6);
    expect(report.overall.words).toBe(9);
  });

  it('finds in the article the sentences and words of the client’s text', async () => {
    const { sentences } = await seedText();
    const report = measureReadability(await loadManuscript(path.join(PROJECT_ROOT, 'manuscript')));
    expect(report.overall.sentences).toBe(sentences.length);
    expect(report.overall.words).toBe(sentences.join(' ').split(/\s+/).length);
    expect(report.sections.reduce((sum, section) => sum + section.words, 0)).toBe(report.overall.words);
  });

  it('warns at the heading of a section above grade 8 and lists its long sentences', async () => {
    const hard =
      'Comprehensive physiological evaluation of musculoskeletal inflammatory conditions necessitates ' +
      'interdisciplinary collaboration between rheumatologists, podiatrists, physiotherapists and ' +
      'occupational therapists, particularly considering the considerable variability of individual presentations ' +
      'in elderly populations.';
    const manuscript = await manuscriptFrom(`# Plain Words\n\nFeet help us walk.\n\n## Hard Words\n\n${hard}\n`);
    const lines = String(manuscript.files[0]!.file.value).split('\n');
    const lineOf = (text: string) => lines.indexOf(text) + 1;
    const report = measureReadability(manuscript);
    const hardSection = report.sections.find((section) => section.title === 'Hard Words')!;
    expect(hardSection.grade).toBeGreaterThan(GRADE_LIMIT);
    expect(hardSection.longSentences).toEqual([
      expect.objectContaining({ line: lineOf(hard), column: 1, words: hard.split(' ').length, text: hard }),
    ]);
    const warnings = manuscript.files[0]!.file.messages.filter((message) => message.ruleId === 'readability');
    expect(warnings.map((message) => [message.line, message.fatal])).toContainEqual([lineOf('## Hard Words'), false]);
    expect(warnings.some((message) => message.reason.startsWith('section “Plain Words”'))).toBe(false); // "Feet help us walk." is easy
  });
});

describe('npm run check', () => {
  it('prints the readability report for the article, per section and overall, and exits 0', async () => {
    const { code, stdout } = await check([]);
    expect(code).toBe(0);
    const manuscript = await loadManuscript(path.join(PROJECT_ROOT, 'manuscript'));
    const sections = manuscript.files[0]!.tree.children.filter((node) => node.type === 'heading' && node.depth <= 2);
    const rows = stdout.split('\n').filter((line) => /^ {2}\S.*\s-?\d+\.\d\s+-?\d+\.\d\s+\d+\.\d\s+\d+/.test(line));
    expect(rows.length).toBe(sections.length + 1);
    expect(rows.at(-1)).toMatch(/^ {2}Overall\s/);
    for (const row of rows) {
      const grade = Number(/\s(-?\d+\.\d)\s/.exec(row)![1]);
      expect(row.endsWith(`above ${GRADE_LIMIT}`), row).toBe(grade > GRADE_LIMIT);
    }
    // Each long sentence is listed at its place in the manuscript, and really is long.
    const source = (await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8')).split('\n');
    const listed = [...stdout.matchAll(/^ {2}(\S+\.md):(\d+):(\d+) \((\d+) words\) (.+)$/gm)];
    expect(listed.length).toBeGreaterThan(0);
    for (const [, , line, column, words, text] of listed) {
      expect(Number(words)).toBeGreaterThan(LONG_SENTENCE_WORDS);
      expect(text!.split(/\s+/).length).toBeGreaterThan(LONG_SENTENCE_WORDS);
      expect(source[Number(line) - 1]!.slice(Number(column) - 1).startsWith(text!.split(' ').slice(0, 4).join(' '))).toBe(true);
    }
    expect(stdout).toMatch(/\n0 errors, \d+ warnings\n$/);
  });

  it('exits non-zero for a manuscript with broken links, naming each place', async () => {
    const { code, stdout } = await check([path.join(PROJECT_ROOT, 'test', 'fixtures', 'bad', 'broken-links.md')]);
    expect(code).toBe(1);
    expect(stdout.match(/broken-links\.md:\d+:\d+: error link to /g)).toHaveLength(3);
    expect(stdout).toContain('\n3 errors, ');
  });

  it('reports problems in the EPUB found by epubcheck, at their place in the EPUB', async () => {
    // The build makes no EPUB epubcheck rejects, so spoil a good one: the same id twice in a chapter.
    const zip = await openEpub(sharedBuild('article').files.find((file) => file.endsWith('.epub'))!);
    const chapter = Object.keys(zip.files).find((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name))!;
    const xhtml = await zip.file(chapter)!.async('string');
    zip.file(chapter, xhtml.replace('<p>', '<p id="twice">Once.</p>\n<p id="twice">Twice.</p>\n<p>'));
    const messages = await checkEpub(await zip.generateAsync({ type: 'uint8array' }));
    const duplicate = messages.find((message) => message.ruleId === 'RSC-005' && /Duplicate ID/.test(message.reason));
    expect(duplicate, messages.map(String).join('\n')).toBeDefined();
    expect(duplicate!.fatal).toBe(true);
    expect(duplicate!.file).toBe(`EPUB ${chapter}`);
    expect(duplicate!.line).toBeGreaterThan(1);
  });
});
