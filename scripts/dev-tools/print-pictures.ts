/**
 * The README's pictures of the printed editions for clinics, made again from the fixtures:
 * `npx tsx scripts/dev-tools/print-pictures.ts`. Builds the clinic leaflet as an A5 booklet, and its
 * one-sheet version (test/fixtures/fitting/) as tri-folds on A4 and Letter, fitted to 2 A4 pages, and as
 * a press file (with Ghostscript's SWOP profile, test/press.test.ts's), and renders the pages the README
 * shows with MuPDF into docs/.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as mupdf from 'mupdf';
import { PDFDocument, rgb } from 'pdf-lib';
import { build } from '../build.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { CMYK_PROFILE, CMYK_PROFILE_FILE, ensureSystemPackage } from './system-packages.js';

const DOCS = path.join(PROJECT_ROOT, 'docs');
const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);

/** Builds `source` with its `editions` (and `pages`) replaced, into a folder of its own; the PDFs written. */
async function buildCopy(dir: string, source: string, frontMatter: string): Promise<string[]> {
  const text = (await readFile(fixture(source), 'utf8')).replace(/^pages: .*\n/m, '').replace(/^editions: .*$/m, frontMatter);
  const input = path.join(dir, `${path.basename(source, '.md')}-${Math.random().toString(36).slice(2)}.md`);
  await writeFile(input, text);
  const { files } = await build({ input, outDir: path.join(dir, 'dist'), formats: ['pdf'], buildTime: new Date(1_700_000_000_000) });
  return files;
}

/** Page `number` (1-based) of `pdf` as a PNG in docs/, at `dpi`, the whole media box (a press file's marks included). */
async function picture(pdf: string, number: number, name: string, dpi: number): Promise<void> {
  const document = new mupdf.PDFDocument(await readFile(pdf));
  const page = document.loadPage(number - 1);
  const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceRGB, false);
  await writeFile(path.join(DOCS, name), pixmap.asPNG());
  pixmap.destroy();
  page.destroy();
  document.destroy();
  process.stdout.write(`wrote docs/${name}\n`);
}

/** One page holding the given pages side by side, bottoms aligned, 10 pt apart (pdf-lib, as the imposition does). */
async function sideBySide(pages: [file: string, index: number][]): Promise<Uint8Array> {
  const sheet = await PDFDocument.create();
  // Each page whole, from its media box (a press page's starts below and left of the origin, for the marks).
  const embedded = await Promise.all(
    pages.map(async ([file, index]) => {
      const page = (await PDFDocument.load(await readFile(file))).getPage(index);
      const box = page.getMediaBox();
      return Object.assign(await sheet.embedPage(page, { left: box.x, bottom: box.y, right: box.x + box.width, top: box.y + box.height }), { origin: box });
    }),
  );
  const gap = 10;
  const width = embedded.reduce((sum, page) => sum + page.width + gap, gap);
  const height = Math.max(...embedded.map((page) => page.height)) + 2 * gap;
  const page = sheet.addPage([width, height]);
  page.drawRectangle({ x: 0, y: 0, width, height, color: rgb(0.75, 0.78, 0.8) });
  let x = gap;
  for (const each of embedded) {
    page.drawRectangle({ x, y: gap, width: each.width, height: each.height, color: rgb(1, 1, 1) });
    page.drawPage(each, { x, y: gap });
    x += each.width + gap;
  }
  return sheet.save();
}

async function main() {
  ensureSystemPackage(CMYK_PROFILE);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'press-pictures-'));
  try {
    await copyFile(process.env.PRESS_TEST_PROFILE ?? CMYK_PROFILE_FILE, path.join(dir, 'press.icc'));
    const ending = (files: string[], end: string) => files.find((file) => file.endsWith(end))!;
    const booklet = await buildCopy(dir, 'leaflet/heel-pain.md', 'editions: [a5-booklet]');
    await picture(ending(booklet, '-a5-booklet.pdf'), 1, 'a5-booklet-page-1.png', 60);
    await picture(ending(booklet, '-a5-booklet-imposed.pdf'), 1, 'a5-booklet-sheet-1-front.png', 45);
    await picture(ending(booklet, '-a5-booklet-imposed.pdf'), 2, 'a5-booklet-sheet-1-back.png', 45);
    const trifold = await buildCopy(dir, 'fitting/heel-pain-sheet.md', 'editions: [trifold-a4, trifold-letter]');
    await picture(ending(trifold, '-trifold-a4.pdf'), 1, 'trifold-a4-outside.png', 45);
    await picture(ending(trifold, '-trifold-a4.pdf'), 2, 'trifold-a4-inside.png', 45);
    await picture(ending(trifold, '-trifold-letter.pdf'), 1, 'trifold-letter-outside.png', 45);
    await picture(ending(trifold, '-trifold-letter.pdf'), 2, 'trifold-letter-inside.png', 45);
    const fitted = await buildCopy(dir, 'fitting/heel-pain-sheet.md', 'editions: [a4]\npages: 2');
    await picture(ending(fitted, '-a4.pdf'), 2, 'fitted-a4-page-2.png', 45);
    const press = await buildCopy(dir, 'fitting/heel-pain-sheet.md', 'editions: [a4-press]\npressProfile: press.icc');
    await picture(ending(press, '-a4-press.pdf'), 1, 'a4-press-page-1.png', 45);
    // The README's one picture of them all: a booklet's first sheet, a tri-fold's two sides, a press page.
    const overview = path.join(dir, 'overview.pdf');
    await writeFile(
      overview,
      await sideBySide([
        [ending(booklet, '-a5-booklet-imposed.pdf'), 0],
        [ending(trifold, '-trifold-a4.pdf'), 0],
        [ending(trifold, '-trifold-a4.pdf'), 1],
        [ending(press, '-a4-press.pdf'), 0],
      ]),
    );
    await picture(overview, 1, 'print-editions.png', 30);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
