/**
 * A PDF's text as a reader's tools see it, through pdf.js (npm only): the runs of
 * text with their size and place, the lines they make, and the text a viewer's
 * search looks through.
 */
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

/** Text on a page: the left and right of its box and its baseline (points from the top), its size. */
export interface PlacedText {
  page: number;
  text: string;
  left: number;
  right: number;
  baseline: number;
  /** For a line, the size most of its characters are set in. */
  size: number;
}

/** A run of text, as pdf.js reads it. */
export interface TextRun extends PlacedText {
  /** pdf.js ends a line after this run. */
  endsLine: boolean;
}

/** One printed line: the runs on one baseline of a page, left to right. */
export type TextLine = PlacedText;

/** Every run of text of every page, in the order pdf.js reads them. */
export async function textRuns(file: string): Promise<TextRun[]> {
  const document = await getDocument({ data: new Uint8Array(await readFile(file)), disableFontFace: true, useSystemFonts: false }).promise;
  try {
    const runs: TextRun[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const height = page.view[3]!;
      for (const item of (await page.getTextContent()).items as TextItem[]) {
        if (typeof item.str !== 'string') continue;
        const [, , c, d, x, y] = item.transform as number[];
        runs.push({
          page: number,
          text: item.str,
          left: x!,
          right: x! + item.width,
          baseline: height - y!,
          size: Math.round(Math.hypot(c!, d!) * 10) / 10,
          endsLine: item.hasEOL,
        });
      }
    }
    return runs;
  } finally {
    await document.destroy();
  }
}

/** The printed lines of every page, top to bottom: runs within half a point of one baseline make a line. */
export function textLines(runs: TextRun[]): TextLine[] {
  const lines: (TextLine & { weights: Map<number, number> })[] = [];
  for (const run of runs) {
    if (!run.text) continue;
    let line = lines.find((candidate) => candidate.page === run.page && Math.abs(candidate.baseline - run.baseline) < 0.5);
    if (!line) lines.push((line = { page: run.page, text: '', left: run.left, right: run.right, baseline: run.baseline, size: run.size, weights: new Map() }));
    line.text += run.text;
    if (run.text.trim()) {
      line.left = Math.min(line.left, run.left);
      line.right = Math.max(line.right, run.right);
      line.weights.set(run.size, (line.weights.get(run.size) ?? 0) + run.text.length);
    }
  }
  return lines
    .filter((line) => line.weights.size)
    .map(({ weights, ...line }) => ({ ...line, text: line.text.trim(), size: [...weights].sort((a, b) => b[1] - a[1])[0]![0] }))
    .sort((a, b) => a.page - b.page || a.baseline - b.baseline);
}

/** The size most of the document's characters are set in. */
export function bodyTextSize(runs: TextRun[]): number {
  const weights = new Map<number, number>();
  for (const run of runs) if (run.text.trim()) weights.set(run.size, (weights.get(run.size) ?? 0) + run.text.length);
  return [...weights].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * The body's text lines: set in the body size and starting at the text block's left edge
 * (not the masthead, headings, imprint, running heads, list items or table cells).
 */
export function bodyLines(runs: TextRun[]): TextLine[] {
  const size = bodyTextSize(runs);
  const lines = textLines(runs).filter((line) => line.size === size);
  const left = Math.min(...lines.map((line) => line.left));
  return lines.filter((line) => Math.abs(line.left - left) < 1);
}

/** Share of the body lines that end within 1.5 pt of the text block's right edge: justified lines. */
export function flushRightShare(lines: TextLine[]): number {
  const right = Math.max(...lines.map((line) => line.right));
  return lines.filter((line) => right - line.right < 1.5).length / lines.length;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The text a PDF viewer's search looks through: runs joined, a line end as a new line, a hyphen
 * at a line end between letters taken out with the line end, as pdf.js's find bar and pdftotext
 * join a word broken over two lines (`joinCompounds`: the line end only, as a compound such as
 * "feel-good", broken after its own hyphen, is found), white space folded.
 */
export function searchableText(runs: TextRun[], { joinCompounds = false } = {}): string {
  const text = runs.map((run) => run.text + (run.endsLine ? '\n' : '')).join('');
  return text.replace(/(?<=\p{L})-\n(?=\p{L})/gu, joinCompounds ? '-' : '').replace(/\s+/g, ' ');
}
