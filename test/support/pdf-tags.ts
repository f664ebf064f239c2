/**
 * A PDF's tag tree, link annotations, XMP and marked content, read with pdf-lib (an npm
 * library, so the tests need no tool outside node_modules), for the PDF/UA-1 tests.
 * It reads the file on its own terms and shares no code with the build's post-processing.
 */
import { readFile } from 'node:fs/promises';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

/** ISO 32000-1's standard structure types. */
export const STANDARD_TYPES = new Set(
  ('Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form').split(' '),
);

export interface StructNode {
  /** The type as written (`/S`). */
  written: string;
  /** The standard type it stands for, through the role map; undefined when it stands for none. */
  type: string | undefined;
  alt?: string;
  actualText?: string;
  lang?: string;
  /** Table attributes: `Scope` of a header cell, `Headers` of a data cell, `ColSpan`. */
  scope?: string;
  colSpan: number;
  children: StructNode[];
  parent?: StructNode;
  /** The annotations the element holds (`OBJR`), by object number. */
  annotations: number[];
  /** Its text, from the marked content it holds and its descendants'. */
  text: string;
}

export interface LinkAnnotation {
  page: number;
  objectNumber: number;
  contents?: string;
  uri?: string;
  /** A named destination inside the document. */
  dest?: string;
  /** The structure element the annotation's `/StructParent` names. */
  parent?: StructNode;
}

export interface PdfStructure {
  xmp: string;
  roleMap: Map<string, string>;
  root: StructNode;
  /** Every element, in document order. */
  elements: StructNode[];
  links: LinkAnnotation[];
  /** Painting operators outside any marked content (neither tagged nor an artifact), per page. */
  untaggedPainting: number[];
}

const name = (text: string) => PDFName.of(text);
const text = (object: PDFObject | undefined) =>
  object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : object instanceof PDFName ? object.decodeText() : undefined;

export async function readPdfStructure(file: string): Promise<PdfStructure> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const { context, catalog } = pdf;
  const lookup = (object: PDFObject | undefined) => (object instanceof PDFRef ? context.lookup(object) : object);
  const list = (object: PDFObject | undefined): PDFObject[] => {
    const value = object instanceof PDFRef && lookup(object) instanceof PDFArray ? lookup(object) : object;
    return value instanceof PDFArray ? value.asArray() : value === undefined ? [] : [value];
  };

  const metadata = lookup(catalog.get(name('Metadata')));
  const xmp = metadata instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(metadata).decode()).toString('utf8') : '';
  const treeRoot = lookup(catalog.get(name('StructTreeRoot'))) as PDFDict;
  const roleMap = new Map<string, string>();
  const roleDict = lookup(treeRoot.get(name('RoleMap')));
  if (roleDict instanceof PDFDict) for (const [key, value] of roleDict.entries()) roleMap.set(key.decodeText(), text(value)!);
  const standard = (written: string) => {
    const seen = new Set<string>();
    let type: string | undefined = written;
    while (type && !STANDARD_TYPES.has(type) && !seen.has(type)) {
      seen.add(type);
      type = roleMap.get(type);
    }
    return type && STANDARD_TYPES.has(type) ? type : undefined;
  };

  const pages = pdf.getPages();
  const pageIndex = new Map(pages.map((page, index) => [page.ref.objectNumber, index]));
  const pageTexts = pages.map((page) => markedText(context, page.node, lookup));
  const byObject = new Map<number, StructNode>();
  const elements: StructNode[] = [];
  const build = (dict: PDFDict, parent: StructNode | undefined, page: number | undefined, objectNumber?: number): StructNode => {
    const written = text(dict.get(name('S')))!;
    const node: StructNode = { written, type: standard(written), children: [], parent, annotations: [], text: '', colSpan: 1 };
    node.alt = text(dict.get(name('Alt')));
    node.actualText = text(dict.get(name('ActualText')));
    node.lang = text(dict.get(name('Lang')));
    for (const attributes of list(dict.get(name('A')))) {
      const attributeDict = lookup(attributes);
      if (!(attributeDict instanceof PDFDict)) continue;
      node.scope ??= text(attributeDict.get(name('Scope')));
      const span = attributeDict.get(name('ColSpan'));
      if (span instanceof PDFNumber) node.colSpan = span.asNumber();
    }
    elements.push(node);
    if (objectNumber !== undefined) byObject.set(objectNumber, node);
    const pageRef = dict.get(name('Pg'));
    const ownPage = pageRef instanceof PDFRef ? pageIndex.get(pageRef.objectNumber) : page;
    for (const kid of list(dict.get(name('K')))) {
      if (kid instanceof PDFNumber) {
        node.text += pageTexts[ownPage ?? 0]?.get(kid.asNumber()) ?? '';
        continue;
      }
      const kidDict = lookup(kid);
      if (!(kidDict instanceof PDFDict)) continue;
      const kind = text(kidDict.get(name('Type')));
      if (kind === 'OBJR') {
        const annotation = kidDict.get(name('Obj'));
        if (annotation instanceof PDFRef) node.annotations.push(annotation.objectNumber);
      } else if (kind === 'MCR') {
        const mcid = kidDict.get(name('MCID'));
        const mcrPage = kidDict.get(name('Pg'));
        const at = mcrPage instanceof PDFRef ? pageIndex.get(mcrPage.objectNumber) : ownPage;
        if (mcid instanceof PDFNumber) node.text += pageTexts[at ?? 0]?.get(mcid.asNumber()) ?? '';
      } else if (kidDict.has(name('S'))) {
        const child = build(kidDict, node, ownPage, kid instanceof PDFRef ? kid.objectNumber : undefined);
        node.children.push(child);
        node.text += child.text;
      }
    }
    return node;
  };
  const root: StructNode = { written: 'StructTreeRoot', type: undefined, children: [], annotations: [], text: '', colSpan: 1 };
  for (const kid of list(treeRoot.get(name('K')))) {
    const dict = lookup(kid);
    if (dict instanceof PDFDict) root.children.push(build(dict, root, undefined, kid instanceof PDFRef ? kid.objectNumber : undefined));
  }

  const links: LinkAnnotation[] = [];
  pages.forEach((page, index) => {
    for (const ref of list(page.node.get(name('Annots')))) {
      const annotation = lookup(ref);
      if (!(annotation instanceof PDFDict) || text(annotation.get(name('Subtype'))) !== 'Link' || !(ref instanceof PDFRef)) continue;
      const action = lookup(annotation.get(name('A')));
      const holder = elements.find((element) => element.annotations.includes(ref.objectNumber));
      links.push({
        page: index + 1,
        objectNumber: ref.objectNumber,
        contents: text(annotation.get(name('Contents'))),
        uri: action instanceof PDFDict ? text(action.get(name('URI'))) : undefined,
        dest: text(annotation.get(name('Dest'))),
        parent: holder,
      });
    }
  });

  return { xmp, roleMap, root, elements, links, untaggedPainting: pages.map((page) => untaggedPaintingOf(context, page.node, lookup)) };
}

