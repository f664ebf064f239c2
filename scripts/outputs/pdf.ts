/**
 * Print the PDF: Chromium lays out the print page (paged CSS, tagged, with
 * an outline from the headings), then the PDF is written again (chromium-pdf.ts)
 * with the document metadata Chromium leaves out (Author, Subject, Keywords, dates,
 * the file identifier), its running heads and page numbers marked as pagination
 * artifacts (pdf-artifacts.ts), and its dictionaries in compressed object streams.
 * Nothing in it depends on the clock or on chance: with SOURCE_DATE_EPOCH set,
 * two builds of the same manuscript are byte-identical.
 */
import { createHash } from 'node:crypto';
import ejs from 'ejs';
import type { Browser, Page } from 'puppeteer-core';
import { PDFArray, PDFBool, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { finishStructure, type PdfUaVerdict } from '../pdf-postprocess/structure.js';
import { blockPagesOf, type BlockPages } from '../pdf-postprocess/block-pages.js';
import { mendPageContent } from '../pdf-postprocess/page-content.js';
import { GlyphTexts } from '../fonts/glyph-texts.js';
import { distinctFontFiles } from '../fonts/faces.js';
import { printKeepingHyphenationRules } from '../pdf-postprocess/hyphenation-rules.js';
import type { ChromiumPdf } from '../pdf-postprocess/chromium-pdf.js';
import { withLockedPage } from '../browser/locked-page.js';
import { partCount, printInParts } from './print-in-parts.js';
import { readCharacterReferences } from '../base/html-text.js';
import { uuidUrnOf } from '../manuscript/identity.js';
import type { PrintEdition, Publication } from '../render/publication.js';
import type { PrintPages } from '../render/page-blocks.js';
import { EDITIONS, editionFileName, type EditionId, type Size } from '../base/editions.js';
import { printFitted, type Overrun } from '../pdf-postprocess/fit-pages.js';
import { BLEED_MM, makePressReady } from '../pdf-postprocess/press.js';
import type { PressInput } from '../manuscript/press-profile.js';
import { pageRule, withStyle } from '../render/page-rule.js';
import type { Metadata } from '../manuscript/metadata.js';

export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
  /** How tightly it was fitted to its pages (pdf-postprocess/fit-pages.ts): 0 as set, 1 the tightest allowed. */
  fit: number;
  /** The pages asked for, when even the tightest print runs over them. */
  over?: Overrun;
  /** Whether the PDF claims PDF/UA-1, and why not (pdf-structure.ts). */
  pdfUa: PdfUaVerdict;
  /** The page each block of the text starts on, for the ebook's page list (pdf-page-blocks.ts). */
  blocks: BlockPages;
}

/**
 * `sent` is called once Chromium has been asked to print: from then on, other work no longer holds the print up.
 * `forPress`: the press file (pdf-postprocess/press.ts), printed with bleed, PDF/X-4 and no PDF/UA claim.
 * `parts`: how many parts a long book is printed in at once (outputs/print-in-parts.ts); by the machine's cores when not given.
 */
export async function printPdf(
  browser: Browser,
  publication: Publication,
  edition: PrintEdition,
  sent: () => void = () => {},
  { forPress = false, parts: asked }: { forPress?: boolean; parts?: number } = {},
): Promise<PrintedPdf> {
  const page = EDITIONS[edition.id];
  const parts = forPress || page.fold ? 1 : partCount(edition.html, asked);
  const printOnce = (html: string) => printPage(browser, html, publication, sent);
  const ranks = publication.headings.map((heading) => heading.rank);
  const printer = {
    part: (html: string) => printPage(browser, html, publication, sent, { apart: true }),
    sheet: (html: string, body: Promise<string>, sheetSent: () => void) => printPage(browser, html, publication, sheetSent, { body }),
  };
  const printWhole = parts > 1 ? (html: string) => printInParts(html, parts, ranks, printer) : printOnce;
  const print = (html: string) => (edition.justified ? printKeepingHyphenationRules(html, printWhole) : printWhole(html));
  const bleed = forPress ? BLEED_MM : 0;
  const { pdf, fit, over } = await printFitted(forPress ? withStyle(edition.html, pageRule(page, { bleed })) : edition.html, print, {
    edition: page,
    pages: pagesAskedFor(publication.metadata, edition.id),
    pullBack: page.fold === undefined,
    fitCss: publication.print.fitCss,
    blockCount: publication.print.tags.pageBlocks,
    bleed,
  });
  const press = forPress ? publication.print.press : undefined;
  if (forPress && !press) throw new Error('a press file was asked for without a press profile (the manuscript stage checks for one)');
  return { ...(await finishPdf(pdf, publication, edition, press && { ...press, trim: page.page })), fit, over };
}

