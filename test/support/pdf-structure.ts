/**
 * A PDF's file structure read with MuPDF, as a person checks it with a PDF inspector: is it sound
 * (every object parses, every stream decodes, every page runs, nothing needed repair), where its
 * cross-reference entries point, its objects and their values, and the images its pages draw.
 */
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { mupdf, openMupdf, withMupdfProblems } from './mupdf-document.js';

/** A PDF value as plain JavaScript: names keep their slash (`/Catalog`), strings are decoded text, references stay references. */
export type PdfValue = null | boolean | number | string | PdfRef | PdfValue[] | PdfDictionary;
export interface PdfDictionary {
  [key: string]: PdfValue;
}
/** A reference to indirect object `ref`, left unresolved. */
export class PdfRef {
  constructor(readonly ref: number) {}
}

export function isDictionary(value: PdfValue): value is PdfDictionary {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PdfRef);
}

export interface PdfSoundness {
  /** The version in the file's header, `1.7`. */
  version: string;
  /** MuPDF rebuilt the cross-reference table: offsets or the table itself were wrong. */
  repaired: boolean;
  /** Every warning or error met while parsing each object, decoding each stream and running each page. */
  problems: string[];
}

/**
 * Whether the PDF is sound: its syntax and its streams' encodings, checked object by object. A
 * Flate stream is also inflated by zlib, which refuses a damaged stream that a reader would show cut short.
 */
export async function pdfSoundness(file: string): Promise<PdfSoundness> {
  const bytes = await readFile(file);
  const version = /^%PDF-(\d\.\d)/.exec(bytes.toString('latin1', 0, 16))?.[1] ?? 'none';
  const failures: string[] = [];
  const attempt = (what: string, read: () => void) => {
    try {
      read();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  const { result: repaired, problems } = withMupdfProblems(() => {
    // A document of its own, not the shared one: its opening is part of the check.
    const document = new mupdf.PDFDocument(bytes);
    try {
      for (let number = 1; number < document.countObjects(); number++) {
        attempt(`object ${number}`, () => {
          // A stream is read through its reference: MuPDF finds the stream's data by the object's number.
          const object = document.newIndirect(number);
          const value = object.resolve();
          if (!object.isStream()) return;
          object.readStream().destroy();
          const filter = value.get('Filter');
          const first = filter.isArray() ? filter.get(0) : filter;
          if (first.isName() && first.asName() === 'FlateDecode') inflateSync(object.readRawStream().asUint8Array());
        });
      }
      const nothingDrawn = new mupdf.Device({});
      for (let index = 0; index < document.countPages(); index++) {
        attempt(`page ${index + 1}`, () => document.loadPage(index).run(nothingDrawn, mupdf.Matrix.identity));
      }
      nothingDrawn.close();
      return document.wasRepaired();
    } finally {
      document.destroy();
    }
  });
  return { version, repaired, problems: [...problems, ...failures] };
}

export interface XrefEntry {
  object: number;
  /** `free`; `uncompressed`, at a byte offset; or `compressed`, inside an object stream. */
  kind: 'free' | 'uncompressed' | 'compressed';
}

/** The cross-reference entries of the newest revision and those before it, one per object number, as the file lists them. */
export async function pdfXref(file: string): Promise<XrefEntry[]> {
  const bytes = await readFile(file);
  const text = bytes.toString('latin1');
  const document = await openMupdf(file);
  const entries = new Map<number, XrefEntry['kind']>();
  let offset: number | undefined = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const seen = new Set<number>();
  while (offset !== undefined && !Number.isNaN(offset) && !seen.has(offset)) {
    seen.add(offset);
    // A newer section overrides an older one: keep the first kind found for each object.
    const add = (object: number, kind: XrefEntry['kind']) => entries.has(object) || entries.set(object, kind);
    if (text.startsWith('xref', offset)) {
      const table: RegExpExecArray = /^xref\s+([\s\S]*?)trailer\s*(<<[\s\S]*?>>)/.exec(text.slice(offset))!;
      const lines = table[1]!.trim().split(/\s*\n\s*/);
      for (let index = 0; index < lines.length; ) {
        const [first, count] = lines[index++]!.split(/\s+/).map(Number);
        for (let entry = 0; entry < count!; entry++) add(first! + entry, lines[index++]!.trim().endsWith('f') ? 'free' : 'uncompressed');
      }
      const previous = /\/Prev\s+(\d+)/.exec(table[2]!);
      offset = previous ? Number(previous[1]) : undefined;
    } else {
      const number = Number(/^(\d+)\s+\d+\s+obj/.exec(text.slice(offset, offset + 40))![1]);
      const stream = document.newIndirect(number);
      const widths = numbers(stream.get('W'));
      const index = stream.get('Index').isArray() ? numbers(stream.get('Index')) : [0, stream.get('Size').asNumber()];
      const data = stream.readStream().asUint8Array();
      let at = 0;
      const field = (width: number, fallback: number) => {
        if (width === 0) return fallback;
        let value = 0;
        for (let byte = 0; byte < width; byte++) value = value * 256 + data[at++]!;
        return value;
      };
      for (let section = 0; section < index.length; section += 2) {
        for (let entry = 0; entry < index[section + 1]!; entry++) {
          const type = field(widths[0]!, 1);
          field(widths[1]!, 0);
          field(widths[2]!, 0);
          add(index[section]! + entry, type === 0 ? 'free' : type === 2 ? 'compressed' : 'uncompressed');
        }
      }
      offset = stream.get('Prev').isNumber() ? stream.get('Prev').asNumber() : undefined;
    }
  }
  return [...entries].map(([object, kind]) => ({ object, kind })).sort((a, b) => a.object - b.object);
}

function numbers(array: mupdf.PDFObject): number[] {
  return Array.from({ length: array.length }, (_, index) => array.get(index).asNumber());
}

/** A PDF object as plain JavaScript; references are followed `depth` levels deep. */
function plain(object: mupdf.PDFObject, depth: number): PdfValue {
  if (object.isIndirect()) return depth > 0 ? plain(object.resolve(), depth - 1) : new PdfRef(object.asIndirect());
  if (object.isNull()) return null;
  if (object.isBoolean()) return object.asBoolean();
  if (object.isNumber()) return object.asNumber();
  if (object.isName()) return `/${object.asName()}`;
  if (object.isString()) return object.asString();
  if (object.isArray()) return Array.from({ length: object.length }, (_, index) => plain(object.get(index), depth));
  const dictionary: PdfDictionary = {};
  object.forEach((value, key) => {
    dictionary[key] = plain(value, depth);
  });
  return dictionary;
}

/** The document catalog, with the dictionaries it refers to read in place (`MarkInfo`, `ViewerPreferences`, …). */
export async function pdfCatalog(file: string): Promise<PdfDictionary> {
  const document = await openMupdf(file);
  return plain(document.getTrailer().get('Root'), 2) as PdfDictionary;
}

/** Every object in the file by number (a stream as its dictionary), with references left unresolved. */
export async function pdfObjects(file: string): Promise<Map<number, PdfValue>> {
  const document = await openMupdf(file);
  const objects = new Map<number, PdfValue>();
  for (let number = 1; number < document.countObjects(); number++) objects.set(number, plain(document.newIndirect(number).resolve(), 0));
  return objects;
}

/** Every dictionary in the file: each object's, and those written inside another object. */
export async function pdfDictionaries(file: string): Promise<PdfDictionary[]> {
  const dictionaries: PdfDictionary[] = [];
  const visit = (value: PdfValue) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isDictionary(value)) {
      dictionaries.push(value);
      Object.values(value).forEach(visit);
    }
  };
  (await pdfObjects(file)).forEach(visit);
  return dictionaries;
}

