/**
 * What a PDF's text layer says beyond what pdf.js reads (npm only: pdf-lib and zlib): the
 * ActualText of its marked-content spans, which poppler, Acrobat and screen readers put in
 * place of the glyphs they cover, and every font's ToUnicode map, which all of them read.
 */
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';

const latin1 = new TextDecoder('latin1');

function streamText(stream: PDFRawStream): string {
  const filter = stream.dict.get(PDFName.of('Filter'));
  return latin1.decode(filter === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : stream.contents);
}

/** UTF-16BE hex (with or without its byte-order mark) as text. */
function utf16(hex: string): string {
  const units = hex.replace(/^feff/i, '').match(/.{4}/g) ?? [];
  return String.fromCharCode(...units.map((unit) => parseInt(unit, 16)));
}

async function openPdf(file: string): Promise<PDFDocument> {
  return PDFDocument.load(await readFile(file), { updateMetadata: false });
}

const lookup = (pdf: PDFDocument, object: PDFObject | undefined) => (object instanceof PDFRef ? pdf.context.lookup(object) : object);

/** The ActualText of every marked-content span in the pages' content, page by page. */
export async function actualTexts(file: string): Promise<string[][]> {
  const pdf = await openPdf(file);
  return pdf.getPages().map((page) => {
    const contents = lookup(pdf, page.node.get(PDFName.of('Contents')));
    const streams = contents instanceof PDFRawStream ? [contents] : [];
    return streams.flatMap((stream) => [...streamText(stream).matchAll(/\/ActualText\s*<([0-9A-Fa-f]*)>/g)].map((match) => utf16(match[1]!)));
  });
}

/** Each font's ToUnicode mappings (glyph → text), by the font's name. */
export async function toUnicodeMaps(file: string): Promise<Map<string, Map<number, string>>> {
  const pdf = await openPdf(file);
  const maps = new Map<string, Map<number, string>>();
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const stream = lookup(pdf, object.get(PDFName.of('ToUnicode')));
    if (!(stream instanceof PDFRawStream)) continue;
    const cmap = streamText(stream);
    const map = new Map<number, string>();
    for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, glyph, text] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(glyph!, 16), utf16(text!));
    }
    for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const [, low, high, first] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const start = utf16(first!);
        for (let glyph = parseInt(low!, 16); glyph <= parseInt(high!, 16); glyph++) {
          map.set(glyph, start.slice(0, -1) + String.fromCharCode(start.charCodeAt(start.length - 1) + glyph - parseInt(low!, 16)));
        }
      }
    }
    maps.set(String(object.get(PDFName.of('BaseFont'))).replace(/^\//, ''), map);
  }
  return maps;
}
