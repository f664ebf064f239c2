/**
 * The PDF's text layer, made to search and copy as the words that print.
 *
 * Chromium (Skia) writes three things that break search and copy:
 * - every soft hyphen (U+00AD) of justified text, printed or not, as an invisible space
 *   glyph in a marked-content span `/Span <</ActualText <FEFF00AD>>> BDC … EMC`. Tools that
 *   honour ActualText (poppler, Acrobat) then find "cir\u00adcu\u00adla\u00adtion", not
 *   "circulation", and copy the hidden characters along. The glyph paints nothing and
 *   advances nothing: it goes, and its span with it. A break at a line end keeps its printed
 *   hyphen, a plain "-" that every reader joins to the next line's word ("circu-" "lation").
 * - a ligature drawn across a soft hyphen ("dif\u00adfi\u00adcult": the ffi glyph stands for
 *   "f\u00adfi") mapped to U+0000 in the font's ToUnicode CMap, with the letters only in the
 *   span's ActualText, which pdf.js does not read: it finds "di\0cult". (PDF/UA-1 7.21.7
 *   forbids the mapping.)
 * - a glyph that stands for a character other than its own in the font's cmap, such as
 *   Source Serif's apostrophe glyph, shared by U+02BC and U+2019, mapped to U+02BC with the
 *   right character only in ActualText.
 * The soft hyphens leave the spans' ActualText; a glyph mapped to U+0000, or drawn only inside
 * spans that all say the same, is mapped to what they say; a missing glyph (.notdef, drawn
 * for a character no embedded font has) maps to U+FFFD rather than U+0000.
 *
 * It also names each embedded face by the weight that prints: Source Sans 3's static files
 * from @fontsource keep their variable font's default instance in their names
 * ("SourceSans3ExtraLight-SemiBold"), which a print shop's preflight reports as ExtraLight.
 *
 * Only streams that hold an ActualText span are read through, with patterns fitted to
 * what Skia writes, not a full content-stream interpreter.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { bytesOf, latin1Text, streamText, type ChromiumPdf } from './chromium-pdf.js';
import { NO_TEXT, type GlyphTexts } from '../fonts/glyph-texts.js';

const SOFT_HYPHEN = '\u00ad';
const MISSING_GLYPH = 0;
const REPLACEMENT_CHARACTER = '\ufffd';

/** `/Span<</ActualText <FEFF…> >> BDC`, its content (one operator a line), then `EMC`. */
const SPAN = /\/Span\s*<<\s*\/ActualText\s*<([0-9A-Fa-f]*)>\s*>>\s*BDC\n((?:(?!EMC\n)[^\n]*\n)*?)EMC\n/g;
/** A glyph drawn by Skia: `<gid> Tj` (Identity-H: two bytes a glyph). */
const GLYPH = /<([0-9A-Fa-f]{4})>\s*Tj/g;
const glyphHex = (glyph: number) => glyph.toString(16).padStart(4, '0');
/** A span whose ActualText holds a soft hyphen. */
const SOFT_HYPHEN_SPAN = /\/ActualText\s*<(?:[0-9A-Fa-f]{4})*00[aA][dD]/;
/** The font selected last before a point: `/F7 17.33 Tf`. */
const FONT_SELECTION = /\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf/g;
/** A position move Skia writes before a glyph: `11.107 0 Td`. */
const MOVE = /^\s*([-\d.]+\s+[-\d.]+\s+Td)\s*/;

/**
 * The text layer repaired (see above), one content stream at a time (page-content.ts reads each page's
 * streams once for all that mends them), then the fonts' maps. `finish` returns how many glyphs are still
 * mapped to no text (U+0000, U+FEFF, U+FFFE or nothing): PDF/UA-1 (7.21.7) forbids them, so the PDF then
 * makes no claim. Chromium maps every glyph that only shaping reaches so (Arabic contextual forms, Indic
 * conjuncts, Nastaliq ligatures), and draws some of them in no span: `glyphTexts` (fonts/glyph-texts.ts)
 * says what they stand for, from HarfBuzz's shaping of the page's text.
 */