/** The trailer's file identifier `/ID`: its two strings as lowercase hexadecimal. */
export async function pdfFileId(file: string): Promise<string[]> {
  const id = (await openMupdf(file)).getTrailer().get('ID');
  return Array.from({ length: id.isArray() ? id.length : 0 }, (_, index) => Buffer.from(id.get(index).asByteString()).toString('hex'));
}

/**
 * The whole file as text with nothing compressed: each object in PDF syntax with its strings decoded,
 * each stream's decoded content after it. What a search through an uncompressed copy of the file finds.
 */
export async function uncompressedPdf(file: string): Promise<string> {
  const document = await openMupdf(file);
  const parts: string[] = [];
  const write = (object: mupdf.PDFObject): string => {
    if (object.isIndirect()) return `${object.asIndirect()} 0 R`;
    if (object.isString()) return `(${object.asString()})`;
    if (object.isName()) return `/${object.asName()}`;
    if (object.isArray()) return `[${Array.from({ length: object.length }, (_, index) => write(object.get(index))).join(' ')}]`;
    if (object.isDictionary()) {
      const entries: string[] = [];
      object.forEach((value, key) => entries.push(`/${key} ${write(value)}`));
      return `<< ${entries.join(' ')} >>`;
    }
    return String(object.valueOf());
  };
  parts.push(`trailer ${write(document.getTrailer())}`);
  for (let number = 1; number < document.countObjects(); number++) {
    const object = document.newIndirect(number);
    const value = object.resolve();
    parts.push(`${number} 0 obj ${write(value)}`);
    // Object streams and cross-reference streams hold the file's own structure, already written out above.
    const type = value.get('Type');
    if (type.isName() && ['ObjStm', 'XRef'].includes(type.asName())) continue;
    if (object.isStream()) parts.push(`stream\n${Buffer.from(object.readStream().asUint8Array()).toString('latin1')}\nendstream`);
  }
  return parts.join('\n');
}

export interface DrawnImage {
  /** 1-based. */
  page: number;
  /** `image` for a picture, `smask` for the transparency mask drawn with it, `stencil` for a one-bit mask painted in a colour. */
  kind: 'image' | 'smask' | 'stencil';
  /** In the image's own pixels. */
  width: number;
  height: number;
}

/** Every image each page draws, in drawing order, at the size it is stored in, its soft mask listed after it. */
export async function pdfImages(file: string): Promise<DrawnImage[]> {
  const document = await openMupdf(file);
  const images: DrawnImage[] = [];
  for (let index = 0; index < document.countPages(); index++) {
    const found = (kind: DrawnImage['kind'], image: mupdf.Image) => images.push({ page: index + 1, kind, width: image.getWidth(), height: image.getHeight() });
    const device = new mupdf.Device({
      fillImage: (image) => {
        found('image', image);
        const mask = image.getMask();
        if (mask) found('smask', mask);
      },
      fillImageMask: (image) => found('stencil', image),
    });
    document.loadPage(index).run(device, mupdf.Matrix.identity);
    device.close();
  }
  return images;
}
