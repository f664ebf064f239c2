/**
 * A long book printed in parts at once and joined (outputs/print-in-parts.ts, pdf-postprocess/join-parts.ts)
 * is the book printed whole: the same pages with the same text, folios and running heads, the same tags,
 * the same outline, and links that land where the whole's do, those from one part into another among them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { writeBenchBook } from '../scripts/bench/book.js';
import { build } from '../scripts/build.js';
import { cutIntoParts, partCount, printInParts } from '../scripts/outputs/print-in-parts.js';
import { parseCliArgs } from '../scripts/cli/options.js';
import { readCharacterReferences } from '../scripts/base/html-text.js';
import { readPdfStructure } from './support/pdf-tags.js';
import { textLinesByPage } from './support/page-text.js';

const CHAPTERS = 30;
const PARTS = 3;
const buildTime = new Date('2026-03-01T09:00:00Z');
let work: string;
let whole: string;
let inParts: string;
let again: string;

/** The book, with a link from its first chapter to its last, and back: the two are printed in different parts. */
async function writeLinkedBook(folder: string): Promise<string> {
  const file = await writeBenchBook(folder, CHAPTERS);
  const text = await readFile(file, 'utf8');
  const linked = text
    .replace('## Chapter 1: The Many Benefits of Foot Massage\n', `$&\nRead on in [the last chapter](#chapter-${CHAPTERS}-the-many-benefits-of-foot-massage).\n`)
    .replace(`## Chapter ${CHAPTERS}: The Many Benefits of Foot Massage\n`, '$&\nBack to [the first chapter](#chapter-1-the-many-benefits-of-foot-massage).\n');
  await writeFile(file, linked);
  return file;
}

const buildPdf = async (input: string, name: string, printParts: number) => {
  const { files, warnings } = await build({ input, outDir: path.join(work, name), formats: ['pdf'], printParts, buildTime });
  expect(warnings.map((warning) => warning.reason)).toEqual([]);
  return files.find((file) => file.endsWith('-a4.pdf'))!;
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'massage-press-parts-'));
  const book = await writeLinkedBook(path.join(work, 'book'));
  whole = await buildPdf(book, 'whole', 1);
  inParts = await buildPdf(book, 'parts', PARTS);
  again = await buildPdf(book, 'again', PARTS);
}, 240_000);

afterAll(() => rm(work, { recursive: true, force: true }));

/** Each outline entry: its depth, title and the page (from 1) its destination is on. */
async function outlineOf(file: string): Promise<{ depth: number; title: string; page: number }[]> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const pages = pdf.getPages().map((page) => page.ref.objectNumber);
  const lookup = (object: PDFObject | undefined) => (object instanceof PDFRef ? pdf.context.lookup(object) : object);
  const entries: { depth: number; title: string; page: number }[] = [];
  const walk = (parent: PDFDict, depth: number) => {
    for (let item = lookup(parent.get(PDFName.of('First'))); item instanceof PDFDict; item = lookup(item.get(PDFName.of('Next')))) {
      const title = item.get(PDFName.of('Title'));
      const dest = lookup(item.get(PDFName.of('Dest')));
      const page = dest instanceof PDFArray ? (dest.get(0) as PDFRef).objectNumber : -1;
      entries.push({ depth, title: title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : '', page: pages.indexOf(page) + 1 });
      walk(item, depth + 1);
    }
  };
  walk(lookup(pdf.catalog.get(PDFName.of('Outlines'))) as PDFDict, 0);
  return entries;
}

/** Each named destination, and the page (from 1) it is on. */
async function destinationsOf(file: string): Promise<Map<string, number>> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const pages = pdf.getPages().map((page) => page.ref.objectNumber);
  const dests = pdf.context.lookup(pdf.catalog.get(PDFName.of('Dests'))) as PDFDict;
  return new Map(dests.entries().map(([key, value]) => [key.decodeText(), pages.indexOf(((pdf.context.lookup(value) as PDFArray).get(0) as PDFRef).objectNumber) + 1]));
}