export class TextLayerRepair {
  /** Per font object: per glyph the font's map gets wrong, what the spans drawing only it say it stands for. */
  private readonly spoken = new Map<number, Map<number, Set<string>>>();
  /** Per font object: which of those glyphs are also drawn outside any span, as far as the streams read tell. */
  private readonly drawnBare = new Map<number, Set<number>>();
  private readonly readFonts = new Set<number>();
  private readonly cmaps = new Map<number, Map<number, string>>();
  private readonly advanceTables = new Map<number, (glyph: number) => number>();

  constructor(
    private readonly pdf: ChromiumPdf,
    private readonly glyphTexts?: GlyphTexts,
  ) {}

  /** A page's fonts by resource name (`F7`), for its streams; each is renamed and its map mended at the end. */
  fontsOf(page: PDFDict): Map<string, PDFRef> {
    const fonts = pageFonts(this.pdf, page);
    for (const ref of fonts.values()) this.readFonts.add(ref.objectNumber);
    return fonts;
  }

  /**
   * A content stream drawn with `fonts` (`content`, decoded), repaired: its text, or undefined when it needs no
   * change. A stream without an ActualText span is not read through, nor made text.
   */
  repair(content: Buffer, fonts: Map<string, PDFRef>): string | undefined {
    if (!content.includes('/ActualText')) return undefined;
    const printed = latin1Text(content);
    let removed = false;
    const printedFontAt = fontSelections(printed, fonts);
    const dehyphenated = !SOFT_HYPHEN_SPAN.test(printed) ? printed : printed.replace(SPAN, (whole, hex: string, inside: string, at: number) => {
      const said = utf16Text(hex);
      if (!said.includes(SOFT_HYPHEN)) return whole;
      const kept = said.replaceAll(SOFT_HYPHEN, '');
      removed = true;
      // A soft hyphen alone: an invisible glyph that moves nothing. Its move stays (the next glyph's is relative to it).
      if (!kept) return MOVE.exec(inside)?.[1]?.concat('\n') ?? '';
      // Inside a ligature's span the soft hyphen is the same invisible glyph, a space in the font's map.
      const cmap = this.glyphMap(printedFontAt(at));
      const ligature = inside.replace(/^(.*?)\s*<([0-9A-Fa-f]{4})>\s*Tj$/gm, (line, move: string, glyph: string) =>
        cmap.get(parseInt(glyph, 16)) === ' ' ? move : line,
      );
      return whole.replace(`<${hex}>`, `<FEFF${utf16Hex(kept)}>`).replace(inside, ligature);
    });
    const text = lettersInPlace(dehyphenated, fontSelections(dehyphenated, fonts), (font, glyph) => this.advanceOf(font)(glyph));
    if (text !== dehyphenated) removed = true;
    const fontAt = fontSelections(text, fonts);
    const spans: [number, number][] = [];
    const wrong = new Set<string>([glyphHex(MISSING_GLYPH)]);
    for (const span of text.matchAll(SPAN)) {
      spans.push([span.index, span.index + span[0].length]);
      const font = fontAt(span.index);
      const glyphs = [...span[2]!.matchAll(GLYPH)].map((glyph) => parseInt(glyph[1]!, 16));
      if (font === undefined || glyphs.length !== 1) continue;
      const [glyph] = glyphs as [number];
      const said = utf16Text(span[1]!).replaceAll(SOFT_HYPHEN, '');
      if (!said || (glyph !== MISSING_GLYPH && this.glyphMap(font).get(glyph) === said)) continue;
      wrong.add(glyphHex(glyph));
      const byGlyph = this.spoken.get(font) ?? new Map<number, Set<string>>();
      this.spoken.set(font, byGlyph);
      byGlyph.set(glyph, (byGlyph.get(glyph) ?? new Set()).add(said));
    }
    // Only the glyphs that spans speak for otherwise are looked for outside them (a page draws thousands).
    let span = 0;
    for (const glyph of text.matchAll(new RegExp(`<(${[...wrong].join('|')})>\\s*Tj`, 'gi'))) {
      while (span < spans.length && spans[span]![1] <= glyph.index) span++;
      const inSpan = span < spans.length && spans[span]![0] <= glyph.index;
      const font = fontAt(glyph.index);
      if (font === undefined || inSpan) continue;
      this.drawnBare.set(font, (this.drawnBare.get(font) ?? new Set()).add(parseInt(glyph[1]!, 16)));
    }
    return removed ? text : undefined;
  }

