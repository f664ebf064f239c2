/**
 * A long book printed in parts, joined into the one PDF Chromium would have printed of it whole.
 *
 * Why: Chromium lays out and draws a document on one core. A book cut at chapters into documents of
 * their own prints on as many cores as it has parts (outputs/print-in-parts.ts); a book's chapters
 * start a new page, so the parts hold the pages the whole would. What a print of the whole makes
 * once, the join makes of the parts:
 * - one page tree, the parts' pages in order;
 * - one structure tree: each part's Document, and the element of `<main>`, which the cuts run
 *   through, are the first part's, with every part's children in order; the parent tree's keys
 *   follow on from part to part, and the ids Chromium gives table cells, `(node…)`, are made
 *   distinct per part;
 * - one outline: every part's entries in order, nested again by their headings' ranks, as
 *   Chromium nests a whole book's;
 * - the named destinations of all parts; a link to a place in another part, printed as a link to
 *   an address of the form PART_LINK#id, becomes a link to its destination;
 * - the running heads and "page / pages": the parts are printed without them, and they are printed
 *   once for the whole book on a sheet of blank pages; each sheet page's drawing becomes a form
 *   XObject that its book page draws first, as Chromium draws margin boxes first.
 * - each picture once: a picture several parts draw is embedded by each part's renderer, byte for byte
 *   alike, and is kept once, as a whole print keeps it.
 * Objects stay bytes wherever they can: their references are renumbered in their text. The result
 * is written as Chromium writes a PDF (a classic cross-reference table), for ChromiumPdf to finish.
 */
import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { bytesOf, ChromiumPdf, isStream, latin1Text, PdfWriter, serialize } from './chromium-pdf.js';
import { asArray } from './structure.js';

/** Where a link to another part points in the part's HTML: a made-up address (`.invalid` never resolves). */
export const PART_LINK = 'https://press.invalid/other-part';

/** What the join needs: each part's PDF as Chromium printed it, with its margin boxes left empty. */
export interface JoinInput {
  parts: readonly ChromiumPdf[];
  /** The rank (1–6) of each heading the outline lists, in the book's order. */
  headingRanks: readonly number[];
}

/** The parts joined, but for their margin boxes: they come from the margin sheet, printed meanwhile. */
export interface JoinedParts {
  /** The joined PDF, with `marginSheet` (the whole book's margin boxes alone, a page for each of its pages) drawn into its pages. */
  withMarginBoxes(marginSheet: Uint8Array): Uint8Array;
}

const name = (key: string) => PDFName.of(key);
/** Chromium numbers the parent tree's keys of annotations from here; pages take 0, 1, 2… */
const OBJECT_KEYS_FROM = 100_000;
/** The name each page draws its margin boxes by. */
const MARGIN_BOXES = 'MarginBoxes';
/**
 * A literal string, a hex string or an indirect reference, whichever starts first. References are
 * renumbered; strings are skipped, so that "12 0 R" in a heading's text is left as it is.
 */
const REFERENCES_AND_STRINGS = /\((?:[^\\)]|\\[\s\S])*\)|<[0-9A-Fa-f\s]*>|(?<![\w.])(\d+) 0 R(?!\w)/g;
const TABLE_CELL_ID = /^\(node(\d+)\)$/;
const STREAM_KEYWORD = /\bstream\r?\n/;
const IMAGE = /\/Subtype\s*\/Image\b/;
/** Pages joined between two turns given to other work (about a millisecond's worth); objects copied, sixteen times as many. */
const GIVE_WAY_EVERY = 64;
const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The parts joined, their margin boxes to be drawn from the margin sheet once it is printed. The join gives
 * way to other work now and then: the sheet's page is set up meanwhile, and Node serves what it loads.
 */