/** The pages front matter `pages` asks of an edition; a tri-fold's two sides, always. */
export function pagesAskedFor({ pages }: Pick<Metadata, 'pages'>, id: EditionId): number | undefined {
  const edition = EDITIONS[id];
  if (edition.fold?.kind === 'trifold') return 2;
  return typeof pages === 'number' ? pages : pages?.[id];
}

/**
 * `apart`: in a renderer of its own, whatever the document's length (a part of a book, printed beside the others).
 * `body`: the body `html` is printed with, once it is known (a book's margin sheet, whose pages are counted while
 * the parts print): the page is shown, its fonts loaded, meanwhile.
 */
async function printPage(
  browser: Browser,
  html: string,
  publication: Publication,
  sent: () => void,
  { apart = false, body }: { apart?: boolean; body?: Promise<string> } = {},
): Promise<Uint8Array> {
  const print = async (page: Page) => {
    // Every face the page declares (only those its text uses: scripts/fonts.ts) loaded before the print. The
    // page is hidden on screen (styles/print.css), so nothing has asked for them yet; Chromium 156 waited for
    // them during the print's own layout, but 143 (the bundled one) printed in its fallback font instead.
    // (No callback handed to the page's own objects, as FontFaceSet.forEach would be: with JavaScript off, Chromium refuses to run it.)
    await page.evaluate(async () => {
      await Promise.all(Array.from(document.fonts as unknown as Iterable<FontFace>).map((face) => face.load()));
      // Every image decoded once, to pixels, before the print. Blink keeps one picture of an image for all the
      // places it is drawn, but makes a new one when what it knows of the image's transparency changes, which
      // the first such decode tells it (BitmapImage::PaintImageForCurrentFrame). When that decode came from
      // the compositor's threads while the pages were being drawn, the pages drawn after it held a second
      // copy of the image, and the PDF a second image object: the builds were no longer byte-identical.
      // (A JPEG decoded by img.decode() is decoded to YUV planes, which tells nothing of transparency.)
      const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
      for (const image of Array.from(document.images)) {
        if (!image.complete || !image.naturalWidth) continue;
        context.drawImage(image, 0, 0, 1, 1);
        context.getImageData(0, 0, 1, 1);
      }
    });
    // Set by DevTools, which runs with the page's JavaScript off; the body's blank pages hold no font or image.
    if (body) await page.evaluate((markup) => void (document.body.innerHTML = markup), await body);
    const printing = page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      tagged: true,
      outline: true,
      timeout: 0,
      // Loaded above: puppeteer's own wait asks the page again.
      waitForFonts: false,
    });
    sent();
    return await printing;
  };
  // A margin sheet waits for its book's parts, which print meanwhile: it takes no other print's turn.
  return withLockedPage(browser, html, publication.print.resources, print, { apart, alongside: body !== undefined });
}