  /** Every font read mended and renamed (see above); how many glyphs are still without text. */
  async finish(): Promise<{ glyphsWithoutText: number }> {
    let glyphsWithoutText = 0;
    for (const number of this.readFonts) {
      const ref = PDFRef.of(number);
      const font = this.pdf.lookupDict(ref);
      if (!font) continue;
      glyphsWithoutText += await remapGlyphs(this.pdf, font, this.spoken.get(number) ?? new Map(), this.drawnBare.get(number) ?? new Set(), this.glyphTexts);
      renameFont(this.pdf, ref, font);
    }
    return { glyphsWithoutText };
  }

  private glyphMap(font: number | undefined): Map<number, string> {
    if (font === undefined) return new Map<number, string>();
    let map = this.cmaps.get(font);
    if (!map) this.cmaps.set(font, (map = toUnicodeMap(readToUnicode(this.pdf, this.pdf.lookupDict(PDFRef.of(font)))?.cmap ?? '')));
    return map;
  }

  private advanceOf(font: number): (glyph: number) => number {
    let table = this.advanceTables.get(font);
    if (!table) this.advanceTables.set(font, (table = advances(this.pdf, this.pdf.lookupDict(PDFRef.of(font)) ?? (this.pdf.context.obj({}) as PDFDict))));
    return table;
  }
}

/** A glyph drawn where Skia moves to draw it: `5.6 -2.1 Td <0043> Tj`. */
const PLACED_GLYPH = /^\s*(-?[\d.]+)\s+(-?[\d.]+)\s+Td\s*<([0-9A-Fa-f]{4})>\s*Tj\s*$/;
const SPAN_PARTS = /(\/Span\s*<<\s*\/ActualText\s*<[0-9A-Fa-f]*>\s*>>\s*BDC\n)((?:(?!EMC\n)[^\n]*\n)*?)(EMC\n)/g;
/** The size of the font selected last before a point: `/F7 17.33 Tf`. */
const FONT_SIZE = /\/[^\s/<>[\]()]+\s+([-\d.]+)\s+Tf/g;
const decimal = (value: number) => String(Math.round(value * 1e5) / 1e5);

/**
 * Each span read where its letter is. An extractor puts a span's text where its first glyph starts
 * and ends it where its last glyph ends (poppler: ActualText::end). Noto Naskh draws the dots of
 * ض ف ن ت apart from the letter, and Chromium draws the dots first: ن was read on a line of its
 * own above the others, and every dotted letter broke its word in two. A span that ends on a mark
 * (Bengali ঘু, য়ে: the vowel sign or nukta below, which advances nothing) ended before its letter did,
 * and the gap read as a space inside the word. The glyph on the line moves to the front, and the last
 * glyph drawn is given the character spacing (Tc, which moves nothing Skia draws: it places every
 * glyph with Td) that makes it end where the letter ends. The span still ends
 * where it ended, so what follows is drawn where it was.
 */
