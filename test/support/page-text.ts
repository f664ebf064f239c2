/**
 * A PDF's text as printed, line by line, read by MuPDF. MuPDF honours the /ActualText that
 * Chromium wraps around a glyph whose characters its text map cannot give (a soft hyphen, a
 * curly apostrophe sharing a glyph with U+02BC, a hyphenated ligature): pdf.js 4 reads the
 * glyph's own character instead, so it loses the soft hyphens and turns ’ into ʼ.
 */
import { openMupdf } from './mupdf-document.js';

/** A run of text on one baseline and its box, in points from the page's top left corner. */
export interface TextLine {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** MuPDF's structured text, as its JSON gives it: coordinates ×100, blocks nested where the PDF has structure. */
interface StextBlock {
  bbox: { x: number; y: number; w: number; h: number };
  lines?: { bbox: { x: number; y: number; w: number; h: number }; text: string }[];
  blocks?: StextBlock[];
}

const JSON_SCALE = 100;

/** Each page's lines as MuPDF finds them: a line ends where the baseline or the block changes. */
export async function textLinesByPage(file: string): Promise<TextLine[][]> {
  const document = await openMupdf(file);
  const pages: TextLine[][] = [];
  for (let index = 0; index < document.countPages(); index++) {
    const page = document.loadPage(index);
    const text = page.toStructuredText('preserve-whitespace');
    const { blocks } = JSON.parse(text.asJSON(JSON_SCALE)) as { blocks: StextBlock[] };
    text.destroy();
    page.destroy();
    const lines: TextLine[] = [];
    const collect = (block: StextBlock) => {
      for (const line of block.lines ?? []) {
        if (!line.text.trim()) continue;
        const { x, y, w, h } = line.bbox;
        lines.push({ text: line.text, left: x / JSON_SCALE, right: (x + w) / JSON_SCALE, top: y / JSON_SCALE, bottom: (y + h) / JSON_SCALE });
      }
      block.blocks?.forEach(collect);
    };
    blocks.forEach(collect);
    pages.push(lines);
  }
  return pages;
}

/**
 * A page's lines as a row of print: the runs that share a line of type (a running header's title
 * and publisher, a table's cells, a raised note mark) joined left to right, rows top to bottom.
 */
export function printedRows(lines: TextLine[]): TextLine[] {
  const rows: TextLine[][] = [];
  for (const line of [...lines].sort((a, b) => a.top - b.top || a.left - b.left)) {
    const row = rows.find((candidate) => overlapsVertically(candidate, line));
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows
    .map((runs) => {
      runs.sort((a, b) => a.left - b.left);
      let text = runs[0]!.text;
      for (let index = 1; index < runs.length; index++) {
        const gap = runs[index]!.left - runs[index - 1]!.right;
        const height = runs[index]!.bottom - runs[index]!.top;
        // A gap of a tenth of the type's height is a word space; wider gaps keep roughly their width in spaces.
        const spaces = gap > height * 0.1 ? Math.max(1, Math.round(gap / (height * 0.4))) : 0;
        text = text.trimEnd() + ' '.repeat(spaces) + runs[index]!.text;
      }
      return {
        text: text.trimEnd(),
        left: Math.min(...runs.map((run) => run.left)),
        right: Math.max(...runs.map((run) => run.right)),
        top: Math.min(...runs.map((run) => run.top)),
        bottom: Math.max(...runs.map((run) => run.bottom)),
      };
    })
    .sort((a, b) => a.top - b.top);
}

/** Two runs are on one row when at least half the shorter one's height lies within the other's. */
function overlapsVertically(row: TextLine[], line: TextLine): boolean {
  return row.some((run) => {
    const overlap = Math.min(run.bottom, line.bottom) - Math.max(run.top, line.top);
    return overlap >= 0.5 * Math.min(run.bottom - run.top, line.bottom - line.top);
  });
}

/**
 * A page's text as its layout prints it: one line per row, and a blank line for each row's height
 * of space between two rows, so paragraphs stay apart.
 */
/**
 * Space between two rows, as a share of a row's height, that sets them apart as paragraphs: lines
 * of one paragraph lie 0.05 apart in MuPDF's boxes (which span the font's ascender and descender),
 * a heading and its text 0.25, two paragraphs 0.5 (article, A4).
 */
const PARAGRAPH_SPACE = 1 / 3;

export function layoutText(rows: TextLine[]): string {
  let text = '';
  rows.forEach((row, index) => {
    if (index > 0) {
      const previous = rows[index - 1]!;
      const space = (row.top - previous.bottom) / (previous.bottom - previous.top);
      if (space > PARAGRAPH_SPACE) text += '\n'.repeat(Math.max(1, Math.round(space)));
    }
    text += `${row.text}\n`;
  });
  return text;
}