export async function joinParts({ parts: partPdfs, headingRanks }: JoinInput): Promise<JoinedParts> {
  const context = PDFContext.create();
  const parts: Part[] = [];
  for (const [index, pdf] of partPdfs.entries()) {
    parts.push(readPart(pdf, index));
    await giveWay();
  }
  const output = new Map<number, Uint8Array>();
  const put = (ref: PDFRef, object: PDFObject) => output.set(ref.objectNumber, serialize(object));

  // Object numbers: the first part keeps its own, every other part follows on from the one before.
  let base = 0;
  for (const part of parts) {
    part.base = base;
    base += part.largest;
  }
  const [first] = parts;
  if (!first) throw new Error('no part to join');
  // Each part's Document and `<main>` element are the first part's.
  for (const part of parts.slice(1)) {
    part.sameAs.set(part.document.objectNumber, first.document.objectNumber);
    part.sameAs.set(part.cutThrough!.objectNumber, first.cutThrough!.objectNumber);
  }
  // A picture several parts draw is embedded once, as a whole print embeds it.
  embedImagesOnce(parts);
  const moved = (part: Part, object: PDFObject): PDFObject => movedObject(part, object, context);
  const movedRef = (part: Part, ref: PDFRef): PDFRef => PDFRef.of(renumberOne(ref.objectNumber, part));
  const parsed = (part: Part, ref: PDFRef): PDFDict => moved(part, part.pdf.lookup(ref)!) as PDFDict;

  // The parent tree's keys: pages first, then annotations, each part's after the one before.
  let pageKeys = 0;
  let objectKeys = 0;
  for (const part of parts) {
    part.pageKeyShift = pageKeys;
    part.objectKeyShift = objectKeys;
    const keys = part.parentTree.map(([key]) => key);
    const pageKeyList = keys.filter((key) => key < OBJECT_KEYS_FROM);
    const objectKeyList = keys.filter((key) => key >= OBJECT_KEYS_FROM);
    pageKeys += Math.max(part.nextKey, ...pageKeyList.map((key) => key + 1));
    objectKeys += objectKeyList.length ? Math.max(...objectKeyList) - OBJECT_KEYS_FROM + 1 : 0;
  }
  if (pageKeys > OBJECT_KEYS_FROM) throw new Error(`the parts have ${pageKeys} pages with content: more than the parent tree's page keys can number`);
  const newKey = (part: Part, key: number) => key + (key < OBJECT_KEYS_FROM ? part.pageKeyShift : part.objectKeyShift);

  // Named destinations, all parts'.
  const dests = PDFDict.withContext(context);
  const destNames = new Map<string, PDFName>();
  for (const part of parts) {
    for (const [key, value] of part.dests?.entries() ?? []) {
      dests.set(key, moved(part, value));
      destNames.set(key.decodeText(), key);
    }
  }

  const bookPages = parts.flatMap((part) => part.pages.map((page) => ({ part, page })));
  // Each page's margin boxes, a form XObject made of the sheet's page: numbered now, written once the sheet is printed.
  const forms = bookPages.map(() => PDFRef.of(++base));
  // One stream, drawn first on every page: its page's margin boxes.
  const drawMargins = PDFRef.of(++base);
  const drawing = `q /${MARGIN_BOXES} Do Q\n`;
  output.set(drawMargins.objectNumber, bytesOf(`<</Length ${drawing.length}>> stream\n${drawing}endstream`));

  // The pages, in one tree; each draws its margin boxes, and its annotations' keys and links follow the join.
  const pageTree = PDFRef.of(first.pageTree.objectNumber);
  const kids = PDFArray.withContext(context);
  for (const [index, { part, page }] of bookPages.entries()) {
    if (index % GIVE_WAY_EVERY === 0) await giveWay();
    const ref = movedRef(part, page);
    kids.push(ref);
    const dict = parsed(part, page);
    dict.set(name('Parent'), pageTree);
    const structParents = dict.get(name('StructParents'));
    if (structParents instanceof PDFNumber) dict.set(name('StructParents'), PDFNumber.of(newKey(part, structParents.asNumber())));
    dict.set(name('Contents'), context.obj([drawMargins, dict.get(name('Contents'))!]));
    const original = part.pdf.lookupDict(page)!;
    const ownResources = part.pdf.lookupDict(original.get(name('Resources')));
    const resources = ownResources ? (moved(part, ownResources) as PDFDict) : PDFDict.withContext(context);
    const ownXObjects = part.pdf.lookupDict(ownResources?.get(name('XObject')));
    const xobjects = ownXObjects ? (moved(part, ownXObjects) as PDFDict) : PDFDict.withContext(context);
    xobjects.set(name(MARGIN_BOXES), forms[index]!);
    resources.set(name('XObject'), xobjects);
    dict.set(name('Resources'), resources);
    const annots = part.pdf.lookup(original.get(name('Annots')));
    if (annots instanceof PDFArray) {
      for (const annot of annots.asArray()) {
        if (!(annot instanceof PDFRef)) continue;
        const annotation = parsed(part, annot);
        const key = annotation.get(name('StructParent'));
        if (key instanceof PDFNumber) annotation.set(name('StructParent'), PDFNumber.of(newKey(part, key.asNumber())));
        linkAcrossParts(annotation, destNames);
        put(movedRef(part, annot), annotation);
        part.rewritten.add(annot.objectNumber);
      }
    }
    put(ref, dict);
    part.rewritten.add(page.objectNumber);
  }
  put(pageTree, context.obj({ Type: 'Pages', Kids: kids, Count: bookPages.length }));

  // The structure tree.
  await giveWay();
  const documentKids = PDFArray.withContext(context);
  const cutKids = PDFArray.withContext(context);
  parts.forEach((part, index) => {
    const children = kidsOf(part.pdf, part.document);
    (index === 0 ? children : children.slice(1)).forEach((kid) => documentKids.push(moved(part, kid)));
    if (index > 0) kidsOf(part.pdf, part.cutThrough!).forEach((kid) => cutKids.push(moved(part, kid)));
  });
  const documentElement = parsed(first, first.document);
  documentElement.set(name('K'), documentKids);
  put(first.document, documentElement);
  const cutElement = parsed(first, first.cutThrough!);
  cutElement.set(name('K'), context.obj([...kidsOf(first.pdf, first.cutThrough!).map((kid) => moved(first, kid)), ...cutKids.asArray()]));
  put(first.cutThrough!, cutElement);
  first.rewritten.add(first.document.objectNumber).add(first.cutThrough!.objectNumber);

  const nums = parts
    .flatMap((part) => part.parentTree.map(([key, value]) => [newKey(part, key), moved(part, value)] as const))
    .sort(([a], [b]) => a - b)
    .flatMap(([key, value]) => [PDFNumber.of(key), value]);
  put(first.parentTreeRef, context.obj({ Type: 'ParentTree', Nums: nums }));
  const structRoot = parsed(first, first.structRoot);
  structRoot.set(name('K'), first.document);
  structRoot.set(name('ParentTree'), first.parentTreeRef);
  structRoot.set(name('ParentTreeNextKey'), PDFNumber.of(pageKeys));
  const ids = parts.flatMap((part) => part.idTree.map(([key, value]) => [moved(part, key) as PDFString | PDFHexString, moved(part, value)] as const));
  if (ids.length) {
    // Sorted as the name tree asks: the ids, all `(node` and the same count of digits, sort as their text.
    ids.sort(([a], [b]) => (a.asString() < b.asString() ? -1 : a.asString() > b.asString() ? 1 : 0));
    const idTree = first.idTreeRef ?? PDFRef.of(++base);
    put(idTree, context.obj({ Names: ids.flat() }));
    structRoot.set(name('IDTree'), idTree);
  }
  put(first.structRoot, structRoot);

  // The outline, nested again by the headings' ranks.
  await giveWay();
  const outlineItems = parts.flatMap((part) => part.outlineItems.map((item) => ({ ref: movedRef(part, item), dict: parsed(part, item), part, item })));
  const outlineRoot = first.outlineRoot ?? PDFRef.of(++base);
  if (outlineItems.length !== headingRanks.length) throw new Error(`the parts' outlines list ${outlineItems.length} headings, the book has ${headingRanks.length}`);
  put(outlineRoot, nestOutline(context, outlineRoot, outlineItems, headingRanks));
  for (const { ref, dict, part, item } of outlineItems) {
    put(ref, dict);
    part.rewritten.add(item.objectNumber);
  }

  // The catalog: the first part's, naming the joined trees.
  const catalog = parsed(first, first.catalog);
  catalog.set(name('Pages'), pageTree);
  catalog.set(name('StructTreeRoot'), first.structRoot);
  if (outlineItems.length) catalog.set(name('Outlines'), outlineRoot);
  if (dests.keys().length) {
    const destsRef = first.destsRef ?? PDFRef.of(++base);
    put(destsRef, dests);
    catalog.set(name('Dests'), destsRef);
  }
  put(first.catalog, catalog);

  // Every other object, as it was, renumbered.
  let copied = 0;
  for (const part of parts) {
    for (const number of part.pdf.objectNumbers()) {
      if (++copied % (GIVE_WAY_EVERY * 16) === 0) await giveWay();
      if (part.dropped.has(number) || part.rewritten.has(number) || (part === first && output.has(number))) continue;
      output.set(renumberOne(number, part), renumberedBody(part.pdf.bodyOf(number)!, part));
    }
  }
  const info = first.pdf.trailer.get(name('Info'));
  return {
    withMarginBoxes(marginSheet: Uint8Array): Uint8Array {
      drawMarginSheet(marginSheet, forms, base, output);
      return writeClassic(output, first.catalog, info instanceof PDFRef ? info : undefined);
    },
  };
}