function lettersInPlace(text: string, fontAt: (at: number) => number | undefined, advance: (font: number, glyph: number) => number): string {
  const sizes = [...text.matchAll(FONT_SIZE)].map((match) => ({ at: match.index, size: Number(match[1]) }));
  const sizeAt = (at: number) => sizes.findLast((selection) => selection.at < at)?.size ?? 0;
  return text.replace(SPAN_PARTS, (whole, open: string, inside: string, close: string, at: number) => {
    const lines = inside.split('\n').slice(0, -1);
    const first = lines.findIndex((line) => PLACED_GLYPH.test(line));
    const placed = first === -1 ? [] : lines.slice(first).map((line) => PLACED_GLYPH.exec(line));
    // The font the glyphs are drawn in: selected before the span, or in it before its first glyph.
    const glyphsAt = at + open.length + lines.slice(0, first).join('\n').length + 1;
    const font = fontAt(glyphsAt);
    if (placed.length < 2 || placed.some((match) => !match) || font === undefined) return whole;
    const size = sizeAt(glyphsAt);
    let x = 0;
    let y = 0;
    const glyphs = placed.map((match) => {
      const glyph = parseInt(match![3]!, 16);
      return { x: (x += Number(match![1])), y: (y += Number(match![2])), hex: match![3]!, end: x + advance(font, glyph) * size };
    });
    const onLine = glyphs.findIndex((glyph) => Math.abs(glyph.y) < 0.001);
    if (onLine === -1) return whole;
    const order = [glyphs[onLine]!, ...glyphs.filter((_, index) => index !== onLine)];
    const letterEnd = Math.max(...glyphs.filter((glyph) => Math.abs(glyph.y) < 0.001).map((glyph) => glyph.end));
    // In its place already: first on the line, and the last glyph ends where the letter does (or beyond).
    if (onLine === 0 && order.at(-1)!.end >= letterEnd - 0.001) return whole;
    let current = { x: 0, y: 0 };
    const drawn = order.map((glyph, index) => {
      const move = `${decimal(glyph.x - current.x)} ${decimal(glyph.y - current.y)} Td`;
      current = glyph;
      const spacing = index === order.length - 1 ? Math.max(0, letterEnd - glyph.end) : 0;
      return Math.abs(spacing) > 0.001 ? `${move} ${decimal(spacing)} Tc <${glyph.hex}> Tj 0 Tc` : `${move} <${glyph.hex}> Tj`;
    });
    const end = glyphs.at(-1)!;
    if (end !== current) drawn.push(`${decimal(end.x - current.x)} ${decimal(end.y - current.y)} Td`);
    return `${open}${[...lines.slice(0, first), ...drawn].join('\n')}\n${close}`;
  });
}

/** A CID font's glyph advances (its descendant's `W`, in thousandths of the size; `DW` for the rest). */
function advances(pdf: ChromiumPdf, font: PDFDict): (glyph: number) => number {
  const descendants = pdf.lookup(font.get(PDFName.of('DescendantFonts')));
  const descendant = descendants instanceof PDFArray ? pdf.lookupDict(descendants.get(0)) : undefined;
  const widths = new Map<number, number>();
  const w = pdf.lookup(descendant?.get(PDFName.of('W')));
  const items = w instanceof PDFArray ? w.asArray().map((item) => pdf.lookup(item) ?? item) : [];
  const value = (item: unknown) => (item instanceof PDFNumber ? item.asNumber() : 0);
  for (let index = 0; index < items.length; ) {
    const start = value(items[index]);
    const next = items[index + 1];
    if (next instanceof PDFArray) {
      next.asArray().forEach((width, offset) => widths.set(start + offset, value(pdf.lookup(width) ?? width)));
      index += 2;
    } else {
      for (let glyph = start; glyph <= value(next); glyph++) widths.set(glyph, value(items[index + 2]));
      index += 3;
    }
  }
  const dw = pdf.lookup(descendant?.get(PDFName.of('DW')));
  const fallback = dw instanceof PDFNumber ? dw.asNumber() : 1000;
  return (glyph) => (widths.get(glyph) ?? fallback) / 1000;
}

/** A page's fonts by resource name (`F7`). */
function pageFonts(pdf: ChromiumPdf, page: PDFDict): Map<string, PDFRef> {
  const resources = pdf.lookupDict(page.get(PDFName.of('Resources')));
  const fonts = pdf.lookupDict(resources?.get(PDFName.of('Font')));
  const byName = new Map<string, PDFRef>();
  for (const [name, value] of fonts?.entries() ?? []) if (value instanceof PDFRef) byName.set(name.decodeText(), value);
  return byName;
}

