/**
 * Fitting a leaflet to the pages it asks for (front matter `pages`): a one-sheet version of the clinic
 * leaflet (test/fixtures/fitting/heel-pain-sheet.md) takes 3 A4 pages as set, the third holding only the
 * contact panel, the notes and the imprint; asked for 2, it is printed on 2 with the body at 12 pt and the
 * leading no tighter than 1.35, and nothing left out. The full leaflet cannot: the build says by how much.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { launchBrowser } from '../scripts/browser/launch.js';
import { openLockedPage } from '../scripts/browser/locked-page.js';
import { preparePublications } from '../scripts/prepare.js';
import { LEAFLET_PAGES, printFitted } from '../scripts/pdf-postprocess/fit-pages.js';
import { EDITIONS } from '../scripts/base/editions.js';
import { build, type BuildResult } from '../scripts/build.js';
import { BUILD_TIME } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { pdfPages, readableText } from './support/outputs.js';
import { bodyLines, bodyTextSize, textRuns } from './support/pdf-lines.js';
import { markedTextByPage } from './support/pdf-text.js';

/** Builds `source` with its front matter's `pages:` line replaced by `pages` (none: left out), A4 only. */
async function buildWith(source: string, pages: string | undefined, options: { strict?: boolean } = {}): Promise<BuildResult> {
  const dir = await tempDir('press-fit-');
  const text = (await readFile(fixture(source), 'utf8')).replace(/^pages: .*\n/m, '').replace(/^editions: .*$/m, `editions: [a4]${pages ? `\npages: ${pages}` : ''}`);
  await writeFile(path.join(dir, 'leaflet.md'), text);
  return build({ input: path.join(dir, 'leaflet.md'), outDir: path.join(dir, 'dist'), formats: ['pdf'], buildTime: BUILD_TIME, ...options });
}

const pdfOf = (result: BuildResult) => result.files.find((file) => file.endsWith('-a4.pdf'))!;
/** The words of a PDF's content, without its pagination artifacts (running heads and feet, page numbers), which repeat with the pages. */
const wordsOf = async (pdf: string) =>
  (await markedTextByPage(pdf))
    .flat()
    .filter((run) => !run.marks.includes('Artifact'))
    .flatMap((run) => run.text.split(/\s+/))
    .filter(Boolean)
    .sort();

let asSet: BuildResult;
let fitted: BuildResult;
let pulledBack: BuildResult;

beforeAll(async () => {
  [asSet, fitted, pulledBack] = await Promise.all([
    buildWith('fitting/heel-pain-sheet.md', '3'),
    buildWith('fitting/heel-pain-sheet.md', '2'),
    buildWith('fitting/heel-pain-sheet.md', undefined),
  ]);
});

describe('pages: 2', () => {
  it('takes 3 pages as set, the last holding only the closing matter', async () => {
    const pages = (await pdfPages(pdfOf(asSet))).map(readableText);
    expect(pages).toHaveLength(3);
    expect(pages[2]).toMatch(/^.*Questions\? Call/);
    expect(pages[2]).not.toContain('cannot put any weight on it after a fall');
    expect(pages[1]).toContain('cannot put any weight on it after a fall');
  });

  it('fits on 2 pages, the body still 12 pt, the leading at least 1.35, nothing left out', async () => {
    const pdf = pdfOf(fitted);
    expect(fitted.warnings).toEqual([]);
    expect(await pdfPages(pdf)).toHaveLength(2);
    const runs = await textRuns(pdf);
    expect(bodyTextSize(runs)).toBe(12);
    // The baselines of a paragraph's lines: none closer than 1.35 × 12 pt.
    const lines = bodyLines(runs);
    const steps = lines.slice(1).flatMap((line, index) => (line.page === lines[index]!.page ? [line.baseline - lines[index]!.baseline] : []));
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(1.35 * 12 - 0.05);
    // Tighter than as set, which is 12 pt on 1.47.
    expect(Math.min(...steps)).toBeLessThan(1.47 * 12 - 0.05);
    expect(await wordsOf(pdf)).toEqual(await wordsOf(pdfOf(asSet)));
  });

  it('pulls the closing matter back onto the page before, without pages, when it fits there', async () => {
    expect(await pdfPages(pdfOf(pulledBack))).toHaveLength(2);
    expect(await wordsOf(pdfOf(pulledBack))).toEqual(await wordsOf(pdfOf(asSet)));
  });
});

