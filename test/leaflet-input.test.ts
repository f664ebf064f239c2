/**
 * What a writer gets wrong or right in a leaflet's Markdown and front matter:
 * call-out markers and titles, key points and references given twice, review
 * dates out of order, and a leaflet past its review date (warned at its line,
 * an exit of 1 under --strict, listed by `npm run check`).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';
import { selectAll } from 'hast-util-select';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { formatProblem, isProblem } from '../scripts/base/problems.js';
import { cli, fixture, runScript, tempDir, WITHOUT_EPUBCHECK } from './support/cli.js';

const FRONT_MATTER = '---\ntitle: Plain Words\nauthor: A. Writer\npublisher: Test Clinic\n';

/** A one-file manuscript: extra front matter, then the text. */
async function manuscriptFrom(frontMatter: string, markdown: string) {
  const folder = await tempDir('press-leaflet-input-');
  const file = path.join(folder, 'leaflet.md');
  await writeFile(file, `${FRONT_MATTER}${frontMatter}---\n\n# Plain Words\n\n${markdown}`);
  return { file, lines: (await readFile(file, 'utf8')).split('\n') };
}

async function render(frontMatter: string, markdown: string) {
  const { file, lines } = await manuscriptFrom(frontMatter, markdown);
  const manuscript = await loadManuscript(file);
  const document = await renderMarkdown(manuscript);
  const warnings = manuscript.files[0]!.file.messages.map((message) => ({ line: message.line, reason: message.reason }));
  return { tree: fromHtml(document.html, { fragment: true }), warnings, lineOf: (text: string) => lines.findIndex((line) => line.startsWith(text)) + 1 };
}

/** The errors loading records at their keys (the rest of the manuscript is still read, so that every problem is listed). */
async function frontMatterErrors(file: string): Promise<string[]> {
  const manuscript = await loadManuscript(file);
  return manuscript.files[0]!.file.messages.filter((message) => message.fatal).map((message) => formatProblem(message));
}

describe('call-out markers', () => {
  it('make a box of each kind, with the title that follows the marker or the kind’s name, in any case', async () => {
    const { tree, warnings } = await render(
      '',
      '> [!warning] When to get *help*\n> Call 999.\n\n> [!NOTE]\n> Just a note.\n\n> [!TIP]\n> First line.\n> Second line.\n',
    );
    expect(warnings).toEqual([]);
    const [warning, note, tip] = selectAll('.callout', tree);
    expect(toString(selectAll('.callout-title', warning!)[0]!)).toBe('Warning: When to get help');
    expect(selectAll('.callout-title em', warning!)).toHaveLength(1);
    expect(toString(warning!).trim().endsWith('Call 999.')).toBe(true);
    expect(toString(selectAll('.callout-title', note!)[0]!)).toBe('Note');
    expect(selectAll('p', note!).map((p) => toString(p))).toEqual(['Note', 'Just a note.']);
    // The title ends at the marker's line: the lines under it are the body.
    expect(selectAll('p', tip!).map((p) => toString(p))).toEqual(['Tip', 'First line.\nSecond line.']);
  });

  it('warns about an unknown marker at its line and leaves the quotation as written', async () => {
    const { tree, warnings, lineOf } = await render('', 'Text.\n\n> [!WARN] Careful\n> Hot water scalds.\n');
    expect(warnings).toEqual([{ line: lineOf('> [!WARN]'), reason: 'unknown call-out marker [!WARN]: left as a quotation' }]);
    expect(selectAll('.callout', tree)).toHaveLength(0);
    expect(toString(selectAll('blockquote', tree)[0]!)).toContain('[!WARN] Careful');
  });

  it('leave an ordinary quotation alone', async () => {
    const { tree, warnings } = await render('', '> A quotation [!NOTE] with brackets.\n');
    expect(warnings).toEqual([]);
    expect(selectAll('blockquote', tree)).toHaveLength(1);
  });
});

