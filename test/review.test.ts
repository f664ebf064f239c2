/**
 * The review copy (`npm run review`), between version 1 and version 3 of the clinic leaflet in
 * a git history made here (support/review-history.ts): read back from the PDF's text and the
 * colour it is printed in, from page images (the underline, the strike-through, the bar in the
 * margin), from its tag tree, and from the review page; and what it says when there is nothing
 * to compare.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fromHtml } from 'hast-util-from-html';
import JSZip from 'jszip';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { runScript, tempDir } from './support/cli.js';
import { colouredRuns, type Box, type ColouredRun } from './support/coloured-text.js';
import { foldSpace, pdfPages, readableText } from './support/outputs.js';
import { renderPage, type PageImage } from './support/page-image.js';
import { readPdfStructure } from './support/pdf-tags.js';
import { FRONT_MATTER_CHANGES, leafletHistory, MARKS_IN_ORDER, type LeafletHistory } from '../scripts/dev-tools/leaflet-history.js';

const run = promisify(execFile);

/** styles/review.css's colours. */
const INSERTED = '#0a58ca';
const DELETED = '#b3261e';
const BAR: Rgb = [0xb4, 0x5f, 0x06];
type Rgb = [number, number, number];
const rgb = (colour: string): Rgb => [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16)) as Rgb;

/** SOURCE_DATE_EPOCH of the review: 2026-03-01. */
const REVIEW_DAY = { SOURCE_DATE_EPOCH: '1772323200' };
const MM = 72 / 25.4;
/** Where the bar stands: 7 mm left of the A4 text, which starts 38 mm from the page's edge. */
const BAR_X = (38 - 7 + 0.7) * MM;
const DPI = 150;

let history: LeafletHistory;
let pdf: string;
let page: string;
let runs: ColouredRun[];

beforeAll(async () => {
  history = await leafletHistory();
  const out = await tempDir('press-review-');
  const result = await runScript('review', [history.leaflet, '--since', '1', '--out', out], REVIEW_DAY);
  expect(result.code, result.stderr).toBe(0);
  expect((await readdir(out)).sort()).toEqual(['heel-pain-review-a4.pdf', 'heel-pain-review.html']);
  pdf = path.join(out, 'heel-pain-review-a4.pdf');
  page = path.join(out, 'heel-pain-review.html');
  runs = await colouredRuns(pdf);
});

/** White space folded, and none before a sign: how two texts of the same words compare. */
const words = (text: string) => foldSpace(text).replace(/\s+([,.;:])/g, '$1');
const marked = (colour: string) => words(runs.filter((candidate) => candidate.colour === colour).map((candidate) => candidate.text).join(' '));
const expected = (kind: 'inserted' | 'deleted') => words(MARKS_IN_ORDER.flatMap((edit) => (edit[kind] ? [edit[kind]] : [])).join(' '));

