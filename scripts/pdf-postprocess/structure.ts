/**
 * Chromium's tag tree, finished to PDF/UA-1 (ISO 14289-1) where the print page's
 * markup cannot get it there (render/rehype-print-tags.ts does what markup can),
 * and the judgement whether the PDF may then claim PDF/UA.
 *
 * - Chromium writes PDF 2.0's `Strong`, `Em` and `Aside` into a PDF 1.7 file: a
 *   role map names the PDF 1.7 type each stands for (Matterhorn 02-001).
 * - A list item holds its label and then its content loose: the content goes into
 *   an `LBody` (ISO 32000-1, 14.8.4.3.3; veraPDF's PDF/UA-1 rule 7.2-20).
 * - A part in another language is tagged as a generic element (`NonStruct`) with
 *   its `/Lang`: it becomes a `Span`, the type PDF gives a language change in text.
 * - An empty table cell is left out of the tree, and the row is one cell short
 *   (09-004): the cell is put back, empty, where the print page has it.
 * - No link annotation has `/Contents` (28-012): each gets its link's text.
 * - A review copy's insertion or deletion (render/rehype-print-tags.ts numbers each in a
 *   private-use subtag of its `/Lang`) becomes a `Span` in its language again, with an
 *   `/ActualText` that says it: "inserted: twice a day".
 *
 * The claim (`pdfuaid:part` in the XMP) is made only for a PDF in which every
 * figure has a description, every structure type is a standard one or mapped to
 * one, every table row is whole and no character is printed as an empty box.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import type { ChromiumPdf } from './chromium-pdf.js';
import { VFileMessage } from 'vfile-message';
import { CHANGE_MARK_LANG, normalUrl, type PrintTagHints, type TableShape } from '../render/plugins/rehype-print-tags.js';
import type { AccessibilityGaps } from '../render/plugins/rehype-accessibility-warnings.js';

export interface PdfUaVerdict {
  /** The PDF meets every PDF/UA-1 condition this file checks: it may say so in its XMP. */
  conforms: boolean;
  /** Why not, one reason a line, for a reader of the build's output. */
  problems: PdfUaProblem[];
}

export interface PdfUaProblem {
  /** What the manuscript's warnings already name (an image without alt text, characters no font has), or the tag tree. */
  cause: 'undescribed-image' | 'missing-glyph' | 'glyph-without-text' | 'tag-tree';
  text: string;
}

/** ISO 32000-1's standard structure types (14.8.4), which PDF/UA forbids remapping. */
const STANDARD_TYPES = new Set(
  ('Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form').split(' '),
);

/** PDF 2.0 types Chromium writes, and the PDF 1.7 type each is read as. */
const PDF2_TYPES: Readonly<Record<string, string>> = {
  Strong: 'Span',
  Em: 'Span',
  Sub: 'Span',
  Aside: 'Sect',
  Title: 'P',
  DocumentFragment: 'Div',
  FENote: 'Div',
};

interface StructElement {
  ref: PDFRef;
  dict: PDFDict;
  type: string;
}

const name = (text: string) => PDFName.of(text);

