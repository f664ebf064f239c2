/**
 * Readers for the built outputs, as a person inspects them: a PDF's information, fonts, text and
 * bookmarks (read with MuPDF, see mupdf-document.ts), epubcheck, Ace and a zip reader.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { imageSize } from 'image-size';
import { expect, inject } from 'vitest';
import { findBrowser } from '../../scripts/browser/location.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { checkWithService } from './epubcheck-service.js';
import { mupdf, openMupdf } from './mupdf-document.js';
import { layoutText, printedRows, textLinesByPage } from './page-text.js';

const run = promisify(execFile);

/** The document information under the names PDF inspectors print it with (`Title`, `Pages`, `Page size`, `Tagged`, …), dates in ISO 8601. */
export async function pdfInfo(file: string): Promise<Record<string, string>> {
  const document = await openMupdf(file);
  const trailer = document.getTrailer();
  const catalog = trailer.get('Root');
  const info = trailer.get('Info');
  const fields: Record<string, string> = {};
  for (const key of ['Title', 'Subject', 'Keywords', 'Author', 'Creator', 'Producer']) {
    if (info.get(key).isString()) fields[key] = info.get(key).asString();
  }
  for (const key of ['CreationDate', 'ModDate']) {
    if (info.get(key).isString()) fields[key] = isoDate(info.get(key).asString());
  }
  fields['Metadata Stream'] = catalog.get('Metadata').isStream() ? 'yes' : 'no';
  fields['Tagged'] = catalog.get('MarkInfo', 'Marked').valueOf() === true ? 'yes' : 'no';
  fields['Form'] = catalog.get('AcroForm').isDictionary() ? 'AcroForm' : 'none';
  fields['Pages'] = String(document.countPages());
  fields['Encrypted'] = trailer.get('Encrypt').isNull() ? 'no' : 'yes';
  if (document.countPages() > 0) {
    const page = document.loadPage(0);
    const [x0, y0, x1, y1] = page.getBounds('CropBox');
    fields['Page size'] = pageSize(x1 - x0, y1 - y0);
    fields['Page rot'] = String(page.getObject().getInheritable('Rotate').valueOf() ?? 0);
    page.destroy();
  }
  fields['File size'] = `${(await stat(file)).size} bytes`;
  fields['PDF version'] = /^%PDF-(\d\.\d)/.exec((await readFile(file)).toString('latin1', 0, 16))?.[1] ?? '';
  return fields;
}