/** Chromium's PDF, as read, with the metadata it leaves out and its running heads marked as such, and its pages, counted on the way. */
async function finishPdf(pdf: ChromiumPdf, publication: Publication, edition: PrintEdition, press?: PressInput & { trim: Size }): Promise<Omit<PrintedPdf, 'fit' | 'over'>> {
  renumberStructureIds(pdf);
  const rootRef = pdf.trailer.get(PDFName.of('Root')) as PDFRef;
  const catalog = pdf.lookupDict(rootRef)!;
  catalog.set(PDFName.of('Lang'), PDFString.of(publication.metadata.lang));
  // The title, not the file name, in the reader's window (Chromium asks for it too).
  const preferences = pdf.lookupDict(catalog.get(PDFName.of('ViewerPreferences'))) ?? (pdf.context.obj({ Type: 'ViewerPreferences' }) as PDFDict);
  preferences.set(PDFName.of('DisplayDocTitle'), PDFBool.True);
  catalog.set(PDFName.of('ViewerPreferences'), preferences);
  pdf.set(rootRef, catalog);
  const info = documentInformation(pdf, publication);
  const infoRef = pdf.trailer.get(PDFName.of('Info'));
  if (infoRef instanceof PDFRef) pdf.set(infoRef, info);
  else pdf.trailer.set(PDFName.of('Info'), pdf.add(info));
  retitleOutline(pdf, publication.headings.map((heading) => heading.text));
  pdf.trailer.set(PDFName.of('ID'), fileIdentifier(pdf, publication));
  const pages = pdf.lookupDict(catalog.get(PDFName.of('Pages')))!;
  const pageList = pdf.pageRefs(pages);
  const { notdefGlyphs, glyphsWithoutText } = await mendPageContent(pdf, pageList, glyphTextsOf(publication, edition));
  const pdfUa = finishStructure(pdf, catalog, pageList, publication.print.tags, { notdefGlyphs, glyphsWithoutText });
  const blocks = blockPagesOf(pdf, catalog, pageList, publication.print.tags.pageBlocks);
  if (press) {
    makePressReady(pdf, catalog, pageList, press, press.trim);
    info.set(PDFName.of('Trapped'), PDFName.of('False'));
    info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of(PDFX_VERSION));
    pdf.set(rootRef, catalog);
  }
  // The same metadata as XMP, which PDF 2.0, PDF/A and PDF/UA read instead of the document information.
  const claims = press ? { pdfUa: false, pdfx: PDFX_VERSION } : { pdfUa: pdfUa.conforms };
  catalog.set(PDFName.of('Metadata'), pdf.add(pdf.context.stream(xmpPacket(publication, claims), { Type: 'Metadata', Subtype: 'XML' })));
  // PDF/X-4 is a PDF 1.6 file.
  return { bytes: pdf.write(press ? '1.6' : undefined), pages: (pages.get(PDFName.of('Count')) as PDFNumber).asNumber(), pdfUa, blocks };
}

/** What the glyphs of the page's fonts stand for, by shaping its text (fonts/glyph-texts.ts). */
function glyphTextsOf({ print, metadata }: Publication, edition: PrintEdition): GlyphTexts {
  const fonts = distinctFontFiles(print.fonts).flatMap((face) => {
    const file = print.resources.get(`fonts/${face.fileName}`);
    return file ? [{ fileName: face.fileName, unicodeRange: face.unicodeRange, bytes: file.bytes }] : [];
  });
  return new GlyphTexts(pageTexts(edition.html), metadata.lang, fonts);
}

/** The texts of an HTML page, each piece between two tags on its own (the margin boxes' CSS strings among them), its character references read. */
function pageTexts(html: string): string[] {
  return html.split(/<[^>]*>/).map(readCharacterReferences).filter((text) => text.trim());
}

function documentInformation(pdf: ChromiumPdf, { metadata, authors, buildTime }: Publication): PDFDict {
  const text = (value: string) => PDFHexString.fromText(value);
  const info = pdf.context.obj({}) as PDFDict;
  info.set(PDFName.of('Title'), text(metadata.title));
  if (authors.length) info.set(PDFName.of('Author'), text(authors.join(', ')));
  if (metadata.description) info.set(PDFName.of('Subject'), text(metadata.description));
  if (metadata.keywords) info.set(PDFName.of('Keywords'), text(metadata.keywords.join(' ')));
  info.set(PDFName.of('Creator'), text(CREATOR));
  info.set(PDFName.of('Producer'), text(PRODUCER));
  info.set(PDFName.of('CreationDate'), PDFString.fromDate(buildTime));
  info.set(PDFName.of('ModDate'), PDFString.fromDate(buildTime));
  return info;
}

/** What a file made from the print says of itself that the publication does not: a press file's PDF/X part, a booklet's printing instructions. */
export interface XmpClaims {
  /** The PDF/UA-1 claim, when it holds. */
  pdfUa: boolean;
  /** `PDF/X-4`: the PDF/X version the file conforms to. */
  pdfx?: string;
  title?: string;
  description?: string;
}

