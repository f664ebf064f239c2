/**
 * The page each block of the text starts on, for the ebook's page list, read from the
 * tag tree: Chromium tags the print page's `<main>` as the document's second element
 * (after the masthead's `<header>`, before the imprint's `<footer>`), and in it each
 * numbered block (render/page-blocks.ts) as a `P`, `H1`…`H6`, `LI` or `TR`, in document
 * order. A block's page is that of the first content it holds (`/Pg`).
 *
 * Named destinations were tried first (a hidden link to each block makes Chromium write
 * its page): they cost Chromium time for every block (docs/accessibility.md, "The page
 * list"). The tag tree is there anyway. When it does not hold as many blocks as the text (Chromium tagged
 * something otherwise), there is no page list rather than a wrong one.
 */
import { PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { asArray } from './structure.js';
import type { ChromiumPdf } from './chromium-pdf.js';

export interface BlockPages {
  /** The page each numbered block starts on (1-based), by block number; none when the tag tree does not match the text. */
  blockPages: number[] | undefined;
  imprintPage: number | undefined;
}

const BLOCK_TYPES = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'TR']);

export function blockPagesOf(pdf: ChromiumPdf, catalog: PDFDict, pages: PDFRef[], blockCount: number): BlockPages {
  const pageNumber = new Map(pages.map((ref, index) => [ref.objectNumber, index + 1]));
  const kids = (dict: PDFDict | undefined) => asArray(pdf, dict?.get(PDFName.of('K')));
  const root = pdf.lookupDict(catalog.get(PDFName.of('StructTreeRoot')));
  const document = pdf.lookupDict(kids(root)[0]);
  const [, main, footer] = kids(document).map((kid) => pdf.lookupDict(kid));

  /** The page of the first content under `dict`, depth first. */
  const firstPage = (dict: PDFDict | undefined, inherited?: PDFRef): number | undefined => {
    if (!dict) return undefined;
    const own = dict.get(PDFName.of('Pg'));
    const page = own instanceof PDFRef ? own : inherited;
    for (const kid of kids(dict)) {
      if (kid instanceof PDFNumber && page) return pageNumber.get(page.objectNumber);
      const child = pdf.lookupDict(kid);
      if (!child) continue;
      if (child.get(PDFName.of('Type')) === PDFName.of('MCR')) {
        const mcrPage = child.get(PDFName.of('Pg'));
        return pageNumber.get((mcrPage instanceof PDFRef ? mcrPage : page)?.objectNumber ?? -1);
      }
      const found = child.has(PDFName.of('S')) ? firstPage(child, page) : undefined;
      if (found) return found;
    }
    return undefined;
  };

  const blockPages: number[] = [];
  const walk = (dict: PDFDict) => {
    for (const kid of kids(dict)) {
      const child = pdf.lookupDict(kid);
      const type = child?.get(PDFName.of('S'));
      if (!child || !(type instanceof PDFName)) continue;
      if (BLOCK_TYPES.has(type.decodeText())) blockPages.push(firstPage(child) ?? blockPages.at(-1) ?? 1);
      walk(child);
    }
  };
  if (main) walk(main);
  return { blockPages: blockPages.length === blockCount ? blockPages : undefined, imprintPage: firstPage(footer) };
}
