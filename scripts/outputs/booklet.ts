/**
 * A booklet for the office printer: the A5 (half-letter) pages of the printed edition, two on each side
 * of an A4 (Letter) landscape sheet, in saddle-stitch order. Printed on both sides, flipped on the short
 * edge, the sheets stacked as they come out, folded down the middle and stapled in the fold, the booklet
 * reads in order: the cover first, the closing matter (the contact panel, notes and imprint) at the back, ending on the back cover.
 *
 * A booklet's pages come in fours (one sheet, both sides, folded): the pages short of a multiple of four
 * are left blank just before the closing matter. This file is for printing only: untagged, it says how to
 * print it in the first line of its Subject; the A5 PDF stays the accessible, tagged reading copy.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import { EDITIONS, points, type EditionId } from '../base/editions.js';
import type { Publication } from '../render/publication.js';
import { CREATOR, PRODUCER, xmpPacket } from './pdf.js';

/** A side of a sheet: the page printed on its left half and on its right half (1-based; `undefined`: blank). */
export type SheetSide = [left: number | undefined, right: number | undefined];

/**
 * Each sheet's two sides, outermost sheet first, for a booklet of `pages` pages whose closing matter starts
 * on page `closingPage` (the last page when not known): blank pages go before the closing matter up to a
 * multiple of four, so that it ends on the back cover. The front of the first sheet holds the back cover
 * and the cover; the back of the last sheet, the two middle pages.
 */
export function saddleStitchSheets(pages: number, closingPage = pages): { front: SheetSide; back: SheetSide }[] {
  const padded = bookletPages(pages);
  const closing = Math.min(Math.max(closingPage, 2), pages);
  // The booklet's pages in reading order as folded: the text, blanks, then the closing matter.
  const numbered = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
  const physical: (number | undefined)[] = [...numbered(1, closing - 1), ...Array(padded - pages).fill(undefined), ...numbered(closing, pages)];
  const at = (position: number) => physical[position - 1];
  return Array.from({ length: padded / 4 }, (_, sheet) => ({
    front: [at(padded - 2 * sheet), at(2 * sheet + 1)],
    back: [at(2 * sheet + 2), at(padded - 2 * sheet - 1)],
  }));
}

/** The pages of a booklet of `pages` printed pages: a multiple of four. */
export const bookletPages = (pages: number) => Math.max(4, Math.ceil(pages / 4) * 4);

/** How to print the sheets, for the file's Subject and the build's output. */
export function printingInstructions(id: EditionId, pages: number): string {
  const edition = EDITIONS[id];
  if (edition.fold?.kind !== 'booklet') throw new Error(`${id} is not a booklet`);
  const padded = bookletPages(pages);
  const size = id === 'a5-booklet' ? 'an A5' : 'a half-letter';
  return (
    `Print on ${edition.fold.sheetName} paper, double-sided, flip on short edge, at actual size; ` +
    `fold the ${padded / 4} sheet${padded === 4 ? '' : 's'} in half together and staple in the fold: ${size} booklet of ${padded} pages.`
  );
}

/** The imposed sheets of the booklet edition `id`, from its printed pages (`a5Pdf`), whose closing matter starts on `closingPage`. */
export async function imposeBooklet(a5Pdf: Uint8Array, id: EditionId, publication: Publication, closingPage?: number): Promise<Uint8Array> {
  const edition = EDITIONS[id];
  if (edition.fold?.kind !== 'booklet') throw new Error(`${id} is not a booklet`);
  const source = await PDFDocument.load(a5Pdf, { updateMetadata: false });
  const pages = source.getPageCount();
  const sheetsPdf = await PDFDocument.create({ updateMetadata: false });
  const embedded = await sheetsPdf.embedPdf(source, source.getPageIndices());
  const sheet = { width: points(edition.fold.sheet.width), height: points(edition.fold.sheet.height) };
  const page = { width: points(edition.page.width), height: points(edition.page.height) };
  // Each page centred on its half of the sheet (A5 is 148 mm wide, half of A4 148.5 mm): the fold is the sheet's middle.
  const inset = sheet.width / 2 - page.width;
  for (const { front, back } of saddleStitchSheets(pages, closingPage)) {
    for (const [left, right] of [front, back]) {
      const side = sheetsPdf.addPage([sheet.width, sheet.height]);
      if (left) side.drawPage(embedded[left - 1]!, { x: inset, y: (sheet.height - page.height) / 2, ...page });
      if (right) side.drawPage(embedded[right - 1]!, { x: sheet.width / 2, y: (sheet.height - page.height) / 2, ...page });
    }
  }
  const instructions = printingInstructions(id, pages);
  const { metadata, authors, buildTime, identifier } = publication;
  const description = [instructions, metadata.description].filter(Boolean).join('\n');
  sheetsPdf.setTitle(`${metadata.title} (${edition.label}, for printing)`);
  sheetsPdf.setSubject(description);
  if (authors.length) sheetsPdf.setAuthor(authors.join(', '));
  if (metadata.keywords) sheetsPdf.setKeywords(metadata.keywords);
  sheetsPdf.setCreator(CREATOR);
  sheetsPdf.setProducer(PRODUCER);
  sheetsPdf.setCreationDate(buildTime);
  sheetsPdf.setModificationDate(buildTime);
  sheetsPdf.setLanguage(metadata.lang);
  const { catalog, context } = sheetsPdf;
  // The print dialog's defaults, where a viewer reads them: both sides, flipped on the short edge, at actual size.
  catalog.set(
    PDFName.of('ViewerPreferences'),
    context.obj({ Duplex: 'DuplexFlipShortEdge', PrintScaling: 'None', PickTrayByPDFSize: true, DisplayDocTitle: true }),
  );
  const xmp = xmpPacket(publication, { pdfUa: false, title: `${metadata.title} (${edition.label}, for printing)`, description });
  catalog.set(PDFName.of('Metadata'), context.register(context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' })));
  const digest = (text: string) => PDFHexString.of(createHash('md5').update(text).digest('hex'));
  context.trailerInfo.ID = context.obj([digest(`${identifier} ${id} imposed`), digest(`${identifier} ${id} imposed ${buildTime.toISOString()}`)]);
  return sheetsPdf.save({ useObjectStreams: true });
}
