/**
 * Print the PDF: Chromium lays out the print page (paged CSS, tagged, with
 * an outline from the headings), then pdf-lib writes the document metadata
 * Chromium leaves out (Author, Subject, Keywords, Lang, dates, the file identifier).
 * Nothing in it depends on the clock or on chance: with SOURCE_DATE_EPOCH set,
 * two builds of the same manuscript are byte-identical.
 */
import { createHash } from 'node:crypto';
import type { Browser } from 'puppeteer-core';
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from 'pdf-lib';
import { openLockedPage } from '../browser.js';
import type { PrintEdition, Publication } from '../render/template.js';

export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
}

export async function printPdf(browser: Browser, publication: Publication, edition: PrintEdition): Promise<PrintedPdf> {
  const page = await openLockedPage(browser, edition.html, publication.print.resources);
  try {
    // No wait for fonts first: the page is hidden on screen (styles/print.css), so none has been asked
    // for yet; they load during the print's own layout, and the tests find them in every edition.
    const printed = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      tagged: true,
      outline: true,
      timeout: 0,
    });
    return await writeMetadata(printed, publication);
  } finally {
    await page.close();
  }
}

/** The PDF is parsed once, here (0.15 s for a 300-page book), and its pages are counted on the way. */
async function writeMetadata(pdf: Uint8Array, publication: Publication): Promise<PrintedPdf> {
  const { metadata, authors, buildTime } = publication;
  // pdf-lib pauses for a timer every 100 objects it parses and every 50 it writes, for pages that
  // must keep responding; a build need not, and a tagged 300-page book has 12,000 objects: 0.2 s of pauses.
  const document = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  document.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (authors.length) document.setAuthor(authors.join(', '));
  if (metadata.description) document.setSubject(metadata.description);
  if (metadata.keywords) document.setKeywords(metadata.keywords);
  document.setLanguage(metadata.lang);
  document.setCreator('massage-press (Chromium)');
  document.setProducer('massage-press with pdf-lib');
  document.setCreationDate(buildTime);
  document.setModificationDate(buildTime);
  retitleOutline(document, publication.headings.map((heading) => heading.text));
  setFileIdentifier(document, publication);
  renumberStructureIds(document);
  return { bytes: await document.save({ useObjectStreams: true, objectsPerTick: Infinity }), pages: document.getPageCount() };
}

/**
 * The trailer's /ID (Chromium writes none): the first half stays the same for every
 * build of the publication (its identifier), the second names this version (identifier
 * and build time), so both are reproducible.
 */
function setFileIdentifier(document: PDFDocument, publication: Publication): void {
  const digest = (text: string) => PDFHexString.of(createHash('md5').update(text).digest('hex'));
  const id = PDFArray.withContext(document.context);
  id.push(digest(publication.identifier));
  id.push(digest(`${publication.identifier} ${publication.buildTime.toISOString()}`));
  document.context.trailerInfo.ID = id;
}

/**
 * Chromium names tagged elements that others refer to (table header cells, by a
 * cell's /Headers) after the renderer's DOM node counter, `(node00000105)`, whose
 * value depends on what else the browser did first (drawing the EPUB cover, say).
 * Numbering them 1, 2, 3… in their original order makes the PDF reproducible and
 * keeps the /IDTree sorted.
 */
function renumberStructureIds(document: PDFDocument): void {
  const NODE_ID = /^node(\d+)$/;
  const places: { container: PDFDict | PDFArray; key: PDFName | number; id: string }[] = [];
  const seen = new Set<PDFObject>();
  const visit = (object: PDFObject | undefined): void => {
    if (!object || seen.has(object)) return;
    seen.add(object);
    const check = (container: PDFDict | PDFArray, key: PDFName | number, value: PDFObject) => {
      if (value instanceof PDFString && NODE_ID.test(value.asString())) places.push({ container, key, id: value.asString() });
      else visit(value);
    };
    if (object instanceof PDFDict) for (const [key, value] of object.entries()) check(object, key, value);
    else if (object instanceof PDFArray) object.asArray().forEach((value, index) => check(object, index, value));
  };
  for (const [, object] of document.context.enumerateIndirectObjects()) visit(object);
  const order = [...new Set(places.map((place) => place.id))].sort((a, b) => Number(NODE_ID.exec(a)![1]) - Number(NODE_ID.exec(b)![1]));
  const renamed = new Map(order.map((id, index) => [id, `node${String(index + 1).padStart(8, '0')}`]));
  for (const { container, key, id } of places) {
    const value = PDFString.of(renamed.get(id)!);
    if (container instanceof PDFDict) container.set(key as PDFName, value);
    else container.set(key as number, value);
  }
}

/**
 * Chromium titles each bookmark with the heading's laid-out lines joined without
 * a space ("FootMassage" where the title wraps). The outline lists the headings
 * in document order, so each entry takes its heading's own text instead.
 */
function retitleOutline(document: PDFDocument, titles: string[]): void {
  const outlines = document.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const items: PDFDict[] = [];
  const walk = (parent: PDFDict | undefined) => {
    for (let item = parent?.lookupMaybe(PDFName.of('First'), PDFDict); item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      items.push(item);
      walk(item);
    }
  };
  walk(outlines);
  if (items.length !== titles.length) return;
  items.forEach((item, index) => item.set(PDFName.of('Title'), PDFHexString.fromText(titles[index]!)));
}
