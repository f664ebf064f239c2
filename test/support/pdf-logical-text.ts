/**
 * A PDF's text in reading (logical) order, as a screen reader or a copy-and-paste
 * gets it from a careful extractor: each page's content streams interpreted with
 * their fonts' ToUnicode maps, honouring the marked content that says how to read
 * the glyphs, which pdf.js's text layer ignores:
 *
 * - `/Span <</ActualText …>> BDC`: the text the glyphs inside stand for (Chromium
 *   writes one around each joined Arabic letter, whose glyph maps to no character);
 * - `/ReversedChars BMC`: glyphs painted in visual order, right to left, whose
 *   reading order is the reverse (ISO 32000-1, 14.8.2.3.3);
 * - `/Artifact`: running heads, folios and the like, left out.
 *
 * Chromium paints a right-to-left line word by word from the left, each word a
 * `/ReversedChars` run: the words of a line come in visual order. As poppler and
 * Acrobat do, the glyphs are put into lines by their position, and a line of a
 * right-to-left page is read from the right, left-to-right runs (Latin words,
 * numbers) kept in their own order.
 *
 * Font names and glyph codes come with it, for the `.notdef` check (glyph 0).
 */
import { readFile } from 'node:fs/promises';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  type PDFObject,
} from 'pdf-lib';
import { contentTokens } from '../../scripts/pdf-postprocess/content-tokens.js';

export interface LogicalPage {
  /** The page's text without artifacts, in reading order, as it is (white space included). */
  text: string;
  /**
   * Each glyph shown, with the font's base name: `code` is the glyph id for the CID fonts Chromium writes; `text` the
   * character its font's ToUnicode map gives it, if any (a joined Arabic letter has none: its span's ActualText says).
   */
  glyphs: { font: string; code: number; text?: string }[];
}

interface Font {
  name: string;
  /** Bytes per code: 2 for Chromium's Identity-H CID fonts, 1 for simple fonts. */
  width: 1 | 2;
  toUnicode: Map<number, string>;
}

const latin1 = new TextDecoder('latin1');

/** `dir` is the document's direction: `rtl` reads each line from the right. */
export async function logicalTextByPage(file: string, dir: 'ltr' | 'rtl' = 'ltr'): Promise<LogicalPage[]> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  return pdf.getPages().map((page) => {
    const glyphs: LogicalPage['glyphs'] = [];
    const units = interpret(pdf, streamsOf(pdf, page.node.get(PDFName.of('Contents'))), page.node.Resources(), glyphs, IDENTITY);
    return { text: readLines(units, dir), glyphs };
  });
}

/** A piece of text, where on the page it starts (PDF user space, y up), and the text object (BT … ET) it is in. */
interface Unit {
  text: string;
  x: number;
  y: number;
  /** Font size on the page. */
  size: number;
  run: number;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/**
 * Units into lines, each read in its direction. Text objects are the pieces: Chromium paints a word, or a run of a
 * line in one direction, as one, its glyphs in visual order; a new line starts where a text object's baseline is half
 * its size away from the line's (marks on Arabic letters sit a little above or below it).
 */
function readLines(units: Unit[], dir: 'ltr' | 'rtl'): string {
  const runs: Unit[][] = [];
  for (const unit of units) {
    const run = runs.at(-1);
    if (run && run[0]!.run === unit.run) run.push(unit);
    else runs.push([unit]);
  }
  // Most glyphs of a run sit on its baseline; a mark or a dot is moved up or down from it.
  const baseline = (run: Unit[]) => run.map((unit) => unit.y).sort((a, b) => a - b)[Math.floor(run.length / 2)]!;
  const lines: Unit[][][] = [];
  for (const run of runs) {
    const line = lines.at(-1);
    const first = line?.[0];
    if (first && Math.abs(baseline(first) - baseline(run)) < Math.max(first[0]!.size, run[0]!.size) / 2) line!.push(run);
    else lines.push([run]);
  }
  const left = (run: Unit[]) => Math.min(...run.map((unit) => unit.x));
  const read = (line: Unit[][]) => (dir === 'rtl' ? fromVisual(line.toSorted((a, b) => left(a) - left(b)).flat()) : line.flat());
  return lines.map((line) => read(line).map((unit) => unit.text).join('')).join('\n');
}

const LEFT_TO_RIGHT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]/u;
const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;

/**
 * A right-to-left line from its units in visual order: read from the right, except that a run from one
 * left-to-right unit to the next with nothing right-to-left between keeps its order. (A bracket painted mirrored
 * maps to the character it stands for already.)
 */