/** Structure types that hold text, inside which a part in another language is a `Span`. */
const TEXT_HOLDERS = new Set(['P', 'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'Span', 'Link', 'Em', 'Strong', 'Quote', 'Note', 'Reference', 'Lbl', 'LBody', 'LI', 'TD', 'TH', 'Caption', 'BibEntry', 'Code']);

/**
 * A part of a text in another language (`<span lang>`, given `role="generic"` by rehype-print-tags),
 * with its `/Lang`: Chromium 156 tags it `NonStruct`, Chromium 143 (the bundled one) `Div` inside the
 * paragraph. A `Div` elsewhere is a block, and stays one.
 */
function isLanguageChangeInText(pdf: ChromiumPdf, { type, dict }: StructElement): boolean {
  if (!dict.has(name('Lang'))) return false;
  if (type === 'NonStruct') return true;
  const parent = pdf.lookupDict(dict.get(name('P')));
  const parentType = parent?.get(name('S'));
  return type === 'Div' && parentType instanceof PDFName && TEXT_HOLDERS.has(parentType.decodeText());
}

/** Finish the tag tree and the link annotations of `pdf`, and judge whether it may claim PDF/UA-1. */
export function finishStructure(
  pdf: ChromiumPdf,
  catalog: PDFDict,
  pages: PDFRef[],
  hints: PrintTagHints,
  { notdefGlyphs, glyphsWithoutText }: { notdefGlyphs: number; glyphsWithoutText: number },
): PdfUaVerdict {
  const problems: PdfUaProblem[] = [];
  const tagTree = (text: string) => problems.push({ cause: 'tag-tree', text });
  const rootRef = catalog.get(name('StructTreeRoot'));
  const root = pdf.lookupDict(rootRef);
  if (!(rootRef instanceof PDFRef) || !root) return { conforms: false, problems: [{ cause: 'tag-tree', text: 'Chromium wrote no tag tree' }] };
  const elements = structElements(pdf, root);

  const roleMap = pdf.lookupDict(root.get(name('RoleMap'))) ?? (pdf.context.obj({}) as PDFDict);
  const unmapped = new Set<string>();
  let figuresWithoutAlt = 0;
  let tableIndex = 0;
  for (const element of elements) {
    const { type, dict } = element;
    if (!STANDARD_TYPES.has(type) && !roleMap.has(name(type))) {
      if (PDF2_TYPES[type]) roleMap.set(name(type), name(PDF2_TYPES[type]));
      else unmapped.add(type);
    }
    if (isChangeMark(dict)) markChange(pdf, element, hints);
    else if (isLanguageChangeInText(pdf, element)) retype(pdf, element, 'Span');
    else if (type === 'LI') wrapListBody(pdf, element);
    else if (type === 'Figure' && !dict.has(name('Alt')) && !dict.has(name('ActualText'))) figuresWithoutAlt += 1;
    else if (type === 'Table') {
      const shape = hints.tables[tableIndex++];
      if (!completeTable(pdf, element, shape)) tagTree('a table has rows of different lengths in the tag tree');
    }
  }
  if (roleMap.keys().length) {
    root.set(name('RoleMap'), roleMap);
    pdf.set(rootRef, root);
  }
  describeLinks(pdf, pages, hints);

  if (figuresWithoutAlt) {
    problems.push({ cause: 'undescribed-image', text: `${figuresWithoutAlt} image${figuresWithoutAlt > 1 ? 's have' : ' has'} no description (alternative text)` });
  }
  if (unmapped.size) tagTree(`structure types that are not PDF 1.7's: ${[...unmapped].join(', ')}`);
  if (glyphsWithoutText) {
    problems.push({ cause: 'glyph-without-text', text: `${glyphsWithoutText} glyph${glyphsWithoutText > 1 ? 's' : ''} of the embedded fonts map to no character (PDF/UA-1 7.21.7)` });
  }
  if (notdefGlyphs) {
    problems.push({ cause: 'missing-glyph', text: `${notdefGlyphs} character${notdefGlyphs > 1 ? 's are' : ' is'} printed as an empty box: no font has ${notdefGlyphs > 1 ? 'them' : 'it'}` });
  }
  return { conforms: problems.length === 0, problems };
}

/** What the manuscript's warnings named: images without a description, characters no font has (manuscript/uncovered-characters.ts). */
export type WarnedGaps = Pick<AccessibilityGaps, 'undescribedImages'> & { charactersWithoutFont: readonly string[] };

/**
 * A warning for PDFs that make no PDF/UA-1 claim for a reason the manuscript's own warnings
 * do not give (they name an image without alt text, or characters no font has, at their
 * line): something in the tag tree this version of the build cannot finish.
 */
export function unexplainedPdfUaWarning(verdicts: readonly PdfUaVerdict[], gaps: WarnedGaps, file: string): VFileMessage | undefined {
  const explained = (problem: PdfUaProblem) =>
    (problem.cause === 'undescribed-image' && gaps.undescribedImages.length > 0) || (problem.cause === 'missing-glyph' && gaps.charactersWithoutFont.length > 0);
  const unexplained = [...new Set(verdicts.flatMap((verdict) => verdict.problems.filter((problem) => !explained(problem)).map((problem) => problem.text)))];
  if (unexplained.length === 0) return undefined;
  const message = new VFileMessage(`the PDF makes no PDF/UA-1 claim: ${unexplained.join('; ')}`, { ruleId: 'pdf-ua', source: 'press' });
  message.file = file;
  message.note = 'This is a limit of massage-press, not a mistake in the manuscript: the rest of the PDF is tagged. Please report it, with the manuscript, to the developers of massage-press.';
  return message;
}

/** Every structure element under the root, in document order. */
function structElements(pdf: ChromiumPdf, root: PDFDict): StructElement[] {
  const found: StructElement[] = [];
  const seen = new Set<number>();
  const visit = (kids: PDFObject | undefined) => {
    for (const kid of asArray(pdf, kids)) {
      if (!(kid instanceof PDFRef) || seen.has(kid.objectNumber)) continue;
      seen.add(kid.objectNumber);
      const dict = pdf.lookupDict(kid);
      const type = dict?.get(name('S'));
      if (!dict || !(type instanceof PDFName)) continue;
      found.push({ ref: kid, dict, type: type.decodeText() });
      visit(dict.get(name('K')));
    }
  };
  visit(root.get(name('K')));
  return found;
}

/** An array's items, or the one object that stands for a one-item array (as `/K` and `/A` may). */
export function asArray(pdf: ChromiumPdf, object: PDFObject | undefined): PDFObject[] {
  const value = object instanceof PDFRef && !(pdf.lookup(object) instanceof PDFDict) ? pdf.lookup(object) : object;
  if (value instanceof PDFArray) return value.asArray();
  return value === undefined ? [] : [value];
}

const isChangeMark = (dict: PDFDict) => {
  const lang = dict.get(name('Lang'));
  return (lang instanceof PDFString || lang instanceof PDFHexString) && CHANGE_MARK_LANG.test(lang.decodeText());
};

/** A review copy's mark: a `Span` in the language it stands in, saying what it is ("inserted: …", "deleted: …"). */
function markChange(pdf: ChromiumPdf, element: StructElement, hints: PrintTagHints): void {
  const [, lang, , number] = CHANGE_MARK_LANG.exec((element.dict.get(name('Lang')) as PDFString | PDFHexString).decodeText())!;
  element.dict.set(name('Lang'), PDFString.of(lang!));
  const said = hints.changeMarks[Number(number)];
  if (said) element.dict.set(name('ActualText'), PDFHexString.fromText(said));
  retype(pdf, element, 'Span');
}

function retype(pdf: ChromiumPdf, element: StructElement, type: string): void {
  element.dict.set(name('S'), name(type));
  element.type = type;
  pdf.set(element.ref, element.dict);
}

/** A new structure element of `type` under `parent`, holding `kids`; its reference. */
function newElement(pdf: ChromiumPdf, type: string, parent: PDFRef, kids: PDFRef[], attributes?: PDFObject): PDFRef {
  const dict = pdf.context.obj({ Type: 'StructElem', S: type, P: parent }) as PDFDict;
  if (kids.length) dict.set(name('K'), kids.length === 1 ? kids[0]! : pdf.context.obj(kids));
  if (attributes) dict.set(name('A'), attributes);
  return pdf.add(dict);
}

function setParent(pdf: ChromiumPdf, kid: PDFRef, parent: PDFRef): void {
  const dict = pdf.lookupDict(kid)!;
  dict.set(name('P'), parent);
  pdf.set(kid, dict);
}

const typeOf = (pdf: ChromiumPdf, kid: PDFObject): string | undefined => {
  const type = kid instanceof PDFRef ? pdf.lookupDict(kid)?.get(name('S')) : undefined;
  return type instanceof PDFName ? type.decodeText() : undefined;
};

/** `LI` → `Lbl` `LBody`: the item's elements after its label go into an `LBody`. */
function wrapListBody(pdf: ChromiumPdf, item: StructElement): void {
  const kids = asArray(pdf, item.dict.get(name('K')));
  const body = kids.filter((kid): kid is PDFRef => kid instanceof PDFRef && typeOf(pdf, kid) !== undefined && typeOf(pdf, kid) !== 'Lbl' && typeOf(pdf, kid) !== 'LBody');
  if (body.length === 0) return;
  const bodyRef = newElement(pdf, 'LBody', item.ref, body);
  for (const kid of body) setParent(pdf, kid, bodyRef);
  const kept = kids.filter((kid) => !body.includes(kid as PDFRef));
  item.dict.set(name('K'), pdf.context.obj([...kept, bodyRef]));
  pdf.set(item.ref, item.dict);
}

/**
 * Put back, empty, the cells Chromium left out of a table's rows (it tags no cell
 * without text), where the print page has them. False when a row stays short.
 */
function completeTable(pdf: ChromiumPdf, table: StructElement, shape: TableShape | undefined): boolean {
  const rows: StructElement[] = [];
  const collectRows = (element: StructElement) => {
    for (const kid of asArray(pdf, element.dict.get(name('K')))) {
      const type = typeOf(pdf, kid);
      const dict = type ? pdf.lookupDict(kid) : undefined;
      if (!dict || !type) continue;
      const child = { ref: kid as PDFRef, dict, type };
      if (type === 'TR') rows.push(child);
      else if (type === 'THead' || type === 'TBody' || type === 'TFoot') collectRows(child);
    }
  };
  collectRows(table);
  const cellsOf = (row: StructElement) => asArray(pdf, row.dict.get(name('K'))).filter((kid): kid is PDFRef => typeOf(pdf, kid) === 'TD' || typeOf(pdf, kid) === 'TH');
  if (shape && shape.length === rows.length) {
    const headerIds = cellsOf(rows[0]!).map((cell) => pdf.lookupDict(cell)?.get(name('ID')));
    rows.forEach((row, index) => {
      const cells = cellsOf(row);
      const expected = shape[index]!;
      const written = expected.filter((cell) => !cell.empty).length;
      if (cells.length === expected.length || cells.length !== written) return;
      const remaining = [...cells];
      const completed = expected.map((cell, column) => {
        if (!cell.empty) return remaining.shift()!;
        const headerId = headerIds[column];
        const attributes = cell.header
          ? pdf.context.obj([{ O: 'Table', Scope: 'Column' }])
          : headerId instanceof PDFString || headerId instanceof PDFHexString
            ? pdf.context.obj([{ O: 'Table', Headers: [headerId] }])
            : undefined;
        return newElement(pdf, cell.header ? 'TH' : 'TD', row.ref, [], attributes);
      });
      row.dict.set(name('K'), pdf.context.obj(completed));
      pdf.set(row.ref, row.dict);
    });
  }
  const widths = new Set(rows.map((row) => cellsOf(row).reduce((sum, cell) => sum + columnSpan(pdf, cell), 0)));
  return widths.size <= 1;
}

function columnSpan(pdf: ChromiumPdf, cell: PDFRef): number {
  for (const attributes of asArray(pdf, pdf.lookupDict(cell)?.get(name('A')))) {
    const span = attributes instanceof PDFDict ? attributes.get(name('ColSpan')) : undefined;
    if (span instanceof PDFNumber) return span.asNumber();
  }
  return 1;
}

/** `/Contents` for every link annotation: the text of its link on the print page, or where it goes. */
function describeLinks(pdf: ChromiumPdf, pages: PDFRef[], hints: PrintTagHints): void {
  for (const pageRef of pages) {
    for (const annotation of asArray(pdf, pdf.lookupDict(pageRef)?.get(name('Annots')))) {
      const dict = pdf.lookupDict(annotation);
      if (!dict || dict.get(name('Subtype')) !== name('Link') || dict.has(name('Contents'))) continue;
      const target = linkTarget(pdf, dict);
      if (!target) continue;
      const text = hints.linkTexts.get(target) ?? hints.linkTexts.get(normalUrl(target)) ?? target.replace(/^#/, '');
      dict.set(name('Contents'), PDFHexString.fromText(text));
      pdf.set(annotation instanceof PDFRef ? annotation : pageRef, annotation instanceof PDFRef ? dict : pdf.lookupDict(pageRef)!);
    }
  }
}

/** The URI a link annotation opens, or `#name` for a named destination in the document. */
function linkTarget(pdf: ChromiumPdf, annotation: PDFDict): string | undefined {
  const dest = annotation.get(name('Dest'));
  if (dest instanceof PDFName) return `#${dest.decodeText()}`;
  if (dest instanceof PDFString || dest instanceof PDFHexString) return `#${dest.decodeText()}`;
  const uri = pdf.lookupDict(annotation.get(name('A')))?.get(name('URI'));
  return uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
}
