/**
 * Chromium's PDF, written again with a few of its objects changed.
 *
 * Skia writes every object at the top level, indexed by a classic cross-reference table:
 * a book's tagged structure alone is thousands of small dictionaries. Written again, the
 * dictionaries go into compressed object streams, as pdf-lib's `save` put them; but pdf-lib
 * parsed and serialized every object to do it, a large part of a book's build (numbers:
 * docs/performance.md). Here each object stays bytes: only the objects the caller reads are
 * parsed (by pdf-lib's parser), only those it changes are serialized again, and the rest
 * are copied, or packed into object streams, as they are.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';

/**
 * A PDF's bytes as text, one character a byte, and back: one way for every reader here. Buffer's Latin-1
 * gives the same characters as TextDecoder's, a page's stream in half the time, and the join's 24,000
 * small objects of a book in a fraction of it (docs/performance.md).
 */
export const latin1Text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
export const bytesOf = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const ENDS_WITH_ENDOBJ = /\s*endobj\s*$/;
/** Objects per object stream, as pdf-lib packs them. */
const OBJECTS_PER_STREAM = 50;

export class ChromiumPdf {
  /** Parses and serializes objects; also what new objects are numbered by. */
  readonly context = PDFContext.create();
  /** Each object's bytes between `N 0 obj` and `endobj`, by object number. */
  private readonly bodies = new Map<number, Uint8Array>();
  private readonly parsed = new Map<number, PDFObject>();
  private readonly changed = new Set<number>();
  readonly trailer: PDFDict;