/** A book's print page of six short chapters, each linking to another. */
const SMALL_BOOK = `<html lang="en" class="edition-a4 book"><head></head><body>\n<header></header>\n<main>\n${Array.from({ length: 6 }, (_, index) => `<section class="chapter" data-chapter="${index + 1}"><h2 id="c${index + 1}">C</h2><p>${'x'.repeat(100)} <a href="#c${6 - index}">to ${6 - index}</a></p></section>`).join('\n')}\n</main>\n<footer></footer>\n</body>\n</html>\n`;

describe('a long book printed in parts', () => {
  it('is cut before chapters, as many parts as asked, and not at all when it is not a book', async () => {
    const html = SMALL_BOOK;
    expect(partCount(html, 3)).toBe(3);
    expect(partCount(html, 10)).toBe(6);
    expect(partCount(html.replace(' book', ''), 3)).toBe(1);
    const parts = cutIntoParts(html, 3);
    expect(parts).toHaveLength(3);
    // Every chapter in exactly one part, in order; the masthead in the first, the closing matter in the last.
    const chapters = parts.map((part) => [...part.matchAll(/data-chapter="(\d+)"/g)].map((match) => Number(match[1])));
    expect(chapters.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parts.map((part) => part.includes('<header>'))).toEqual([true, false, false]);
    expect(parts.map((part) => part.includes('<footer>'))).toEqual([false, false, true]);
    // A link into another part points at the join's address; the place it points to gets a hidden link in its own part.
    expect(parts[0]).toContain('href="https://press.invalid/other-part#c6"');
    expect(parts[2]).toContain('<a href="#c6" hidden></a>');
    expect(parts.every((part) => part.includes('@bottom-center { content: none !important; }'))).toBe(true);
  });

  it('fails as the part that could not print failed, its margin sheet never made', async () => {
    // The sheet's page is shown while the parts print, and is handed its pages only once they have.
    const failure = new Error('the renderer is gone');
    let sheet: Promise<string> | undefined;
    const printer = {
      part: async () => Promise.reject(failure),
      sheet: (_html: string, body: Promise<string>, sent: () => void) => (sheet = body).then(() => (sent(), new Uint8Array())),
    };
    await expect(printInParts(SMALL_BOOK, 3, [2], printer)).rejects.toBe(failure);
    await expect(sheet).rejects.toBe(failure);
  });

  it('reads an id as Chromium names it, its character references read', () => {
    expect(readCharacterReferences('q&#x26;a-&#34;x&#34;-&amp;-&nbsp;-&#x1F9B6;')).toBe('q&a-"x"-&-\u00a0-\u{1F9B6}');
    // Not a reference: left as written.
    expect(readCharacterReferences('&nosuchname; & &#xZZ;')).toBe('&nosuchname; & &#xZZ;');
  });

  it('takes the count of parts from the command line, a whole number of 1 or more', () => {
    expect(parseCliArgs(['book.md', '--print-parts', '3'], '/project')).toMatchObject({ printParts: 3 });
    expect(parseCliArgs(['book.md'], '/project')).not.toHaveProperty('printParts');
    for (const bad of ['0', '2.5', 'many']) expect(() => parseCliArgs(['book.md', '--print-parts', bad], '/project')).toThrow(/--print-parts must be a whole number of 1 or more/);
  });

  it('was printed in parts: its margin boxes drawn from a sheet of their own, the whole print draws its own', async () => {
    const marginBoxes = async (file: string) => {
      const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
      return pdf.getPages().filter((page) => (pdf.context.lookup(page.node.Resources()?.get(PDFName.of('XObject'))) as PDFDict | undefined)?.has(PDFName.of('MarginBoxes'))).length;
    };
    expect(await marginBoxes(inParts)).toBe((await PDFDocument.load(await readFile(inParts))).getPageCount());
    expect(await marginBoxes(whole)).toBe(0);
  });

  it('has the pages of the whole, each with its text, running heads and "page / pages"', async () => {
    const [wholeLines, partLines] = await Promise.all([textLinesByPage(whole), textLinesByPage(inParts)]);
    expect(wholeLines.length).toBeGreaterThan(100);
    expect(partLines.length).toBe(wholeLines.length);
    const pages = partLines.length;
    partLines.forEach((lines, index) => {
      const texts = lines.map((line) => line.text.trim());
      expect(texts, `page ${index + 1}`).toEqual(wholeLines[index]!.map((line) => line.text.trim()));
      expect(texts, `page ${index + 1}`).toContain(`${index + 1} / ${pages}`);
      // The running head on every page but the first.
      expect(texts.includes('THE FOOT MASSAGE COMPENDIUM'), `page ${index + 1}`).toBe(index > 0);
    });
  });

  it('has the tags of the whole, every mark tagged or an artifact', async () => {
    const [wholeTags, partTags] = await Promise.all([readPdfStructure(whole), readPdfStructure(inParts)]);
    const summary = (structure: typeof wholeTags) => structure.elements.map((element) => `${element.written} ${element.text}`);
    expect(partTags.elements.length).toBeGreaterThan(1000);
    expect(summary(partTags)).toEqual(summary(wholeTags));
    expect(partTags.untaggedPainting.every((count) => count === 0)).toBe(true);
    // Each link annotation held by its Link element, as in the whole.
    expect(partTags.links.map((link) => [link.page, link.dest ?? link.uri, link.parent?.written])).toEqual(wholeTags.links.map((link) => [link.page, link.dest ?? link.uri, link.parent?.written]));
  });

  it('links from one part into another land on the page the whole lands on', async () => {
    const [wholeDests, partDests, partTags] = await Promise.all([destinationsOf(whole), destinationsOf(inParts), readPdfStructure(inParts)]);
    expect(partDests).toEqual(wholeDests);
    const last = `chapter-${CHAPTERS}-the-many-benefits-of-foot-massage`;
    const toLast = partTags.links.find((link) => link.dest === last)!;
    const toFirst = partTags.links.find((link) => link.dest === 'chapter-1-the-many-benefits-of-foot-massage')!;
    expect(toLast.page).toBeLessThan(partDests.get(last)!);
    expect(toFirst.page).toBe(partDests.get(last)!);
    expect(partDests.get('chapter-1-the-many-benefits-of-foot-massage')).toBeLessThan(toFirst.page);
    expect(partTags.links.some((link) => link.uri?.includes('press.invalid'))).toBe(false);
  });

  it('has the outline of the whole, nested by heading', async () => {
    const [wholeOutline, partOutline] = await Promise.all([outlineOf(whole), outlineOf(inParts)]);
    expect(partOutline.length).toBeGreaterThan(CHAPTERS);
    expect(partOutline).toEqual(wholeOutline);
    expect(partOutline.filter((entry) => entry.depth === 0)).toHaveLength(1);
  });

  it('embeds the picture every chapter draws once, as the whole does, and draws it on every chapter\'s page', async () => {
    const pictures = async (file: string) => {
      const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
      const images = pdf.context
        .enumerateIndirectObjects()
        .filter(([, object]) => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'))
        .map(([ref]) => ref.objectNumber);
      // The pages that draw one, and which.
      const drawn = pdf.getPages().flatMap((page) => {
        const xobjects = pdf.context.lookup(page.node.Resources()?.get(PDFName.of('XObject'))) as PDFDict | undefined;
        return (xobjects?.values() ?? []).flatMap((value) => (value instanceof PDFRef && images.includes(value.objectNumber) ? [value.objectNumber] : []));
      });
      return { images: images.length, drawnOn: drawn.length, distinct: new Set(drawn).size };
    };
    const [wholePictures, partPictures] = await Promise.all([pictures(whole), pictures(inParts)]);
    expect(wholePictures.drawnOn).toBeGreaterThanOrEqual(CHAPTERS);
    expect(wholePictures).toMatchObject({ images: 1, distinct: 1 });
    expect(partPictures).toEqual(wholePictures);
  });

  it('is the same file byte for byte at every build', async () => {
    expect(Buffer.compare(await readFile(inParts), await readFile(again))).toBe(0);
  });
});