function contentOf(context: PDFDocument['context'], page: PDFDict, lookup: (object: PDFObject | undefined) => PDFObject | undefined): string {
  const contents = lookup(page.get(PDFName.of('Contents')));
  const streams = contents instanceof PDFArray ? contents.asArray().map(lookup) : [contents];
  return streams
    .filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream)
    .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
    .join('\n');
}

/** Operators, with the marked content they open; hex and literal strings are skipped as operands. */
const TOKEN = /<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\/[^\s/<>[\]()]+|\[|\]|[^\s/<>[\]()]+/g;
const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'Do', 'sh']);

function untaggedPaintingOf(context: PDFDocument['context'], page: PDFDict, lookup: (object: PDFObject | undefined) => PDFObject | undefined): number {
  let depth = 0;
  let untagged = 0;
  for (const [token] of contentOf(context, page, lookup).matchAll(TOKEN)) {
    if (token === 'BDC' || token === 'BMC') depth += 1;
    else if (token === 'EMC') depth -= 1;
    else if (depth === 0 && PAINTING.has(token)) untagged += 1;
  }
  return untagged;
}

/**
 * The text of each marked-content sequence of a page, by MCID, decoded through each font's
 * ToUnicode map (Chromium shows every glyph as a two-byte hex string).
 */
function markedText(context: PDFDocument['context'], page: PDFDict, lookup: (object: PDFObject | undefined) => PDFObject | undefined): Map<number, string> {
  const resources = lookup(page.get(PDFName.of('Resources')));
  const fonts = resources instanceof PDFDict ? lookup(resources.get(PDFName.of('Font'))) : undefined;
  const maps = new Map<string, Map<number, string>>();
  if (fonts instanceof PDFDict) {
    for (const [key, ref] of fonts.entries()) {
      const font = lookup(ref);
      const toUnicode = font instanceof PDFDict ? lookup(font.get(PDFName.of('ToUnicode'))) : undefined;
      maps.set(key.decodeText(), toUnicode instanceof PDFRawStream ? parseCmap(Buffer.from(decodePDFRawStream(toUnicode).decode()).toString('latin1')) : new Map());
    }
  }
  const texts = new Map<number, string>();
  const stack: (number | undefined)[] = [];
  let font = new Map<number, string>();
  let operands: string[] = [];
  for (const [token] of contentOf(context, page, lookup).matchAll(TOKEN)) {
    if (!/^[A-Za-z'"*]+$/.test(token) || token === 'true' || token === 'false') {
      operands.push(token);
      continue;
    }
    if (token === 'BDC') {
      const mcid = /\/MCID\s+(\d+)/.exec(operands.join(' '));
      stack.push(mcid ? Number(mcid[1]) : undefined);
    } else if (token === 'BMC') stack.push(undefined);
    else if (token === 'EMC') stack.pop();
    else if (token === 'Tf') font = maps.get(operands[0]!.slice(1)) ?? new Map();
    else if (token === 'Tj' || token === 'TJ') {
      const mcid = stack.findLast((value) => value !== undefined);
      if (mcid !== undefined) {
        const shown = operands
          .filter((operand) => operand.startsWith('<'))
          .map((hex) => hex.replace(/[<>\s]/g, ''))
          .map((hex) => hex.match(/.{4}/g)?.map((code) => font.get(parseInt(code, 16)) ?? '').join('') ?? '')
          .join('');
        texts.set(mcid, (texts.get(mcid) ?? '') + shown);
      }
    }
    operands = [];
  }
  return texts;
}

function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const unicode = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
  for (const block of cmap.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
    for (const [, code, value] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(code!, 16), unicode(value!));
  }
  for (const block of cmap.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
    for (const [, from, to, value] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const start = parseInt(from!, 16);
      const first = parseInt(value!, 16);
      for (let code = start; code <= parseInt(to!, 16); code++) map.set(code, String.fromCharCode(first + code - start));
    }
  }
  return map;
}

/** The element's children, with `NonStruct` ones replaced by their own children (as veraPDF reads lists). */
export function flatChildren(node: StructNode): StructNode[] {
  return node.children.flatMap((child) => (child.type === 'NonStruct' ? flatChildren(child) : [child]));
}
