/**
 * A PDF's text with the colour it is printed in, read by MuPDF character by character: the runs
 * of text in one colour, in reading order, each with the boxes of its pieces on each line. A
 * review copy's marks are read this way: the words in the insertion colour, and in the deletion colour.
 */
import { openMupdf } from './mupdf-document.js';

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ColouredRun {
  /** 1-based. */
  page: number;
  /** `#rrggbb`. */
  colour: string;
  /** The run's text, a space where it goes on to the next line. */
  text: string;
  /** One box a line, in points from the page's top left corner. */
  boxes: Box[];
}

const hex = (value: number) => Math.round(value * 255).toString(16).padStart(2, '0');

/** Every run of text in one colour, page by page, in the order MuPDF reads it. */
export async function colouredRuns(file: string): Promise<ColouredRun[]> {
  const document = await openMupdf(file);
  const runs: ColouredRun[] = [];
  for (let index = 0; index < document.countPages(); index++) {
    const page = document.loadPage(index);
    const text = page.toStructuredText('preserve-whitespace');
    let current: ColouredRun | undefined;
    let newLine = false;
    text.walk({
      beginLine() {
        newLine = true;
      },
      onChar(c, _origin, _font, _size, quad, color) {
        const colour = `#${[...color].slice(0, 3).map(hex).join('')}`;
        const xs = [quad[0], quad[2], quad[4], quad[6]];
        const ys = [quad[1], quad[3], quad[5], quad[7]];
        const box = { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
        if (!current || current.colour !== colour) {
          current = { page: index + 1, colour, text: '', boxes: [] };
          runs.push(current);
          newLine = true;
        }
        if (newLine) {
          if (current.text && !current.text.endsWith(' ')) current.text += ' ';
          newLine = false;
          if (!c.trim()) return;
          current.boxes.push({ ...box });
        } else if (c.trim()) {
          // A space is not printed with the text's decoration at the end of a line: the boxes hold what is inked.
          const last = current.boxes.at(-1);
          if (!last) {
            current.boxes.push({ ...box });
            current.text += c;
            return;
          }
          last.left = Math.min(last.left, box.left);
          last.right = Math.max(last.right, box.right);
          last.top = Math.min(last.top, box.top);
          last.bottom = Math.max(last.bottom, box.bottom);
        }
        current.text += c;
      },
    });
    text.destroy();
    page.destroy();
  }
  return runs;
}