/** A PDF date (`D:20231114221320Z`, `D:20231114231320+01'00'`) in ISO 8601: `2023-11-14T22:13:20Z`, `2023-11-14T23:13:20+01:00`. */
function isoDate(date: string): string {
  const match = /^(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(Z|[+-]\d\d'?\d\d'?)?/.exec(date);
  if (!match) return date;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone] = match;
  const offset = !zone ? '' : zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replaceAll("'", '').slice(3, 5)}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`;
}

/** `594.96 x 841.92 pts (A4)`: the size in points, and its name when it is Letter (within 0.1 pt) or ISO A0–A6 (within 1 pt). */
function pageSize(width: number, height: number): string {
  const points = (value: number) => String(Number(value.toPrecision(6)));
  let text = `${points(width)} x ${points(height)} pts`;
  const matches = (w: number, h: number, tolerance: number) =>
    (Math.abs(width - w) < tolerance && Math.abs(height - h) < tolerance) || (Math.abs(width - h) < tolerance && Math.abs(height - w) < tolerance);
  if (matches(612, 792, 0.1)) return `${text} (letter)`;
  let isoHeight = (Math.sqrt(Math.SQRT2) * 7200) / 2.54;
  for (let size = 0; size <= 6; size++) {
    const isoWidth = isoHeight / Math.SQRT2;
    if (matches(isoWidth, isoHeight, 1)) return `${text} (A${size})`;
    isoHeight = isoWidth;
  }
  return text;
}

export interface PdfFont {
  name: string;
  embedded: boolean;
}

/**
 * The fonts the pages use: each font dictionary once, found in the pages'
 * resources and those of the forms, patterns, Type 3 glyphs and annotation appearances they draw.
 * A font is embedded when its descriptor (a composite font's: its descendant's) carries a font file.
 */
export async function pdfFonts(file: string): Promise<PdfFont[]> {
  const document = await openMupdf(file);
  const fonts = new Map<number | mupdf.PDFObject, PdfFont>();
  const visited = new Set<number>();
  const visitResources = (resources: mupdf.PDFObject) => {
    if (resources.isIndirect()) {
      if (visited.has(resources.asIndirect())) return;
      visited.add(resources.asIndirect());
    }
    resources.get('Font').forEach((font) => {
      const key = font.isIndirect() ? font.asIndirect() : font;
      if (fonts.has(key)) return;
      const descriptor = font.get('Subtype').asName() === 'Type0' ? font.get('DescendantFonts', 0, 'FontDescriptor') : font.get('FontDescriptor');
      fonts.set(key, {
        name: font.get('BaseFont').isName() ? font.get('BaseFont').asName() : '[none]',
        embedded: ['FontFile', 'FontFile2', 'FontFile3'].some((entry) => descriptor.get(entry).isStream()),
      });
      if (font.get('Resources').isDictionary()) visitResources(font.get('Resources'));
    });
    for (const kind of ['XObject', 'Pattern']) {
      resources.get(kind).forEach((object) => {
        if (object.get('Resources').isDictionary()) visitResources(object.get('Resources'));
      });
    }
  };
  for (let index = 0; index < document.countPages(); index++) {
    const page = document.findPage(index);
    visitResources(page.getInheritable('Resources'));
    page.get('Annots').forEach((annotation) => {
      annotation.get('AP').forEach((appearance) => {
        for (const stream of appearance.isStream() ? [appearance] : dictionaryValues(appearance)) {
          if (stream.get('Resources').isDictionary()) visitResources(stream.get('Resources'));
        }
      });
    });
  }
  return [...fonts.values()];
}

function dictionaryValues(dictionary: mupdf.PDFObject): mupdf.PDFObject[] {
  const values: mupdf.PDFObject[] = [];
  dictionary.forEach((value) => values.push(value));
  return values;
}

/**
 * The text of each page, line by line as printed: a row of type is one line (a running header's
 * two sides too), and space between rows wider than a third of a line is a blank line. Read with
 * MuPDF, which honours /ActualText: soft hyphens (U+00AD) and curly apostrophes come out as written.
 */
export async function pdfPages(file: string): Promise<string[]> {
  return (await textLinesByPage(file)).map((lines) => layoutText(printedRows(lines)));
}

export interface OutlineEntry {
  title: string;
  /** The 1-based page its destination is on. */
  page: number;
  kids: OutlineEntry[];
}

export async function pdfOutline(file: string): Promise<OutlineEntry[]> {
  const document = await openMupdf(file);
  const convert = (item: { title?: string; page?: number; down?: (typeof item)[] }): OutlineEntry => ({
    title: item.title ?? '',
    page: (item.page ?? -1) + 1,
    kids: (item.down ?? []).map(convert),
  });
  return (document.loadOutline() ?? []).map(convert);
}

export function flattenOutline(entries: OutlineEntry[]): OutlineEntry[] {
  return entries.flatMap((entry) => [entry, ...flattenOutline(entry.kids)]);
}

export interface AceViolation {
  file: string;
  rule: string;
  impact: string;
  description: string;
  html?: string;
}

/**
 * Ace by DAISY (the accessibility checker libraries and stores use) on an EPUB:
 * its violations, each with the document, the rule, its impact and the markup.
 * Ace drives the same system Chromium as the build.
 */
async function aceCheck(file: string): Promise<{ outcome: string; violations: AceViolation[] }> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'press-ace-'));
  try {
    await run(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js'), '--silent', '--force', '--outdir', outDir, file], {
      // Ace gives the browser 5 s to start unless told otherwise, which a busy machine can take: as long as it takes.
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: (await findBrowser()).executablePath, ACE_TIMEOUT_INITIAL: '600000' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(await readFile(path.join(outDir, 'report.json'), 'utf8'));
    const violations: AceViolation[] = [];
    for (const subject of report.assertions ?? []) {
      for (const assertion of subject.assertions ?? []) {
        violations.push({
          file: subject['earl:testSubject']?.url,
          rule: assertion['earl:test']?.['dct:title'],
          impact: assertion['earl:test']?.['earl:impact'],
          description: assertion['earl:result']?.['dct:description'],
          html: assertion['earl:result']?.html,
        });
      }
    }
    return { outcome: report['earl:result']['earl:outcome'], violations };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** What `epubcheck FILE` says of an EPUB, asked of the run's EPUBCheck service (epubcheck-service.ts). */
export const epubcheck = (file: string) => checkWithService(inject('epubcheckPort'), file);

/** Fails, with epubcheck's report, unless it finds no fatal error, no error and (unless allowed) no warning. */
export async function expectEpubcheckClean(file: string, { allowWarnings = false } = {}): Promise<void> {
  const result = await epubcheck(file);
  expect(result, result.output).toMatchObject({ fatals: 0, errors: 0, ...(allowWarnings ? {} : { warnings: 0 }) });
}

/** Fails, listing what it found, unless Ace by DAISY finds no accessibility violation. */
export async function expectAcePasses(file: string): Promise<void> {
  const { outcome, violations } = await aceCheck(file);
  expect(violations, describeViolations(violations)).toEqual([]);
  expect(outcome).toBe('pass');
}

/** Violations as lines a person can read in a failed assertion. */
function describeViolations(violations: AceViolation[]): string {
  return violations.map((v) => `${v.file}: ${v.rule} (${v.impact}) ${v.description.split('\n')[0]} ${v.html ?? ''}`).join('\n');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function imageDimensions(bytes: Uint8Array): { width: number; height: number; type: string } {
  const { width = 0, height = 0, type = '' } = imageSize(bytes);
  return { width, height, type };
}

/**
 * A PNG's pixels, decoded by MuPDF, as RGB, and a pixel's colour. The PNG is 8-bit RGB or RGBA, not interlaced:
 * what the build writes. (MuPDF premultiplies by alpha: the same colours for the build's covers, which are opaque.)
 */
export function pngPixels(bytes: Uint8Array): { width: number; height: number; rgb: (x: number, y: number) => [number, number, number] } {
  // IHDR is the first chunk: its bit depth, colour type and interlace method are bytes 24, 25 and 28 of the file.
  const [depth, colourType, interlace] = [bytes[24], bytes[25], bytes[28]];
  expect({ depth, colourType: [2, 6].includes(colourType!), interlace }).toEqual({ depth: 8, colourType: true, interlace: 0 });
  const image = new mupdf.Image(bytes);
  const pixmap = image.toPixmap();
  try {
    const [width, height, stride, channels] = [pixmap.getWidth(), pixmap.getHeight(), pixmap.getStride(), pixmap.getNumberOfComponents()];
    const pixels = pixmap.getPixels().slice();
    const rgb = (x: number, y: number): [number, number, number] => {
      const at = y * stride + x * channels;
      return [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!];
    };
    return { width, height, rgb };
  } finally {
    pixmap.destroy();
    image.destroy();
  }
}

/** The package document's `<meta property="…">` values, by property. */
export function opfMeta(opf: string): Map<string, string[]> {
  const meta = new Map<string, string[]>();
  for (const match of opf.matchAll(/<meta property="([^"]+)"[^>]*>([^<]*)<\/meta>/g)) {
    meta.set(match[1]!, [...(meta.get(match[1]!) ?? []), match[2]!]);
  }
  return meta;
}

/** The EPUB's cover: the manifest item with `properties="cover-image"`, its bytes and size. */
export async function epubCover(zip: JSZip) {
  const opf = await zip.file('OEBPS/content.opf')!.async('string');
  const item = /<item [^>]*properties="cover-image"[^>]*\/>/.exec(opf)?.[0];
  if (!item) return undefined;
  const href = /href="([^"]+)"/.exec(item)![1]!;
  const mediaType = /media-type="([^"]+)"/.exec(item)![1]!;
  const bytes = await zip.file(`OEBPS/${href}`)!.async('uint8array');
  return { href, mediaType, bytes, ...imageDimensions(bytes) };
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Length of the extra field in the entry's local header. */
  localExtraLength: number;
}

/** A zip's entries as its central directory lists them, in order: what JSZip reads but does not show. */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localExtraLength: zip.readUInt16LE(local + 28),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

export async function openEpub(file: string): Promise<JSZip> {
  return JSZip.loadAsync(await readFile(file));
}

/** Every XHTML document of an EPUB, as text, in the zip's order. */
export async function epubXhtml(zip: JSZip): Promise<string[]> {
  return Promise.all(Object.keys(zip.files).filter((name) => name.endsWith('.xhtml')).map((name) => zip.file(name)!.async('string')));
}

/** Text content of an XHTML string: tags dropped, entities decoded, whitespace folded. */
export function xhtmlText(xhtml: string): string {
  return foldSpace(
    xhtml
      .replace(/<head>[\s\S]*?<\/head>/, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&nbsp;/g, '\u00a0')
      .replace(/&amp;/g, '&'),
  );
}

/**
 * A PDF's text as a reader reads it: a word Chromium broke at a soft hyphen joined again, a
 * compound's own hyphen kept across a line end, the other soft hyphens dropped, white space folded.
 * The break comes out as the soft hyphen then the printed hyphen, or as U+2010 HYPHEN alone, the
 * character Chromium prints at a break (seen in an 1,855-page build, whose font names its one
 * hyphen glyph U+2010 in the PDF's text map).
 */
export function readableText(text: string): string {
  const joined = text.replace(/(\u00ad-|\u2010)\n\s*/g, '').replace(/(?<=\p{L}-)\n\s*/gu, '');
  return foldSpace(joined.replaceAll('\u00ad', ''));
}

export function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Every sentence of the client's text (a verbatim copy of the seed they sent), and its section headings. */
export async function seedText(): Promise<{ sentences: string[]; headings: string[] }> {
  const seed = await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'foot-massage.txt'), 'utf8');
  const lines = seed.split('\n').map((line) => line.trim()).filter(Boolean);
  const paragraphs = lines.filter((line) => /[.!?]["”]?$/.test(line));
  const headings = lines.filter((line) => !paragraphs.includes(line));
  const sentences = paragraphs.flatMap((paragraph) => paragraph.split(/(?<=[.!?][”"]?)\s+(?=[A-Z“])/));
  return { sentences, headings };
}