/** The margin sheet's pages written as the form XObjects `forms` name, with what they draw from, numbered from after `base`. */
function drawMarginSheet(marginSheet: Uint8Array, forms: readonly PDFRef[], base: number, output: Map<number, Uint8Array>): void {
  const context = PDFContext.create();
  const moved = (part: Part, object: PDFObject): PDFObject => movedObject(part, object, context);
  const sheet = ChromiumPdf.read(marginSheet);
  const sheetPages = sheet.pageRefs();
  if (sheetPages.length !== forms.length) throw new Error(`the margin sheet has ${sheetPages.length} pages, the book ${forms.length}`);
  const sheetPart: Part = { ...emptyPart(sheet), base };
  const sheetDicts = sheetPages.map((pageRef) => sheet.lookupDict(pageRef)!);
  const drawings = sheetDicts.map((page) => {
    const contents = page.get(name('Contents'));
    if (!(contents instanceof PDFRef)) throw new Error('a page of the margin sheet is drawn by more than one stream');
    return contents;
  });
  const drawingNumbers = new Set(drawings.map((contents) => contents.objectNumber));
  for (const number of reachable(sheet, [...drawings, ...sheetDicts.map((page) => page.get(name('Resources')))])) {
    if (!drawingNumbers.has(number)) output.set(number + sheetPart.base, renumberedBody(sheet.bodyOf(number)!, sheetPart));
  }
  sheetDicts.forEach((page, index) => {
    const body = sheet.bodyOf(drawings[index]!.objectNumber)!;
    const dictionary = streamDictionary(body);
    const head = moved(sheetPart, PDFObjectParser.forBytes(bytesOf(dictionary), sheet.context).parseObject()) as PDFDict;
    head.set(name('Type'), name('XObject'));
    head.set(name('Subtype'), name('Form'));
    head.set(name('BBox'), moved(sheetPart, sheet.lookup(page.get(name('MediaBox')))!));
    const resources = page.get(name('Resources'));
    if (resources) head.set(name('Resources'), moved(sheetPart, resources));
    output.set(forms[index]!.objectNumber, Buffer.concat([serialize(head), bytesOf(' '), body.subarray(dictionary.length)]));
  });
}

