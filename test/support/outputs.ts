/**
 * Readers for the built outputs, through the same tools a person would use:
 * poppler (pdfinfo, pdffonts, pdftotext), qpdf, epubcheck and a zip reader.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { imageSize } from 'image-size';
import { expect } from 'vitest';
import { findBrowser } from '../../scripts/browser-location.js';
import { epubCheck } from '../../scripts/epubcheck.js';
import { PROJECT_ROOT } from '../../scripts/render/template.js';

const run = promisify(execFile);

export async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function pdfInfo(file: string): Promise<Record<string, string>> {
  const text = await tool('pdfinfo', ['-isodates', file]);
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }),
  );
}

export interface PdfFont {
  name: string;
  embedded: boolean;
}

export async function pdfFonts(file: string): Promise<PdfFont[]> {
  const lines = (await tool('pdffonts', [file])).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const columns = line.trim().split(/\s+/);
    // name type... emb sub uni object ID: read from the right, the name has no spaces.
    return { name: columns[0]!, embedded: columns[columns.length - 5] === 'yes' };
  });
}

/**
 * The text of each page, line by line as printed (`-layout`: poppler's default mode
 * joins a hyphenated line end to whatever line it finds next, even the footer).
 */
export async function pdfPages(file: string): Promise<string[]> {
  const text = await tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  return text.split('\f').slice(0, -1);
}

export interface OutlineEntry {
  title: string;
  page: number;
  kids: OutlineEntry[];
}

export async function pdfOutline(file: string): Promise<OutlineEntry[]> {
  const json = JSON.parse(await tool('qpdf', ['--json', '--json-key=outlines', file]));
  const convert = (entry: { title: string; destpageposfrom1: number; kids: unknown[] }): OutlineEntry => ({
    title: entry.title,
    page: entry.destpageposfrom1,
    kids: (entry.kids as (typeof entry)[]).map(convert),
  });
  return json.outlines.map(convert);
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
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: (await findBrowser()).executablePath },
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

/** Fails, with epubcheck's report, unless it finds no fatal error, no error and (unless allowed) no warning. */
export async function expectEpubcheckClean(file: string, { allowWarnings = false } = {}): Promise<void> {
  const result = await epubCheck(file);
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