function fromVisual(units: Unit[]): Unit[] {
  const segments: Unit[][] = [];
  let open: Unit[] | undefined;
  let pending: Unit[] = [];
  for (const unit of units) {
    if (LEFT_TO_RIGHT.test(unit.text)) {
      if (open) open.push(...pending, unit);
      else segments.push((open = [unit]));
      pending = [];
    } else if (RIGHT_TO_LEFT.test(unit.text) || !open) {
      segments.push(...pending.map((neutral) => [neutral]), [unit]);
      pending = [];
      open = undefined;
    } else pending.push(unit);
  }
  segments.push(...pending.map((neutral) => [neutral]));
  return segments.reverse().flat();
}

function streamsOf(pdf: PDFDocument, contents: PDFObject | undefined): string {
  const resolved = contents instanceof PDFRef ? pdf.context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) return resolved.asArray().map((item) => streamsOf(pdf, item)).join('\n');
  if (resolved instanceof PDFRawStream) return latin1.decode(decodePDFRawStream(resolved).decode());
  return '';
}

/** A frame of marked content: what its contents are collected into, and what becomes of them at EMC. */
interface Frame {
  kind: 'artifact' | 'reversed' | 'actual' | 'plain';
  actual?: string;
  units: Unit[];
}

function interpret(pdf: PDFDocument, content: string, resources: PDFDict | undefined, glyphs: LogicalPage['glyphs'], startCtm: Matrix): Unit[] {
  const fonts = new Map<string, Font>();
  const fontNamed = (name: string): Font | undefined => {
    if (!fonts.has(name)) {
      const dict = lookupDict(pdf, lookupDict(pdf, resources?.get(PDFName.of('Font')))?.get(PDFName.of(name)));
      if (dict) fonts.set(name, readFont(pdf, dict));
    }
    return fonts.get(name);
  };
  const stack: Frame[] = [{ kind: 'plain', units: [] }];
  const emit = (unit: Unit) => stack.at(-1)!.units.push(unit);
  let font: Font | undefined;
  let ctm = startCtm;
  const saved: Matrix[] = [];
  let textMatrix = IDENTITY;
  let lineMatrix = IDENTITY;
  let leading = 0;
  const numbers = (args: { raw: string }[]) => args.map((arg) => Number(arg.raw));
  const moveLine = (tx: number, ty: number) => {
    lineMatrix = multiply([1, 0, 0, 1, tx, ty], lineMatrix);
    textMatrix = lineMatrix;
  };
  let fontSize = 0;
  let run = 0;
  const here = () => {
    const [a, b, , , x, y] = multiply(textMatrix, ctm);
    return { x, y, size: fontSize * Math.hypot(a, b), run };
  };
  let operands: { text: string; raw: string }[] = [];
  for (const token of contentTokens(content)) {
    const raw = content.slice(token.start, token.end);
    if (token.kind === 'operand') {
      operands.push({ text: token.text, raw });
      continue;
    }
    const args = operands;
    operands = [];
    switch (token.text) {
      case 'BMC':
      case 'BDC': {
        const tag = args[0]?.raw ?? '';
        const actualAt = args.findIndex((arg) => arg.raw === '/ActualText');
        const actual = actualAt >= 0 ? decodeTextString(args[actualAt + 1]!.raw) : undefined;
        const kind = tag === '/Artifact' ? 'artifact' : tag === '/ReversedChars' ? 'reversed' : actual !== undefined ? 'actual' : 'plain';
        stack.push({ kind, actual, units: [] });
        break;
      }
      case 'EMC': {
        const frame = stack.length > 1 ? stack.pop()! : undefined;
        if (!frame || frame.kind === 'artifact') break;
        // Runs in reverse are put in order by their positions (readLines), as every run is.
        if (frame.kind === 'actual') emit({ ...(frame.units[0] ?? here()), text: frame.actual! });
        else frame.units.forEach(emit);
        break;
      }
      case 'q':
        saved.push(ctm);
        break;
      case 'Q':
        ctm = saved.pop() ?? ctm;
        break;
      case 'cm':
        ctm = multiply(numbers(args) as Matrix, ctm);
        break;
      case 'BT':
        run = nextRun++;
        textMatrix = lineMatrix = IDENTITY;
        break;
      case 'Tm':
        textMatrix = lineMatrix = numbers(args) as Matrix;
        break;
      case 'Td':
        moveLine(Number(args[0]!.raw), Number(args[1]!.raw));
        break;
      case 'TD':
        leading = -Number(args[1]!.raw);
        moveLine(Number(args[0]!.raw), Number(args[1]!.raw));
        break;
      case 'TL':
        leading = Number(args[0]!.raw);
        break;
      case 'T*':
        moveLine(0, -leading);
        break;
      case 'Tf':
        font = fontNamed(args[0]!.raw.slice(1));
        fontSize = Number(args[1]!.raw);
        break;
      case 'Tj':
      case "'":
      case '"':
      case 'TJ':
        for (const arg of args) {
          if (arg.text !== '()' && arg.text !== '<>') continue;
          for (const code of codesOf(stringBytes(arg.raw), font?.width ?? 1)) {
            glyphs.push({ font: font?.name ?? '', code, text: font?.toUnicode.get(code) });
            // Inside an ActualText span the glyphs stand for its text, given once at its end.
            if (stack.at(-1)!.kind === 'actual' && stack.at(-1)!.units.length) continue;
            emit({ ...here(), text: stack.at(-1)!.kind === 'actual' ? '' : (font?.toUnicode.get(code) ?? '\ufffd') });
          }
        }
        break;
      case 'Do': {
        const xobject = pdf.context.lookup(lookupDict(pdf, resources?.get(PDFName.of('XObject')))?.get(PDFName.of(args[0]!.raw.slice(1))));
        if (xobject instanceof PDFRawStream && xobject.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) {
          const formResources = lookupDict(pdf, xobject.dict.get(PDFName.of('Resources'))) ?? resources;
          const matrix = xobject.dict.get(PDFName.of('Matrix'));
          const formCtm = matrix instanceof PDFArray ? multiply(matrix.asArray().map((n) => Number(String(n))) as Matrix, ctm) : ctm;
          interpret(pdf, latin1.decode(decodePDFRawStream(xobject).decode()), formResources, glyphs, formCtm).forEach(emit);
        }
        break;
      }
    }
  }
  while (stack.length > 1) stack.pop();
  return stack[0]!.units;
}