/** `object` with its references renumbered for the join, parsed into `context`: a reference or a number as it is, moved. */
function movedObject(part: Part, object: PDFObject, context: PDFContext): PDFObject {
  if (object instanceof PDFRef) return PDFRef.of(renumberOne(object.objectNumber, part));
  if (object instanceof PDFNumber || object instanceof PDFName) return object;
  return PDFObjectParser.forBytes(bytesOf(renumber(latin1Text(serialize(object)), part)), context).parseObject();
}

interface Part {
  pdf: ChromiumPdf;
  /** What this part's object numbers are moved by. */
  base: number;
  largest: number;
  /** Objects of this part that are another's in the join (its Document and `<main>`, a picture another part embeds too): by number. */
  sameAs: Map<number, number>;
  /** Objects of this part the join leaves out: its own trees and catalog, made one for all; pictures another part embeds too. */
  dropped: Set<number>;
  /** Objects of this part written again by the join. */
  rewritten: Set<number>;
  catalog: PDFRef;
  pageTree: PDFRef;
  pages: PDFRef[];
  structRoot: PDFRef;
  document: PDFRef;
  /** The element the cuts run through (`<main>`'s): the first part's last child of its Document, the others' first. */
  cutThrough?: PDFRef;
  parentTreeRef: PDFRef;
  parentTree: [number, PDFObject][];
  nextKey: number;
  idTreeRef?: PDFRef;
  idTree: [PDFObject, PDFObject][];
  outlineRoot?: PDFRef;
  outlineItems: PDFRef[];
  destsRef?: PDFRef;
  dests?: PDFDict;
  pageKeyShift: number;
  objectKeyShift: number;
}