describe('a review copy from version 1 to version 3', () => {
  it('marks exactly the words inserted and deleted, in the text’s order, and nothing that prints the same', () => {
    // Every word printed in a mark's colour, and no other: the edits' words, and not the version 2 Markdown that prints the same.
    expect(marked(INSERTED)).toBe(expected('inserted'));
    expect(marked(DELETED)).toBe(expected('deleted'));
  });

  it('keeps every word of version 3 and shows every word of version 1 that is gone', async () => {
    const text = words((await pdfPages(pdf)).map(readableText).join(' '));
    for (const edit of MARKS_IN_ORDER) {
      if (edit.inserted) expect(text).toContain(words(edit.inserted));
      if (edit.deleted) expect(text).toContain(words(edit.deleted));
    }
  });

  it('underlines each insertion and strikes through each deletion in its colour, and sets a bar beside each in the margin', async () => {
    const images = new Map<number, PageImage>();
    const imageOf = async (number: number) => images.get(number) ?? images.set(number, await renderPage(pdf, number, DPI)).get(number)!;
    const marks = runs.filter((candidate) => candidate.colour === INSERTED || candidate.colour === DELETED);
    expect(marks.length).toBeGreaterThanOrEqual(MARKS_IN_ORDER.length);
    for (const mark of marks) {
      const image = await imageOf(mark.page);
      for (const box of mark.boxes.filter((candidate) => candidate.right - candidate.left > 8)) {
        const line = mark.colour === INSERTED ? underlineOf(image, box, rgb(INSERTED)) : strikeOf(image, box, rgb(DELETED));
        expect(line, `${mark.colour === INSERTED ? 'underline' : 'strike-through'} of “${mark.text}” on page ${mark.page}`).toBeGreaterThan(0.8);
        expect(hasColourAt(image, BAR_X, (box.top + box.bottom) / 2, BAR), `bar beside “${mark.text}”`).toBe(true);
      }
    }
  });

  it('sets no bar beside a block that did not change', async () => {
    const unchanged = (await colouredRuns(pdf)).find((candidate) => candidate.text.includes('Plantar fasciitis is pain under the heel'))!;
    const image = await renderPage(pdf, unchanged.page, DPI);
    for (const box of unchanged.boxes) expect(hasColourAt(image, BAR_X, (box.top + box.bottom) / 2, BAR)).toBe(false);
  });

  it('lists the changed front matter in a box on the first page, with the version it is compared with', async () => {
    const first = words(readableText((await pdfPages(pdf))[0]!));
    expect(first).toMatch(/Review copy: Changes since version 1 \(commit [0-9a-f]{7}, 15 September 2025\)/);
    // Words, not signs, are counted; a block is a paragraph, a list item, or a whole call-out or table.
    const count = (kind: 'inserted' | 'deleted') =>
      [...new Intl.Segmenter('en', { granularity: 'word' }).segment(MARKS_IN_ORDER.map((edit) => edit[kind] ?? '').join(' '))].filter((segment) => segment.isWordLike).length;
    expect(first).toContain(`Words inserted: ${count('inserted')}. Words deleted: ${count('deleted')}. Blocks changed: 8.`);
    expect(first).toContain('Inserted text is underlined, in blue. Deleted text is struck through, in red. A bar in the margin marks each block that changed.');
    for (const change of FRONT_MATTER_CHANGES) expect(first).toContain(words(change));
    const listed = first.slice(first.indexOf('Changed in the front matter:')).match(/ — (was|removed|added):/g) ?? [];
    expect(listed).toHaveLength(FRONT_MATTER_CHANGES.length);
  });

  it('tags each mark for screen readers: a Span whose ActualText says “inserted:” or “deleted:”, in the text’s language', async () => {
    const { elements } = await readPdfStructure(pdf);
    const said = elements.filter((element) => /^(inserted|deleted): /.test(element.actualText ?? ''));
    expect(said.every((element) => element.written === 'Span' && element.lang === 'en-GB')).toBe(true);
    const saidAs = (kind: string) => words(said.filter((element) => element.actualText!.startsWith(`${kind}: `)).map((element) => element.actualText!.slice(kind.length + 2)).join(' '));
    expect(saidAs('inserted')).toBe(expected('inserted'));
    expect(saidAs('deleted')).toBe(expected('deleted'));
    // No private-use language tag is left behind.
    expect(elements.filter((element) => element.lang?.includes('-x-'))).toEqual([]);
  });

  it('writes an HTML page of the same text with <ins> and <del>, which a screen reader announces', async () => {
    const html = await readFile(page, 'utf8');
    const tree = fromHtml(html);
    expect(words(selectAll('ins', tree).map((node) => toString(node)).join(' '))).toBe(expected('inserted'));
    expect(words(selectAll('del', tree).map((node) => toString(node)).join(' '))).toBe(expected('deleted'));
    expect(html).toMatch(/ins::before \{ content: "inserted: "/);
    expect(html).toMatch(/del::before \{ content: "deleted: "/);
    expect(selectAll('.review-summary li', tree).map((node) => words(toString(node)))).toEqual(expect.arrayContaining(FRONT_MATTER_CHANGES.map(words)));
    // Self-contained: no font or picture is fetched from anywhere.
    expect(html).not.toMatch(/url\("(?!data:)/);
  });
});

describe('what the review says when there is nothing to compare', () => {
  it('says “no changes” and writes nothing when the text is as the version compared with', async () => {
    const out = await tempDir('press-review-');
    const result = await runScript('review', [history.leaflet, '--since', '3', '--out', out], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no changes since version 3 \(commit [0-9a-f]{7}/);
    expect(await readdir(out)).toEqual([]);
  });

  it('compares with the last commit that changed `version` when no --since is given, the file as it is now included', async () => {
    const copy = await leafletHistory();
    const text = await readFile(copy.leaflet, 'utf8');
    // Work after version 3, not yet committed.
    await writeFile(copy.leaflet, text.replace('Wear shoes with a cushioned heel', 'Wear shoes with a soft cushioned heel'));
    const out = await tempDir('press-review-');
    const result = await runScript('review', [copy.leaflet, '--out', out, '--format', 'docx'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(out)).toEqual(['heel-pain-review.docx']);
    expect(result.stdout).toMatch(/changes since version 3 \(commit [0-9a-f]{7}, 2026-02-01\): 1 word inserted, 0 deleted, in 1 block/);
  });

  it('shows no change for Markdown rewritten so that it prints the same', async () => {
    const copy = await leafletHistory();
    const text = await readFile(copy.leaflet, 'utf8');
    await writeFile(copy.leaflet, text.replace('Heel pain from plantar fasciitis usually gets better within a year.', '"Heel pain from plantar fasciitis usually gets better within a year."').replace('__every morning__', '*every morning*'));
    const result = await runScript('review', [copy.leaflet, '--out', await tempDir('press-review-')], REVIEW_DAY);
    // Quoting a YAML string, or emphasis written another way: the same words, the same print.
    expect(result.stdout).toMatch(/no changes since version 3/);
  });

  it('explains that a folder outside git has no earlier version', async () => {
    const folder = await tempDir('press-no-git-');
    await copyFile(path.join(PROJECT_ROOT, 'test/fixtures/leaflet/heel-pain.md'), path.join(folder, 'heel-pain.md'));
    const result = await runScript('review', [path.join(folder, 'heel-pain.md'), '--out', await tempDir('press-review-')], REVIEW_DAY);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('heel-pain.md: error not in a git repository: a review copy compares the manuscript with an earlier version kept in git');
    expect(result.stderr).toContain('commit each version');
  });

  it('names the versions the history has when the one asked for is unknown', async () => {
    const result = await runScript('review', [history.leaflet, '--since', '2.5', '--out', await tempDir('press-review-')], REVIEW_DAY);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error unknown version or git revision: 2.5');
    expect(result.stderr).toContain('Give a `version` the history of heel-pain.md has (3, 2, 1) or a git revision');
  });

  it('takes a git revision as well as a version', async () => {
    const out = await tempDir('press-review-');
    const result = await runScript('review', [history.leaflet, '--since', 'HEAD~1', '--out', out, '--format', 'docx'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    // From version 2: its edits are no longer changes.
    expect(result.stdout).toMatch(/changes since version 2 \(commit/);
    const { stdout } = await run('git', ['log', '-1', '--format=%h', 'HEAD~1'], { cwd: history.root });
    expect(result.stdout).toContain(`commit ${stdout.trim()}`);
  });
});

const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function pixel(image: PageImage, x: number, y: number): Rgb {
  const at = (Math.round(y) * image.width + Math.round(x)) * 4;
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
}

/** The largest share of one row of pixels across the box that is in `colour`, among the rows between `from` and `to` (shares of the box's height). */
function lineCoverage(image: PageImage, box: Box, colour: Rgb, from: number, to: number): number {
  const scale = DPI / 72;
  const [left, right] = [Math.round(box.left * scale) + 1, Math.round(box.right * scale) - 1];
  const height = box.bottom - box.top;
  let best = 0;
  for (let y = Math.floor((box.top + from * height) * scale); y <= Math.ceil((box.top + to * height) * scale); y++) {
    let hits = 0;
    for (let x = left; x <= right; x++) if (distance(pixel(image, x, y), colour) < 90) hits++;
    best = Math.max(best, hits / (right - left + 1));
  }
  return best;
}

/** An underline lies under the baseline; a glyph row never inks 80% of a word's width. */
const underlineOf = (image: PageImage, box: Box, colour: Rgb) => lineCoverage(image, box, colour, 0.65, 1.3);
/** A strike-through crosses the middle of the lower-case letters. */
const strikeOf = (image: PageImage, box: Box, colour: Rgb) => lineCoverage(image, box, colour, 0.25, 0.75);

/** Whether a pixel near (x, y), in points, is in `colour`. */
function hasColourAt(image: PageImage, x: number, y: number, colour: Rgb): boolean {
  const scale = DPI / 72;
  for (let dx = -3; dx <= 3; dx++) for (let dy = -3; dy <= 3; dy++) if (distance(pixel(image, x * scale + dx, y * scale + dy), colour) < 60) return true;
  return false;
}

describe('a library leaflet’s review copy', () => {
  it('reads the leaflet under the library’s shared front matter, as the library builds it', async () => {
    const root = await tempDir('press-history-');
    await cp(path.join(PROJECT_ROOT, 'test/fixtures/library'), root, { recursive: true });
    const git = (...args: string[]) => run('git', args, { cwd: root });
    await git('init', '--quiet', '--initial-branch=main');
    await git('-c', 'user.email=nurse@clinic.example.org', '-c', 'user.name=Nurse', 'add', '.');
    await git('-c', 'user.email=nurse@clinic.example.org', '-c', 'user.name=Nurse', 'commit', '--quiet', '-m', 'The library');
    const leaflet = path.join(root, 'tired-feet.md');
    await writeFile(leaflet, (await readFile(leaflet, 'utf8')).replace('Sit down, raise your feet', 'Sit down, then raise your feet'));
    const out = await tempDir('press-review-');
    const result = await runScript('review', [leaflet, '--out', out, '--format', 'docx'], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(path.join(out, 'caring-for-tired-feet-review.docx')));
    const document = await zip.file('word/document.xml')!.async('string');
    expect(document).toMatch(/<w:ins [^>]*><w:r><w:t[^>]*>then<\/w:t>/);
    // library.yaml's publisher and contact lines, which the leaflet's own front matter does not give.
    expect(document).toContain('Riverside Foot Clinic, 12 Mill Lane, Exampletown');
  });
});

describe('a translation’s review copy', () => {
  it('compares the translation with its own earlier version, in its language, and names the source’s sections changed since it was marked', async () => {
    const root = await tempDir('press-history-');
    const git = (...args: string[]) => run('git', args, { cwd: root });
    await git('init', '--quiet', '--initial-branch=main');
    await git('config', 'user.email', 'translator@clinic.example.org');
    await git('config', 'user.name', 'Translator');
    const source = path.join(root, 'foot-massage.md');
    const translation = path.join(root, 'foot-massage.es.md');
    await copyFile(path.join(PROJECT_ROOT, 'manuscript/foot-massage.md'), source);
    await copyFile(path.join(PROJECT_ROOT, 'test/fixtures/languages/foot-massage.es.md'), translation);
    await git('add', '.');
    await git('commit', '--quiet', '-m', 'The article and its Spanish translation, marked');
    // Then both change: a word in the translation, and a sentence of the source's "Improves Circulation".
    const edit = async (file: string, from: string, to: string) => writeFile(file, (await readFile(file, 'utf8')).replace(from, to));
    await edit(translation, 'El masaje ayuda a la sangre', 'El masaje suave ayuda a la sangre');
    await edit(source, 'Massage helps blood to release pressure', 'Gentle massage helps blood to release pressure');
    await git('commit', '--quiet', '-am', 'Gentle massage');
    const out = await tempDir('press-review-');
    // No `version` in the translation's history: it is compared with its last commit before the text as it is now.
    const result = await runScript('review', [translation, '--out', out], REVIEW_DAY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/foot-massage\.es\.md: changes since commit [0-9a-f]{7} of [\d-]+: 1 word inserted, 0 deleted, in 1 block/);
    expect((await readdir(out)).sort()).toEqual(['the-many-benefits-of-foot-massage.es-review-a4.pdf', 'the-many-benefits-of-foot-massage.es-review.html']);
    const html = await readFile(path.join(out, 'the-many-benefits-of-foot-massage.es-review.html'), 'utf8');
    const tree = fromHtml(html);
    expect(selectAll('ins', tree).map((node) => toString(node))).toEqual(['suave']);
    expect(selectAll('del', tree)).toEqual([]);
    const box = words(toString(select('.review-summary', tree)!));
    expect(box).toMatch(/^Copia de revisión: Cambios desde el commit [0-9a-f]{7} del \d{1,2} de [a-z]+ de \d{4}/);
    expect(box).toContain('foot-massage.md ha cambiado desde que se marcó esta traducción, en estas secciones: Improves Circulation.');
    expect(html).toMatch(/ins::before \{ content: "añadido: "/);
    const { elements } = await readPdfStructure(path.join(out, 'the-many-benefits-of-foot-massage.es-review-a4.pdf'));
    expect(elements.filter((element) => element.actualText).map((element) => [element.actualText, element.lang])).toContainEqual(['añadido: suave', 'es']);
  });
});