let nextRun = 0;

function lookupDict(pdf: PDFDocument, object: PDFObject | undefined): PDFDict | undefined {
  const resolved = object instanceof PDFRef ? pdf.context.lookup(object) : object;
  return resolved instanceof PDFDict ? resolved : undefined;
}

function readFont(pdf: PDFDocument, dict: PDFDict): Font {
  const name = String(dict.get(PDFName.of('BaseFont')) ?? '').replace(/^\//, '');
  const width = dict.get(PDFName.of('Subtype')) === PDFName.of('Type0') ? 2 : 1;
  const stream = pdf.context.lookup(dict.get(PDFName.of('ToUnicode')));
  const toUnicode = stream instanceof PDFStream ? parseToUnicode(latin1.decode(decodePDFRawStream(stream as PDFRawStream).decode())) : new Map<number, string>();
  return { name, width, toUnicode };
}

/** A ToUnicode CMap's `bfchar` and `bfrange` entries. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (text: string) => parseInt(text, 16);
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, unicode] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(hex(code!), utf16(unicode!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from, to, target] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g)) {
      const targets = target!.startsWith('[') ? [...target!.matchAll(/<([0-9a-fA-F]*)>/g)].map((match) => match[1]!) : undefined;
      for (let code = hex(from!); code <= hex(to!); code++) {
        const offset = code - hex(from!);
        if (targets) map.set(code, utf16(targets[offset] ?? ''));
        else {
          const base = target!.slice(1, -1);
          const last = hex(base.slice(-4)) + offset;
          map.set(code, utf16(base.slice(0, -4) + last.toString(16).padStart(4, '0')));
        }
      }
    }
  }
  return map;
}

function utf16(hexText: string): string {
  const units: number[] = [];
  for (let at = 0; at + 4 <= hexText.length; at += 4) units.push(parseInt(hexText.slice(at, at + 4), 16));
  return String.fromCharCode(...units);
}

/** The bytes of a literal `(…)` or hex `<…>` string token. */
function stringBytes(raw: string): number[] {
  if (raw.startsWith('<')) {
    const digits = raw.slice(1, -1).replace(/\s+/g, '');
    const bytes: number[] = [];
    for (let at = 0; at < digits.length; at += 2) bytes.push(parseInt(digits.slice(at, at + 2).padEnd(2, '0'), 16));
    return bytes;
  }
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
  for (let at = 0; at < body.length; at++) {
    const char = body[at]!;
    if (char !== '\\') {
      bytes.push(char.charCodeAt(0));
      continue;
    }
    const next = body[++at]!;
    const octal = /^[0-7]{1,3}/.exec(body.slice(at))?.[0];
    if (octal) {
      bytes.push(parseInt(octal, 8) & 0xff);
      at += octal.length - 1;
    } else if (next === '\n' || next === '\r') {
      if (next === '\r' && body[at + 1] === '\n') at++;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return bytes;
}

function codesOf(bytes: number[], width: 1 | 2): number[] {
  if (width === 1) return bytes;
  const codes: number[] = [];
  for (let at = 0; at + 1 < bytes.length; at += 2) codes.push((bytes[at]! << 8) | bytes[at + 1]!);
  return codes;
}

/** A PDF text string: UTF-16BE with its byte order mark, or PDFDocEncoding (Latin-1 near enough). */
function decodeTextString(raw: string): string {
  const bytes = stringBytes(raw);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = '';
    for (let at = 2; at + 1 < bytes.length; at += 2) text += String.fromCharCode((bytes[at]! << 8) | bytes[at + 1]!);
    return text;
  }
  return String.fromCharCode(...bytes);
}