function emptyPart(pdf: ChromiumPdf): Omit<Part, 'base'> {
  const none = PDFRef.of(0);
  return {
    pdf,
    largest: Math.max(...pdf.objectNumbers()),
    sameAs: new Map(),
    dropped: new Set(),
    rewritten: new Set(),
    catalog: none,
    pageTree: none,
    pages: [],
    structRoot: none,
    document: none,
    parentTreeRef: none,
    parentTree: [],
    nextKey: 0,
    idTree: [],
    outlineItems: [],
    pageKeyShift: 0,
    objectKeyShift: 0,
  };
}

/** What the join reads of a part, by its own object numbers, and which of its objects it leaves out. */
function readPart(pdf: ChromiumPdf, index: number): Part {
  const part: Part = { ...emptyPart(pdf), base: 0 };
  const refOf = (object: PDFObject | undefined, what: string): PDFRef => {
    if (!(object instanceof PDFRef)) throw new Error(`part ${index + 1} of the book has no ${what} to join`);
    return object;
  };
  part.catalog = refOf(pdf.trailer.get(name('Root')), 'catalog');
  const catalog = pdf.lookupDict(part.catalog)!;
  part.pageTree = refOf(catalog.get(name('Pages')), 'page tree');
  part.pages = pdf.pageRefs();
  const drop = (ref: PDFRef | undefined) => ref && part.dropped.add(ref.objectNumber);
  // A tree's nodes are left out, but for the first part's root, which the join writes again.
  const dropTree = (root: PDFRef) => treeNodes(pdf, root).forEach((node) => (index > 0 || node !== root.objectNumber) && part.dropped.add(node));
  dropTree(part.pageTree);
  part.structRoot = refOf(catalog.get(name('StructTreeRoot')), 'structure tree');
  const root = pdf.lookupDict(part.structRoot)!;
  part.document = refOf(root.get(name('K')), 'Document element');
  const children = kidsOf(pdf, part.document);
  part.cutThrough = (index === 0 ? children.at(-1) : children[0]) as PDFRef | undefined;
  if (!(part.cutThrough instanceof PDFRef)) throw new Error(`part ${index + 1} of the book has no element for the text its cut runs through`);
  part.parentTreeRef = refOf(root.get(name('ParentTree')), 'parent tree');
  part.parentTree = treeEntries(pdf, part.parentTreeRef, 'Nums').map(([key, value]) => [(key as PDFNumber).asNumber(), value]);
  dropTree(part.parentTreeRef);
  part.nextKey = (root.get(name('ParentTreeNextKey')) as PDFNumber | undefined)?.asNumber() ?? 0;
  const idTree = root.get(name('IDTree'));
  if (idTree instanceof PDFRef) {
    part.idTreeRef = idTree;
    part.idTree = treeEntries(pdf, idTree, 'Names');
    dropTree(idTree);
  }
  const outlines = catalog.get(name('Outlines'));
  if (outlines instanceof PDFRef) {
    part.outlineRoot = outlines;
    part.outlineItems = pdf.outlineItems(pdf.lookupDict(outlines));
  }
  const dests = catalog.get(name('Dests'));
  part.dests = pdf.lookupDict(dests);
  if (dests instanceof PDFRef) part.destsRef = dests;
  if (index > 0) {
    for (const ref of [part.catalog, part.structRoot, part.document, part.cutThrough, part.outlineRoot, part.destsRef, pdf.trailer.get(name('Info'))]) drop(ref instanceof PDFRef ? ref : undefined);
  }
  return part;
}

/**
 * Each picture embedded once. A picture several parts draw (a logo, a figure repeated in each chapter) is
 * embedded by every part's renderer, byte for byte alike. A later part's copy, and what it draws from (its
 * colour profile, its mask), is made the first copy's: references to it are renumbered to that one, and it
 * is left out. Copies are alike when their bytes are, each object they refer to alike in turn.
 */