/** templates/pdf/xmp.xml.ejs, filled in with what the document information says, and the claims the file makes. */
export function xmpPacket({ metadata, authors, buildTime, identifier, print }: Publication, claims: XmpClaims): Uint8Array {
  const xmp = ejs.render(print.xmpTemplate, {
    pdfUa: claims.pdfUa,
    pdfx: claims.pdfx,
    title: claims.title ?? metadata.title,
    authors,
    description: claims.description ?? metadata.description,
    lang: metadata.lang,
    keywords: metadata.keywords ?? [],
    creator: CREATOR,
    producer: PRODUCER,
    date: buildTime.toISOString().replace(/\.\d+Z$/, 'Z'),
    documentId: identifier,
    instanceId: uuidUrnOf(`${identifier} ${buildTime.toISOString()}`),
  });
  return Buffer.from(xmp, 'utf8');
}

const PDFX_VERSION = 'PDF/X-4';

export const CREATOR = 'massage-press (Chromium)';
export const PRODUCER = 'massage-press (Skia/PDF)';

/**
 * The trailer's /ID (Chromium writes none): the first half stays the same for every
 * build of the publication (its identifier), the second names this version (identifier
 * and build time), so both are reproducible.
 */
function fileIdentifier(pdf: ChromiumPdf, publication: Publication): PDFArray {
  const digest = (text: string) => PDFHexString.of(createHash('md5').update(text).digest('hex'));
  const id = PDFArray.withContext(pdf.context);
  id.push(digest(publication.identifier));
  id.push(digest(`${publication.identifier} ${publication.buildTime.toISOString()}`));
  return id;
}

/**
 * Chromium names tagged elements that others refer to (table header cells, by a
 * cell's /Headers) after the renderer's DOM node counter, `(node00000105)`, whose
 * value depends on what else the browser did first (drawing the EPUB cover, say).
 * Numbering them 1, 2, 3… in their original order makes the PDF reproducible and
 * keeps the /IDTree sorted.
 */
function renumberStructureIds(pdf: ChromiumPdf): void {
  const NODE_ID = /\(node(\d+)\)/g;
  const holding = pdf.dictionariesWith(NODE_ID);
  const found = new Set([...holding.values()].flatMap((text) => [...text.matchAll(NODE_ID)].map((match) => Number(match[1]))));
  const renamed = new Map([...found].sort((a, b) => a - b).map((value, index) => [value, `(node${String(index + 1).padStart(8, '0')})`]));
  for (const [number, text] of holding) pdf.setText(number, text.replace(NODE_ID, (_, value: string) => renamed.get(Number(value))!));
}

/**
 * Chromium titles each bookmark with the heading's laid-out lines joined without
 * a space ("FootMassage" where the title wraps). The outline lists the headings
 * in document order, so each entry takes its heading's own text instead.
 */
function retitleOutline(pdf: ChromiumPdf, titles: string[]): void {
  const items = pdf.outlineItems();
  if (items.length !== titles.length) return;
  items.forEach((ref, index) => {
    const item = pdf.lookupDict(ref)!;
    item.set(PDFName.of('Title'), PDFHexString.fromText(titles[index]!));
    pdf.set(ref, item);
  });
}

/**
 * The pages of the printed edition the ebook lists (A4, else US Letter, else the first printed), once it
 * is printed; none without a printed edition, or when its PDF could not tell them.
 */
export async function printPagesOf(printing: ReadonlyMap<EditionId, Promise<PrintedPdf>>, slug: string): Promise<PrintPages | undefined> {
  const editions = [...printing.keys()];
  const edition = editions.find((id) => id === 'a4') ?? editions.find((id) => id === 'letter') ?? editions[0];
  if (!edition) return undefined;
  const { pages, blocks } = await printing.get(edition)!;
  if (!blocks.blockPages) return undefined;
  return {
    source: `${EDITIONS[edition].label} print edition (${editionFileName(slug, edition)})`,
    count: pages,
    blockPages: blocks.blockPages,
    imprintPage: blocks.imprintPage,
  };
}