  private constructor(bytes: Uint8Array) {
    const tail = latin1Text(bytes.subarray(Math.max(0, bytes.length - 1024)));
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1] ?? NaN);
    const table = latin1Text(bytes.subarray(startxref));
    if (!table.startsWith('xref')) throw new Error('Chromium wrote a PDF without a cross-reference table: this version of the build cannot finish it.');
    const trailerAt = table.indexOf('trailer');
    const offsets: [number, number][] = [];
    // Subsections `first count`, then one `offset generation n|f` entry per object.
    const section = /(\d+) (\d+)\s*\n|(\d{10}) (\d{5}) ([nf])/g;
    let number = 0;
    for (const match of table.slice(4, trailerAt).matchAll(section)) {
      if (match[1] !== undefined) number = Number(match[1]);
      else {
        if (match[5] === 'n') {
          if (match[4] !== '00000') throw new Error(`Chromium wrote object ${number} with generation ${match[4]}: this version of the build cannot finish it.`);
          offsets.push([number, Number(match[3])]);
        }
        number += 1;
      }
    }
    offsets.sort((a, b) => a[1] - b[1]);
    offsets.forEach(([objectNumber, offset], index) => {
      const end = index + 1 < offsets.length ? offsets[index + 1]![1] : startxref;
      const object = bytes.subarray(offset, end);
      const head = /^\s*\d+ \d+ obj\s*/.exec(latin1Text(object.subarray(0, 32)))![0].length;
      const endobj = ENDS_WITH_ENDOBJ.exec(latin1Text(object.subarray(Math.max(head, object.length - 32))))!;
      this.bodies.set(objectNumber, object.subarray(head, object.length - endobj[0].length));
    });
    this.context.largestObjectNumber = Math.max(...this.bodies.keys());
    this.trailer = PDFObjectParser.forBytes(bytes.subarray(startxref + trailerAt + 'trailer'.length), this.context).parseObject() as PDFDict;
  }

  static read(bytes: Uint8Array): ChromiumPdf {
    return new ChromiumPdf(bytes);
  }

  /** The object `ref` names, parsed on first use; a direct object as it is. */
  lookup(object: PDFObject | undefined): PDFObject | undefined {
    if (!(object instanceof PDFRef)) return object;
    let found = this.parsed.get(object.objectNumber);
    if (!found) {
      const body = this.bodies.get(object.objectNumber);
      if (!body) return undefined;
      found = PDFObjectParser.forBytes(body, this.context).parseObject();
      this.parsed.set(object.objectNumber, found);
    }
    return found;
  }

  lookupDict(object: PDFObject | undefined): PDFDict | undefined {
    const found = this.lookup(object);
    return found instanceof PDFDict ? found : undefined;
  }

  /** The object numbers the PDF holds, in no particular order. */
  objectNumbers(): IterableIterator<number> {
    return this.bodies.keys();
  }

  /** Object `number`'s bytes as Chromium wrote them, between `N 0 obj` and `endobj`; changes made here are not in them. */
  bodyOf(number: number): Uint8Array | undefined {
    return this.bodies.get(number);
  }

  /** Each page's reference, in page order (under `node`, the whole page tree when not given). */
  pageRefs(node: PDFDict | undefined = this.lookupDict(this.lookupDict(this.trailer.get(PDFName.of('Root')))?.get(PDFName.of('Pages')))): PDFRef[] {
    const kids = this.lookup(node?.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) return [];
    return kids.asArray().flatMap((kid) => {
      const child = this.lookupDict(kid);
      if (!child || !(kid instanceof PDFRef)) return [];
      return child.get(PDFName.of('Type')) === PDFName.of('Pages') ? this.pageRefs(child) : [kid];
    });
  }

  /** The streams that draw `page`, in order: one, or a book's printed in parts (its margin boxes' drawing first: join-parts.ts). */
  contentStreams(page: PDFDict): PDFRef[] {
    const contents = page.get(PDFName.of('Contents'));
    const streams = this.lookup(contents);
    return (streams instanceof PDFArray ? streams.asArray() : [contents]).filter((stream): stream is PDFRef => stream instanceof PDFRef);
  }

  /** The stream of `page`'s own drawing: its last (a book printed in parts draws its margin boxes by one before it). */
  ownContent(page: PDFDict): PDFObject | undefined {
    return this.lookup(this.contentStreams(page).at(-1));
  }

  /** The outline's entries below `parent` (by default, the whole outline), in reading order: each before the entries under it. */
  outlineItems(parent: PDFDict | undefined = this.lookupDict(this.lookupDict(this.trailer.get(PDFName.of('Root')))?.get(PDFName.of('Outlines')))): PDFRef[] {
    const items: PDFRef[] = [];
    for (let ref = parent?.get(PDFName.of('First')); ref instanceof PDFRef; ref = this.lookupDict(ref)!.get(PDFName.of('Next'))) {
      items.push(ref, ...this.outlineItems(this.lookupDict(ref)));
    }
    return items;
  }

  /** Write `object` as the object `ref` names, in place of what was there. */
  set(ref: PDFRef, object: PDFObject): void {
    this.parsed.set(ref.objectNumber, object);
    this.changed.add(ref.objectNumber);
  }

  /** Write `data` as the data of the stream `ref` names (`stream`, as read), deflated. */
  setStreamData(ref: PDFRef, stream: PDFRawStream, data: Uint8Array): void {
    const dict = stream.dict.clone(this.context);
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    dict.delete(PDFName.of('DecodeParms'));
    this.set(ref, PDFRawStream.of(dict, deflateSync(data)));
  }

  /** Add `object` to the PDF, as a new object; its reference. */
  add(object: PDFObject): PDFRef {
    const ref = this.context.nextRef();
    this.bodies.set(ref.objectNumber, new Uint8Array());
    this.set(ref, object);
    return ref;
  }

  /** The text of every dictionary and array (the objects that are not streams) in which `pattern` occurs, by object number. */
  dictionariesWith(pattern: RegExp): Map<number, string> {
    const found = new Map<number, string>();
    for (const [number, body] of this.bodies) {
      if (this.changed.has(number) || isStream(body)) continue;
      const text = latin1Text(body);
      if (text.search(pattern) !== -1) found.set(number, text);
    }
    return found;
  }

  /** Write `text` as the dictionary or array object `number` is, in place of what was there. */
  setText(number: number, text: string): void {
    this.bodies.set(number, bytesOf(text));
    this.parsed.delete(number);
  }

  /** The whole PDF: streams at the top level, everything else in compressed object streams, a cross-reference stream. */
  write(version = '1.7'): Uint8Array {
    const out = new PdfWriter();
    const push = (chunk: Uint8Array | string) => out.push(chunk);
    /** Per object number: [type, field 2, field 3] of its cross-reference entry. */
    const entries = new Map<number, [number, number, number]>();
    push(`%PDF-${version}\n%\xE2\xE3\xCF\xD3\n`);
    const packed: [number, Uint8Array][] = [];
    for (const number of [...this.bodies.keys()].sort((a, b) => a - b)) {
      const body = this.changed.has(number) ? serialize(this.parsed.get(number)!) : this.bodies.get(number)!;
      if (!isStream(body)) {
        packed.push([number, body]);
        continue;
      }
      entries.set(number, [1, out.offset, 0]);
      push(`${number} 0 obj\n`);
      push(body);
      push('\nendobj\n');
    }
    let next = this.context.largestObjectNumber + 1;
    for (let first = 0; first < packed.length; first += OBJECTS_PER_STREAM) {
      const group = packed.slice(first, first + OBJECTS_PER_STREAM);
      const streamNumber = next++;
      let position = 0;
      const index = group.map(([number, body]) => {
        const entry = `${number} ${position}`;
        position += body.length + 1;
        return entry;
      });
      const header = `${index.join(' ')}\n`;
      const content = Buffer.concat([bytesOf(header), ...group.flatMap(([, body]) => [body, bytesOf('\n')])]);
      group.forEach(([number], at) => entries.set(number, [2, streamNumber, at]));
      const compressed = deflateSync(content);
      entries.set(streamNumber, [1, out.offset, 0]);
      push(`${streamNumber} 0 obj\n<</Type /ObjStm\n/N ${group.length}\n/First ${header.length}\n/Filter /FlateDecode\n/Length ${compressed.length}>> stream\n`);
      push(compressed);
      push('\nendstream\nendobj\n');
    }
    const xrefNumber = next++;
    const xrefOffset = out.offset;
    entries.set(xrefNumber, [1, xrefOffset, 0]);
    const rows = Buffer.alloc(next * 7);
    for (let number = 0; number < next; number++) {
      const [type, field2, field3] = number === 0 ? [0, 0, 65535] : (entries.get(number) ?? [0, 0, 0]);
      rows.writeUInt8(type, number * 7);
      rows.writeUInt32BE(field2, number * 7 + 1);
      rows.writeUInt16BE(field3, number * 7 + 5);
    }
    const compressedRows = deflateSync(rows);
    const dictionary = PDFDict.withContext(this.context);
    dictionary.set(PDFName.of('Type'), PDFName.of('XRef'));
    dictionary.set(PDFName.of('Size'), PDFNumber.of(next));
    dictionary.set(PDFName.of('W'), this.context.obj([1, 4, 2]) as PDFArray);
    for (const key of ['Root', 'Info', 'ID']) {
      const value = this.trailer.get(PDFName.of(key));
      if (value) dictionary.set(PDFName.of(key), value);
    }
    dictionary.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    dictionary.set(PDFName.of('Length'), PDFNumber.of(compressedRows.length));
    push(`${xrefNumber} 0 obj\n`);
    push(serialize(dictionary));
    push(' stream\n');
    push(compressedRows);
    push(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`);
    return out.bytes();
  }
}

/** A PDF's bytes, written one piece after another: where the next piece starts is its offset. */
export class PdfWriter {
  private readonly chunks: Uint8Array[] = [];
  offset = 0;

  push(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? bytesOf(chunk) : chunk;
    this.chunks.push(bytes);
    this.offset += bytes.length;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** A stream's data, inflated; undefined when compressed any other way. */
export function streamData(stream: PDFRawStream): Buffer | undefined {
  const filter = stream.dict.get(PDFName.of('Filter'));
  if (filter !== undefined && filter !== PDFName.of('FlateDecode')) return undefined;
  return filter ? inflateSync(stream.contents) : Buffer.from(stream.contents);
}

/** A stream's data as Latin-1 text, inflated; undefined when compressed any other way. */
export function streamText(stream: PDFRawStream): string | undefined {
  const data = streamData(stream);
  return data && latin1Text(data);
}

/** A stream object's body ends with its data's `endstream`; a dictionary's or an array's cannot. */
export function isStream(body: Uint8Array): boolean {
  return latin1Text(body.subarray(Math.max(0, body.length - 16))).trimEnd().endsWith('endstream');
}

/** An object's bytes as a PDF writes them. */
export function serialize(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}