function embedImagesOnce(parts: readonly Part[]): void {
  const firstCopies = new Map<string, number>();
  for (const part of parts) {
    const identities = new Map<number, string>();
    const identity = (number: number): string => {
      const known = identities.get(number);
      if (known !== undefined) return known;
      // An object that refers back to itself is its part's own.
      identities.set(number, `${part.base} ${number}`);
      const body = part.pdf.bodyOf(number) ?? new Uint8Array();
      const stream = isStream(body);
      const text = stream ? streamDictionary(body) : latin1Text(body);
      const hash = createHash('sha256').update(text.replace(REFERENCES_AND_STRINGS, (match, referred: string | undefined) => (referred === undefined ? match : `{${identity(Number(referred))}}`)));
      if (stream) hash.update(body.subarray(text.length));
      const found = hash.digest('hex');
      identities.set(number, found);
      return found;
    };
    for (const number of part.pdf.objectNumbers()) {
      const body = part.pdf.bodyOf(number)!;
      if (!isStream(body) || !IMAGE.test(streamDictionary(body))) continue;
      for (const reached of reachable(part.pdf, [PDFRef.of(number)])) {
        const key = identity(reached);
        const copy = firstCopies.get(key);
        if (copy === undefined) firstCopies.set(key, reached + part.base);
        else if (copy !== reached + part.base) {
          part.sameAs.set(reached, copy);
          part.dropped.add(reached);
        }
      }
    }
  }
}

/** A stream object's dictionary, up to its `stream` keyword. */
function streamDictionary(body: Uint8Array): string {
  const head = latin1Text(body.subarray(0, Math.min(body.length, 4096)));
  const streamAt = STREAM_KEYWORD.exec(head)?.index;
  if (streamAt === undefined) throw new Error('a stream of a part has no `stream` keyword where it was looked for');
  return head.slice(0, streamAt);
}

function renumberOne(number: number, part: Part): number {
  return part.sameAs.get(number) ?? number + part.base;
}

/** `text` with each indirect reference renumbered for the join, and each table cell's id made the part's own. */
function renumber(text: string, part: Part): string {
  return text.replace(REFERENCES_AND_STRINGS, (match, number: string | undefined) => {
    if (number !== undefined) return `${renumberOne(Number(number), part)} 0 R`;
    const id = TABLE_CELL_ID.exec(match);
    // Each part's renderer counts its nodes from its own start: the part's number goes first, so that
    // every id is distinct and they sort in the book's order (pdf.ts numbers them 1, 2, 3… after).
    return id ? `(node${String(part.base).padStart(8, '0')}${id[1]!.padStart(8, '0')})` : match;
  });
}

/** An object's bytes renumbered for the join: a stream's dictionary only, its data as it is. */
function renumberedBody(body: Uint8Array, part: Part): Uint8Array {
  if (!isStream(body)) return bytesOf(renumber(latin1Text(body), part));
  const dictionary = streamDictionary(body);
  return Buffer.concat([bytesOf(renumber(dictionary, part)), body.subarray(dictionary.length)]);
}

/** A structure element's children (structure.ts reads them so). */
const kidsOf = (pdf: ChromiumPdf, element: PDFRef): PDFObject[] => asArray(pdf, pdf.lookupDict(element)!.get(name('K')));

/** A link to another part's address made a link to the destination of the same name. */
function linkAcrossParts(annotation: PDFDict, destNames: ReadonlyMap<string, PDFName>): void {
  const action = annotation.get(name('A'));
  if (!(action instanceof PDFDict) || action.get(name('S')) !== name('URI')) return;
  const uri = action.get(name('URI'));
  const address = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
  if (!address.startsWith(`${PART_LINK}#`)) return;
  // The name as the part's destinations spell it: the fragment's UTF-8, one character a byte.
  const id = Buffer.from(decodeURIComponent(address.slice(PART_LINK.length + 1)), 'utf8').toString('latin1');
  const dest = destNames.get(id);
  if (!dest) throw new Error(`a link to #${id} in another part of the book found no destination there`);
  annotation.delete(name('A'));
  annotation.set(name('Dest'), dest);
}

/** The object numbers of a tree's nodes (page tree, number or name tree), the root's among them; a page tree's pages are not nodes. */
function treeNodes(pdf: ChromiumPdf, root: PDFRef): number[] {
  const found: number[] = [];
  const walk = (ref: PDFObject | undefined) => {
    if (!(ref instanceof PDFRef)) return;
    const node = pdf.lookupDict(ref);
    if (!node || node.get(name('Type')) === name('Page')) return;
    found.push(ref.objectNumber);
    const kids = pdf.lookup(node.get(name('Kids')));
    if (kids instanceof PDFArray) kids.asArray().forEach(walk);
  };
  walk(root);
  return found;
}

