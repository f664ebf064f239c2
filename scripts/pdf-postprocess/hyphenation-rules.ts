/**
 * The rules of good hyphenation that CSS cannot state, kept by printing again.
 *
 * Justified text (front matter `align: justify`) breaks words at the soft hyphens
 * rehype-hyphenate put in, wherever Chromium's line breaker likes. A careful compositor
 * never lets it break
 * - a word across a page turn ("insom-" at the foot of page 2, "nia" on page 3);
 * - a third line in a row (a ladder of hyphens down the right edge);
 * - a word whose end then stands alone as the paragraph's last line (a runt: "ease.").
 * Chromium has `hyphenate-limit-chars`, but no `hyphenate-limit-lines` or
 * `hyphenate-limit-last`, and the print page runs no script. So the printed PDF is read:
 * each break against a rule names its word, the word loses its soft hyphens (it is set
 * whole, everywhere), and the page is printed again, until no break is against a rule
 * (at most MAX_PASSES prints). An article needs one or two more.
 */
import { PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { ChromiumPdf, streamText } from './chromium-pdf.js';
import { leadingUntaggedBlocks } from './artifacts.js';
import { toUnicodeMap, utf16Text } from './text-layer.js';
import escapeStringRegexp from 'escape-string-regexp';

/** Prints in all: the first, and up to this many again. */
export const MAX_PASSES = 4;
/** No more hyphenated lines than this in a row. */
export const MAX_HYPHENATED_LINES = 2;

const SOFT_HYPHEN = '\u00ad';

/**
 * Print `html` (with soft hyphens) by `print`, again and again with the words broken
 * against the rules set whole, until none is.
 */
export async function printKeepingHyphenationRules(html: string, print: (html: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  let printed = await print(html);
  const whole = new Set<string>();
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const words = brokenAgainstRules(printed).filter((word) => !whole.has(word));
    if (!words.length) break;
    for (const word of words) whole.add(word);
    html = withoutBreaks(html, whole);
    printed = await print(html);
  }
  return printed;
}

/** A line of text as printed: the page it is on, where, and its text (soft hyphens as written). */
export interface PrintedLine {
  page: number;
  y: number;
  text: string;
  /** Ends with a word broken at a soft hyphen (and the printed hyphen after it). */
  broken: boolean;
}

/** The words, in lower case, that a break in `pdf` splits against the rules above. */
export function brokenAgainstRules(pdf: Uint8Array): string[] {
  const lines = printedLines(pdf);
  const words = new Set<string>();
  lines.forEach((line, index) => {
    if (!line.broken) return;
    const next = lines[index + 1];
    const word = brokenWord(line, next);
    if (!word) return;
    const lastOnPage = !next || next.page !== line.page;
    const ladder = lines.slice(Math.max(0, index - MAX_HYPHENATED_LINES), index);
    const tooMany = ladder.length === MAX_HYPHENATED_LINES && ladder.every((earlier) => earlier.broken && earlier.page === line.page);
    if (lastOnPage || tooMany || (next && isRunt(next, lines[index + 2], next.y - line.y))) words.add(word);
  });
  return [...words];
}

/** The broken word, whole and in lower case: the end of `line` and the start of `next`. */
function brokenWord(line: PrintedLine, next: PrintedLine | undefined): string | undefined {
  const head = /[\p{L}\u00ad]+$/u.exec(line.text.replace(/-$/, ''))?.[0];
  const tail = next && /^[\p{L}\u00ad]+/u.exec(next.text.trim())?.[0];
  return head && tail ? (head + tail).replaceAll(SOFT_HYPHEN, '').toLowerCase() : undefined;
}

/**
 * A paragraph's last line holding one short word: no space in it, and nothing after it at the
 * line spacing (the next line is on another page, or further down than a line's step).
 */
function isRunt(line: PrintedLine, after: PrintedLine | undefined, step: number): boolean {
  const lastOfParagraph = !after || after.page !== line.page || after.y - line.y > step * 1.2;
  return lastOfParagraph && !/\s/.test(line.text.trim());
}

/** `html` with the soft hyphens taken out of every occurrence of `words` (lower case). */
export function withoutBreaks(html: string, words: ReadonlySet<string>): string {
  if (!words.size) return html;
  const hyphen = `(?:${SOFT_HYPHEN}|&shy;|&#xad;|&#173;)?`;
  const alternatives = [...words].map((word) => [...word].map((letter) => escapeStringRegexp(letter)).join(hyphen));
  const pattern = new RegExp(`(?<!\\p{L})(?:${alternatives.join('|')})(?!\\p{L})`, 'giu');
  return html.replace(pattern, (match) => match.replace(/\u00ad|&shy;|&#xad;|&#173;/gi, ''));
}

/**
 * The text lines of each page in the order Skia paints them (which is the reading order of a
 * column of text), without the margin boxes: each BT … ET text object at its baseline, those on
 * one baseline joined, ActualText read in place of the glyphs it stands for.
 */
export function printedLines(bytes: Uint8Array): PrintedLine[] {
  const pdf = ChromiumPdf.read(bytes);
  const catalog = pdf.lookupDict(pdf.trailer.get(PDFName.of('Root')))!;
  const lines: PrintedLine[] = [];
  const maps = new Map<number, Map<number, string>>();
  const glyphMap = (ref: PDFRef) => {
    let map = maps.get(ref.objectNumber);
    if (!map) {
      const stream = pdf.lookup(pdf.lookupDict(ref)?.get(PDFName.of('ToUnicode')));
      map = toUnicodeMap(stream instanceof PDFRawStream ? (streamText(stream) ?? '') : '');
      maps.set(ref.objectNumber, map);
    }
    return map;
  };
  pdf.pageRefs(pdf.lookupDict(catalog.get(PDFName.of('Pages')))).forEach((ref, pageIndex) => {
    const page = pdf.lookupDict(ref)!;
    const stream = pdf.ownContent(page);
    if (!(stream instanceof PDFRawStream)) return;
    const fonts = pdf.lookupDict(pdf.lookupDict(page.get(PDFName.of('Resources')))?.get(PDFName.of('Font')));
    const text = streamText(stream) ?? '';
    const content = text.slice(leadingUntaggedBlocks(text, true)?.end ?? 0);
    const onPage: PrintedLine[] = [];
    for (const [, body] of content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
      let map = new Map<number, string>();
      let y: number | undefined;
      let said: string | undefined;
      let value = '';
      for (const [operator, fontName, position, spanText, glyph] of body!.matchAll(
        /\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s+Tm|\/ActualText\s*<([0-9A-Fa-f]*)>|<([0-9A-Fa-f]{4})>\s*Tj|EMC/g,
      )) {
        if (fontName !== undefined) {
          const ref = fonts?.get(PDFName.of(fontName));
          map = ref instanceof PDFRef ? glyphMap(ref) : new Map();
        } else if (position !== undefined) y ??= Number(position);
        else if (spanText !== undefined) value += said = utf16Text(spanText);
        else if (glyph !== undefined) {
          if (said === undefined) value += map.get(parseInt(glyph, 16)) ?? '';
        } else if (operator === 'EMC') said = undefined;
      }
      if (y === undefined || !value) continue;
      const line = onPage.find((candidate) => Math.abs(candidate.y - y!) < 0.5);
      if (line) line.text += value;
      else onPage.push({ page: pageIndex + 1, y, text: value, broken: false });
    }
    for (const line of onPage) line.broken = /\u00ad-$/.test(line.text);
    lines.push(...onPage.sort((a, b) => a.y - b.y));
  });
  return lines;
}