describe('a leaflet that cannot fit', () => {
  it('warns at `pages` how many lines over it is and which page overflows, and --strict writes nothing', async () => {
    const result = await buildWith('leaflet/heel-pain.md', '2');
    const warning = result.warnings.find((message) => message.ruleId === 'pages-overflow');
    expect(warning?.reason).toMatch(/^`pages: 2`: the A4 edition takes (\d) pages even with the space taken in as far as it goes \(body 12 pt, leading 1\.35\): page 2 overflows by about (\d+) lines of body text$/);
    const lines = Number(/about (\d+) lines/.exec(warning!.reason)![1]);
    // More than a page's worth: the leaflet's text is near twice what two pages hold.
    expect(lines).toBeGreaterThan(40);
    expect(warning!.line).toBe((await readFile(path.join(path.dirname(result.files[0]!), '..', 'leaflet.md'), 'utf8')).split('\n').findIndex((line) => line.startsWith('pages:')) + 1);
    expect(warning!.note).toMatch(/Shorten the text by about \d+ lines, or ask for \d pages\./);
    // Fitted to the fewest pages it can take all the same.
    expect((await pdfPages(pdfOf(result))).length).toBe(Number(/takes (\d) pages/.exec(warning!.reason)![1]));

    const strict = await buildWith('leaflet/heel-pain.md', '2', { strict: true });
    expect(strict.files).toEqual([]);
    expect(strict.warnings.some((message) => message.ruleId === 'pages-overflow')).toBe(true);
  });
});

describe('a book whose closing matter falls alone on its last page', () => {
  const browser = launchBrowser();
  afterAll(async () => (await browser).close());

  it('keeps it there, printed once: only a leaflet is tightened to pull it back', async () => {
    const dir = await tempDir('press-fit-');
    const text = (await readFile(fixture('fitting/heel-pain-sheet.md'), 'utf8')).replace(/^pages: .*\n/m, '').replace(/^editions: .*$/m, 'editions: [a4]');
    await writeFile(path.join(dir, 'leaflet.md'), text);
    const { publication } = (await preparePublications({ input: path.join(dir, 'leaflet.md') })).languages[0]!;
    const [edition] = publication.print.editions;
    const page = await openLockedPage(await browser, edition!.html, publication.print.resources);
    // Chromium's print as set, before the build's post-processing: 3 pages, the closing matter alone on the third.
    const asSetBytes = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true }).finally(() => page.close());
    // The same print with the first page repeated ahead of it: a book's length, its closing matter alone on its last page.
    const book = await PDFDocument.load(asSetBytes);
    const copies = await book.copyPages(book, Array.from({ length: LEAFLET_PAGES }, () => 0));
    copies.forEach((copy, index) => book.insertPage(index, copy));
    const bookBytes = await book.save({ useObjectStreams: false });
    const request = { edition: EDITIONS.a4, pullBack: true, fitCss: publication.print.fitCss, blockCount: publication.print.tags.pageBlocks };
    const printsOf = async (first: Uint8Array) => {
      let prints = 0;
      const fitted = await printFitted(edition!.html, async () => (prints++ === 0 ? first : asSetBytes), request);
      return { prints, pages: fitted.pages, fit: fitted.fit };
    };
    // As a leaflet, it is printed again to pull the closing matter back (the stand-in prints return the same pages, so it stays).
    expect((await printsOf(asSetBytes)).prints).toBeGreaterThan(1);
    expect(await printsOf(bookBytes)).toEqual({ prints: 1, pages: 3 + LEAFLET_PAGES, fit: 0 });
  });
});