describe('key points and references given twice', () => {
  it('keep the text’s block and warn at it', async () => {
    const { tree, warnings, lineOf } = await render(
      'keyPoints: [One point]\nreferences: [A source]\n',
      '> [!KEYPOINTS]\n> - The point\n\nText.\n\n## References\n\n- A book\n',
    );
    expect(warnings).toEqual([
      { line: lineOf('> [!KEYPOINTS]'), reason: 'front matter `keyPoints` left out: the text has a [!KEYPOINTS] block' },
      { line: lineOf('## References'), reason: 'front matter `references` left out: the text has a "References" section' },
    ]);
    expect(selectAll('.callout-keypoints', tree)).toHaveLength(1);
    expect(toString(tree)).not.toContain('One point');
    expect(selectAll('ol.references li', tree).map((li) => toString(li))).toEqual(['A book']);
  });

  it('come from the front matter when the text has none: key points first, references last, numbered', async () => {
    const { tree, warnings } = await render('keyPoints: [First point, Second point]\nreferences: ["[A guide](https://example.org/guide)", A book]\n', 'Text.\n\n## More\n\nMore text.\n');
    expect(warnings).toEqual([]);
    const opening = tree.children.find((node) => node.type === 'element')!;
    expect(selectAll('.callout-keypoints li', tree).map((li) => toString(li))).toEqual(['First point', 'Second point']);
    expect(toString(opening).trim().startsWith('Key points')).toBe(true);
    expect(selectAll('ol.references li', tree).map((li) => toString(li))).toEqual(['A guide', 'A book']);
    expect(selectAll('ol.references a[href="https://example.org/guide"]', tree)).toHaveLength(1);
  });
});

describe('review dates', () => {
  it('out of order are an error at the later date', async () => {
    const { file, lines } = await manuscriptFrom('reviewed: 2025-06-01\nnextReview: 2025-01-01\n', 'Text.\n');
    const errors = await frontMatterErrors(file);
    const line = lines.findIndex((text) => text.startsWith('nextReview:'));
    const place = `${line + 1}:${lines[line]!.indexOf('2025-01-01') + 1}`;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`leaflet\\.md:${place}: error front matter \`nextReview\` \\(2025-01-01\\) must be after the last review \\(2025-06-01\\)`),
    );
  });

  it('must be full calendar dates', async () => {
    const { file } = await manuscriptFrom('nextReview: 2027-02-30\n', 'Text.\n');
    const errors = await frontMatterErrors(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/`nextReview` is not a calendar date/);
  });
});

describe('a leaflet past its review date', async () => {
  const leaflet = fixture('leaflet/heel-pain.md');
  const lines = (await readFile(leaflet, 'utf8')).split('\n');
  const line = lines.findIndex((text) => text.startsWith('nextReview:')) + 1;
  const due = lines[line - 1]!.split(':')[1]!.trim();
  // The day after the review was due, as SOURCE_DATE_EPOCH gives it.
  const dayAfter = String(Date.parse(`${due}T00:00:00Z`) / 1000 + 86_400);
  const warning = new RegExp(`leaflet/heel-pain\\.md:${line}:1: warning review overdue: the next review was due on ${due} \\(today is \\d{4}-\\d{2}-\\d{2}\\)\\n  Have the leaflet reviewed`);

  it('builds with a warning at the `nextReview` line, naming the date', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([leaflet, '--out', out, '--format', 'epub'], { SOURCE_DATE_EPOCH: dayAfter });
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(warning);
    expect(await readdir(out)).toContain('heel-pain.epub');
  });

  it('stops a --strict build with exit 1 and writes nothing', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([leaflet, '--out', out, '--format', 'epub', '--strict'], { SOURCE_DATE_EPOCH: dayAfter });
    expect(code).toBe(1);
    expect(stderr).toMatch(warning);
    expect(await readdir(out)).toEqual([]);
  });

  it('builds without the warning the day before', async () => {
    const dayBefore = String(Number(dayAfter) - 2 * 86_400);
    const { code, stderr } = await cli([leaflet, '--out', await tempDir(), '--format', 'epub', '--strict'], { SOURCE_DATE_EPOCH: dayBefore });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('is listed by npm run check', async () => {
    const { stdout } = await runScript('check', [leaflet], { SOURCE_DATE_EPOCH: dayAfter, ...WITHOUT_EPUBCHECK });
    expect(stdout).toMatch(warning);
  });
});