/** The font object selected at each point of a content stream. */
function fontSelections(text: string, fonts: Map<string, PDFRef>): (at: number) => number | undefined {
  const selections = [...text.matchAll(FONT_SELECTION)].map((match) => ({ at: match.index, font: fonts.get(match[1]!)?.objectNumber }));
  let next = 0;
  let current: number | undefined;
  // Asked in increasing order within each pass; a lower point starts the search again.
  let asked = -1;
  return (at) => {
    if (at < asked) {
      next = 0;
      current = undefined;
    }
    asked = at;
    while (next < selections.length && selections[next]!.at < at) current = selections[next++]!.font;
    return current;
  };
}

/**
 * Map the glyphs that the font's ToUnicode CMap gets wrong to what the spans say: those mapped to
 * U+0000 (or not at all) when the spans agree, those drawn only inside spans that agree; the
 * missing glyph to U+FFFD; and those still without text to what shaping says they stand for.
 * Returns how many glyphs the map still leaves without text.
 */
async function remapGlyphs(pdf: ChromiumPdf, font: PDFDict, spoken: Map<number, Set<string>>, drawnBare: Set<number>, glyphTexts?: GlyphTexts): Promise<number> {
  const toUnicode = readToUnicode(pdf, font);
  if (!toUnicode) return 0;
  const { ref, stream, cmap } = toUnicode;
  const mapped = toUnicodeMap(cmap);
  const changes = new Map<number, string>();
  for (const [glyph, said] of spoken) {
    if (said.size !== 1) continue;
    const [text] = said as Set<string>;
    const current = mapped.get(glyph);
    const wrong = current === undefined || current.includes('\0') || (!drawnBare.has(glyph) && current !== text);
    if (wrong && glyph !== MISSING_GLYPH) changes.set(glyph, text!);
  }
  const missing = mapped.get(MISSING_GLYPH);
  const drawsMissing = spoken.has(MISSING_GLYPH) || drawnBare.has(MISSING_GLYPH);
  if (drawsMissing && (missing === undefined || missing.includes('\0'))) changes.set(MISSING_GLYPH, REPLACEMENT_CHARACTER);
  for (const [glyph, text] of changes) mapped.set(glyph, text);
  const baseFont = font.get(PDFName.of('BaseFont'));
  // The script faces (Noto), and any face with glyphs left without text, are shaped.
  const shapedFont = baseFont instanceof PDFName && (/^(?:[A-Z]{6}\+)?Noto/.test(baseFont.decodeText()) || [...mapped.values()].some((text) => NO_TEXT.has(text)));
  if (glyphTexts && shapedFont) {
    const shaped = await glyphTexts.of((baseFont as PDFName).decodeText(), mapped);
    for (const [glyph, text] of mapped) {
      const said = shaped?.get(glyph);
      if (!said || glyph === MISSING_GLYPH) continue;
      if (NO_TEXT.has(text) || (said.always && said.text !== text)) changes.set(glyph, said.text);
    }
    for (const [glyph, text] of changes) mapped.set(glyph, text);
  }
  if (changes.size) pdf.setStreamData(ref, stream, bytesOf(withMappings(cmap, mapped)));
  return [...mapped.values()].filter((text) => NO_TEXT.has(text)).length;
}

