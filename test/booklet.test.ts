/**
 * The clinic leaflet (test/fixtures/leaflet/heel-pain.md) as an A5 booklet and a half-letter one: the
 * pages as a tagged PDF to read, and the sheets imposed for an office printer, read back half-sheet by
 * half-sheet in the order a folded, stapled copy is read.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { saddleStitchSheets } from '../scripts/outputs/booklet.js';
import { BUILD_TIME } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { openMupdf } from './support/mupdf-document.js';
import { textLinesByPage, type TextLine } from './support/page-text.js';
import { pdfInfo } from './support/outputs.js';
import { pdfMetadata } from './support/pdf-text.js';
import { renderPage } from './support/page-image.js';

let files: string[];
const fileEnding = (ending: string) => files.find((file) => file.endsWith(ending))!;

beforeAll(async () => {
  const dir = await tempDir('press-booklet-');
  const source = await readFile(fixture('leaflet/heel-pain.md'), 'utf8');
  await writeFile(path.join(dir, 'heel-pain.md'), source.replace(/^editions: .*$/m, 'editions: [a5-booklet, half-letter-booklet]'));
  ({ files } = await build({ input: path.join(dir, 'heel-pain.md'), outDir: path.join(dir, 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }));
});

/** A page's text lines top to bottom, each as printed. */
const linesOf = (lines: TextLine[]) => [...lines].sort((a, b) => a.top - b.top || a.left - b.left).map((line) => line.text.trim());

/**
 * The imposed file's half-sheets in the order a reader meets them in the folded booklet: the sheets are
 * stacked as printed (the first outside), folded down the middle, so the reader turns through the right
 * half of each sheet's front and the left half of its back, from the outside in, then back out through the
 * right half of each back and the left half of each front.
 */
async function foldedReadingOrder(imposed: string): Promise<string[][]> {
  const document = await openMupdf(imposed);
  const pages = await textLinesByPage(imposed);
  const halves = pages.map((lines, index) => {
    const page = document.loadPage(index);
    const [, , width] = page.getBounds();
    page.destroy();
    return { left: linesOf(lines.filter((line) => line.right <= width / 2 + 1)), right: linesOf(lines.filter((line) => line.left >= width / 2 - 1)) };
  });
  const sheets = halves.length / 2;
  const order: string[][] = [];
  for (let sheet = 0; sheet < sheets; sheet++) order.push(halves[2 * sheet]!.right, halves[2 * sheet + 1]!.left);
  for (let sheet = sheets - 1; sheet >= 0; sheet--) order.push(halves[2 * sheet + 1]!.right, halves[2 * sheet]!.left);
  return order;
}

describe('an A5 booklet', () => {
  it('prints the A5 pages as a tagged PDF that claims PDF/UA-1', async () => {
    const a5 = fileEnding('-a5-booklet.pdf');
    const info = await pdfInfo(a5);
    // 148 × 210 mm, to the CSS pixel Chromium rounds a page to.
    const [width, , height] = info['Page size']!.split(' ').map(Number);
    expect(Math.abs((width! * 25.4) / 72 - 148)).toBeLessThan(0.3);
    expect(Math.abs((height! * 25.4) / 72 - 210)).toBeLessThan(0.3);
    expect(info['Tagged']).toBe('yes');
    const { xmp } = await pdfMetadata(a5);
    expect(xmp['pdfuaid:part']).toBe('1');
  });

  for (const [edition, sheet, size] of [
    ['a5-booklet', 'A4', /\(A4\)$/],
    ['half-letter-booklet', 'US Letter', /\(letter\)$/],
  ] as const) {
    it(`imposes the ${edition} on ${sheet} sheets that read in order once folded: cover first, imprint on the back cover`, async () => {
      const pagesPdf = fileEnding(`-${edition}.pdf`);
      const imposed = fileEnding(`-${edition}-imposed.pdf`);
      const pages = (await textLinesByPage(pagesPdf)).map(linesOf);
      const folded = await foldedReadingOrder(imposed);
      // Whole sheets, both sides: a multiple of four pages, the blanks among them.
      expect(folded.length % 4).toBe(0);
      expect(folded.length).toBeGreaterThanOrEqual(pages.length);
      const info = await pdfInfo(imposed);
      expect(info['Page size']).toMatch(size);
      const [width, , height] = info['Page size']!.split(' ').map(Number);
      expect(width).toBeGreaterThan(height!);
      // Each half-sheet holds one page, whole, in the order of the pages; the blanks fall just before the closing matter.
      const printed = folded.filter((half) => half.length > 0);
      expect(printed).toEqual(pages);
      const blanks = folded.map((half, index) => (half.length ? -1 : index)).filter((index) => index >= 0);
      const closingStart = folded.findIndex((half) => half.some((line) => /^Questions\? Call/.test(line)));
      expect(blanks).toEqual(Array.from({ length: blanks.length }, (_, index) => closingStart - blanks.length + index));
      expect(folded[0]!.join(' ')).toContain('Heel Pain (Plantar Fasciitis)');
      expect(folded.at(-1)!.join(' ')).toMatch(/Medical disclaimer\./);
      // Page numbers, where printed, rise from the cover to the back.
      const numbers = printed.flatMap((lines) => lines.filter((line) => /^\d+$/.test(line)).map(Number));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(numbers.length).toBeGreaterThan(2);
    });

    it(`says how to print the ${edition} in the first line of the imposed file's metadata, which is untagged`, async () => {
      const imposed = fileEnding(`-${edition}-imposed.pdf`);
      const { info, xmp } = await pdfMetadata(imposed);
      const firstLine = String(info['Subject']).split('\n')[0]!;
      expect(firstLine).toMatch(new RegExp(`^Print on ${sheet} paper, double-sided, flip on short edge, at actual size; fold the \\d sheets? in half together and staple in the fold`));
      expect(String(xmp['dc:description'])).toContain(firstLine);
      expect((await pdfInfo(imposed))['Tagged']).toBe('no');
      expect(xmp['pdfuaid:part']).toBeUndefined();
      const document = await openMupdf(imposed);
      expect(document.getTrailer().get('Root').get('ViewerPreferences').get('Duplex').asName()).toBe('DuplexFlipShortEdge');
    });
  }

  it('puts two pages side by side on each sheet, the fold down the middle clear of them', async () => {
    const imposed = fileEnding('-a5-booklet-imposed.pdf');
    const image = await renderPage(imposed, 1, 50);
    // The fold: a column of paper between the two pages' text blocks, white from top to bottom.
    const fold = Math.round(image.width / 2);
    for (let y = 0; y < image.height; y++) for (let x = fold - 3; x <= fold + 3; x++) expect(image.data[(y * image.width + x) * 4]!, `(${x}, ${y})`).toBeGreaterThan(250);
  });
});

describe('saddle-stitch order', () => {
  it('pairs the pages of an 8-page booklet as a printer does: 8|1, 2|7, 6|3, 4|5', () => {
    expect(saddleStitchSheets(8)).toEqual([
      { front: [8, 1], back: [2, 7] },
      { front: [6, 3], back: [4, 5] },
    ]);
  });

  it('leaves the pages short of a multiple of four blank before the closing matter', () => {
    // 6 pages, the closing matter on 5 and 6: 1 2 3 4 _ _ 5 6.
    expect(saddleStitchSheets(6, 5)).toEqual([
      { front: [6, 1], back: [2, 5] },
      { front: [undefined, 3], back: [4, undefined] },
    ]);
  });
});