/** A number tree's (`Nums`) or a name tree's (`Names`) keys and values, in order. */
function treeEntries(pdf: ChromiumPdf, root: PDFRef, leaves: 'Nums' | 'Names'): [PDFObject, PDFObject][] {
  const entries: [PDFObject, PDFObject][] = [];
  const walk = (node: PDFDict | undefined) => {
    const pairs = pdf.lookup(node?.get(name(leaves)));
    if (pairs instanceof PDFArray) for (let at = 0; at + 1 < pairs.size(); at += 2) entries.push([pairs.get(at), pairs.get(at + 1)]);
    const kids = pdf.lookup(node?.get(name('Kids')));
    if (kids instanceof PDFArray) kids.asArray().forEach((kid) => walk(pdf.lookupDict(kid)));
  };
  walk(pdf.lookupDict(root));
  return entries;
}

/**
 * The outline's root, its entries linked again as Chromium nests a whole book's: each under the last
 * entry of a lower rank before it, all open (each /Count the number of entries below it).
 */
function nestOutline(context: PDFContext, root: PDFRef, items: readonly { ref: PDFRef; dict: PDFDict }[], ranks: readonly number[]): PDFDict {
  const rootDict = context.obj({ Type: 'Outlines' }) as PDFDict;
  const nodes = [{ ref: root, dict: rootDict, rank: 0, children: [] as number[] }];
  const stack = [0];
  items.forEach(({ ref, dict }, index) => {
    for (const key of ['Parent', 'Prev', 'Next', 'First', 'Last', 'Count']) dict.delete(name(key));
    const rank = ranks[index]!;
    while (nodes[stack.at(-1)!]!.rank >= rank) stack.pop();
    nodes[stack.at(-1)!]!.children.push(nodes.length);
    stack.push(nodes.length);
    nodes.push({ ref, dict, rank, children: [] });
  });
  const count = (node: number): number => nodes[node]!.children.reduce((sum, child) => sum + 1 + count(child), 0);
  nodes.forEach((node, index) => {
    node.children.forEach((child, at) => {
      const { dict } = nodes[child]!;
      dict.set(name('Parent'), node.ref);
      if (at > 0) dict.set(name('Prev'), nodes[node.children[at - 1]!]!.ref);
      if (at + 1 < node.children.length) dict.set(name('Next'), nodes[node.children[at + 1]!]!.ref);
    });
    if (!node.children.length) return;
    node.dict.set(name('First'), nodes[node.children[0]!]!.ref);
    node.dict.set(name('Last'), nodes[node.children.at(-1)!]!.ref);
    node.dict.set(name('Count'), PDFNumber.of(count(index)));
  });
  return rootDict;
}

/** The object numbers reachable from `objects`, through dictionaries, arrays and streams' dictionaries. */
function reachable(pdf: ChromiumPdf, objects: (PDFObject | undefined)[]): Set<number> {
  const found = new Set<number>();
  const visit = (object: PDFObject | undefined) => {
    if (object instanceof PDFRef) {
      if (found.has(object.objectNumber)) return;
      found.add(object.objectNumber);
      visit(pdf.lookup(object));
    } else if (object instanceof PDFDict) for (const [, value] of object.entries()) visit(value);
    else if (object instanceof PDFArray) object.asArray().forEach(visit);
    else if (object instanceof PDFRawStream) visit(object.dict);
  };
  objects.forEach(visit);
  return found;
}

/** The objects as a PDF with a classic cross-reference table, as Chromium writes one. */
function writeClassic(objects: ReadonlyMap<number, Uint8Array>, root: PDFRef, info: PDFRef | undefined): Uint8Array {
  const out = new PdfWriter();
  const push = (chunk: Uint8Array | string) => out.push(chunk);
  push('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n');
  const size = Math.max(...objects.keys()) + 1;
  const offsets = new Array<number>(size).fill(-1);
  for (const number of [...objects.keys()].sort((a, b) => a - b)) {
    offsets[number] = out.offset;
    push(`${number} 0 obj\n`);
    push(objects.get(number)!);
    push('\nendobj\n');
  }
  const xref = out.offset;
  push(`xref\n0 ${size}\n`);
  push(offsets.map((at, number) => (number === 0 ? '0000000000 65535 f \n' : at < 0 ? '0000000000 00000 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`)).join(''));
  push(`trailer\n<</Size ${size} /Root ${root.objectNumber} 0 R${info ? ` /Info ${info.objectNumber} 0 R` : ''}>>\nstartxref\n${xref}\n%%EOF\n`);
  return out.bytes();
}