/** The CMap with its mappings replaced by `mapped`, one by one, in blocks of at most 100 (PostScript's limit). */
function withMappings(cmap: string, mapped: Map<number, string>): string {
  const head = cmap.slice(0, cmap.indexOf('endcodespacerange') + 'endcodespacerange'.length);
  const tail = cmap.slice(cmap.indexOf('endcmap'));
  const entries = [...mapped].sort((a, b) => a[0] - b[0]).map(([glyph, text]) => `<${glyph.toString(16).toUpperCase().padStart(4, '0')}> <${utf16Hex(text)}>`);
  const blocks: string[] = [];
  for (let first = 0; first < entries.length; first += 100) {
    const block = entries.slice(first, first + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar\n`);
  }
  return `${head}\n${blocks.join('')}${tail}`;
}

/** A font's ToUnicode CMap, as text. */
function readToUnicode(pdf: ChromiumPdf, font: PDFDict | undefined): { ref: PDFRef; stream: PDFRawStream; cmap: string } | undefined {
  const ref = font?.get(PDFName.of('ToUnicode'));
  const stream = pdf.lookup(ref);
  const cmap = stream instanceof PDFRawStream ? streamText(stream) : undefined;
  return ref instanceof PDFRef && cmap !== undefined ? { ref, stream: stream as PDFRawStream, cmap } : undefined;
}

/** A ToUnicode CMap's single mappings and ranges, glyph by glyph. */
export function toUnicodeMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, source, target] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(source!, 16), utf16Text(target!));
  }
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, target] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)/g)) {
      const from = parseInt(low!, 16);
      const to = parseInt(high!, 16);
      if (target!.startsWith('[')) {
        [...target!.matchAll(/<([0-9A-Fa-f]*)>/g)].forEach((entry, index) => map.set(from + index, utf16Text(entry[1]!)));
      } else {
        const first = utf16Text(target!.slice(1, -1));
        for (let glyph = from; glyph <= to; glyph++) {
          map.set(glyph, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + glyph - from));
        }
      }
    }
  }
  return map;
}

/**
 * `XXXXXX+SourceSans3ExtraLight-SemiBold` → `XXXXXX+SourceSans3-SemiBold`: a family name that
 * ends with another weight than the one after the hyphen loses it. In the Type 0 font, its
 * descendant and the descriptor.
 */
function renameFont(pdf: ChromiumPdf, ref: PDFRef, font: PDFDict): void {
  const name = font.get(PDFName.of('BaseFont'));
  if (!(name instanceof PDFName)) return;
  const renamed = weightFreeName(name.decodeText());
  if (renamed === name.decodeText()) return;
  font.set(PDFName.of('BaseFont'), PDFName.of(renamed));
  pdf.set(ref, font);
  const descendants = pdf.lookup(font.get(PDFName.of('DescendantFonts')));
  for (const descendantRef of descendants instanceof PDFArray ? descendants.asArray() : []) {
    const descendant = pdf.lookupDict(descendantRef);
    if (!descendant || !(descendantRef instanceof PDFRef)) continue;
    descendant.set(PDFName.of('BaseFont'), PDFName.of(renamed));
    pdf.set(descendantRef, descendant);
    const descriptorRef = descendant.get(PDFName.of('FontDescriptor'));
    const descriptor = pdf.lookupDict(descriptorRef);
    if (!descriptor || !(descriptorRef instanceof PDFRef)) continue;
    descriptor.set(PDFName.of('FontName'), PDFName.of(renamed));
    pdf.set(descriptorRef, descriptor);
  }
}

const WEIGHTS = ['Thin', 'ExtraLight', 'Light', 'Medium', 'SemiBold', 'ExtraBold', 'Bold', 'Black'];
const FAMILY_WITH_WEIGHT = new RegExp(`^((?:[A-Z]{6}\\+)?[A-Za-z0-9]+?)(${WEIGHTS.join('|')})-([A-Za-z]+)$`);

export function weightFreeName(name: string): string {
  const match = FAMILY_WITH_WEIGHT.exec(name);
  if (!match || match[2] === match[3]) return name;
  return `${match[1]}-${match[3]}`;
}

/** `FEFF0066006900` (UTF-16BE, with or without its byte-order mark) → text. */
export function utf16Text(hex: string): string {
  const units = hex.replace(/^feff/i, '');
  let text = '';
  for (let at = 0; at + 4 <= units.length; at += 4) text += String.fromCharCode(parseInt(units.slice(at, at + 4), 16));
  return text;
}

function utf16Hex(text: string): string {
  return [...text]
    .flatMap((char) => {
      const code = char.codePointAt(0)!;
      if (code <= 0xffff) return [code];
      const offset = code - 0x10000;
      return [0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff)];
    })
    .map((unit) => unit.toString(16).toUpperCase().padStart(4, '0'))
    .join('');
}
