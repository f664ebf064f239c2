/**
 * A long book printed in parts, at once, and joined (pdf-postprocess/join-parts.ts).
 *
 * Chromium lays out a document and draws its pages on one core. A book's print page is cut before
 * chapters into documents of about equal length, each with the whole head (styles, fonts, page
 * rules), each printed in a renderer of its own. A book's chapters start a new page (styles/print.css,
 * `.book`), so the parts hold the very pages the whole would. What depends on the whole is made
 * for the whole:
 * - the margin boxes (running heads, "page / pages"): left empty in the parts, and printed once for
 *   the book on a sheet of as many blank pages as the parts printed;
 * - links to a place in another part: made links to an address the join knows (PART_LINK), and the
 *   part they point into given a hidden link to the same place, so that Chromium names it there
 *   (it names only the places a link in the document points to).
 */
import os from 'node:os';
import { ChromiumPdf } from '../pdf-postprocess/chromium-pdf.js';
import { joinParts, PART_LINK } from '../pdf-postprocess/join-parts.js';
import { withStyle } from '../render/page-rule.js';
import { readCharacterReferences } from '../base/html-text.js';

/**
 * The shortest print page (HTML characters) printed in parts unless asked, on a machine of 2 or 3 cores: about
 * 350 A4 pages (a book's page is 1,700 characters or so). On two cores, in turns with the same book printed
 * whole (docs/performance.md), a book of 151 pages took 4% longer in two parts, one of 276 pages as long, one of
 * 431 pages 7% less and one of 1,251 pages 16% less: the margin sheet, the join and a second renderer cost about
 * as much as two cores save on 276 pages.
 */
const PARTS_FROM_LENGTH = 600_000;
/** The same from 4 cores, where each part is a quarter of the book or less: about 235 A4 pages (not measured here). */
const PARTS_FROM_LENGTH_ON_MANY_CORES = 400_000;
const MANY_CORES = 4;
/** The shortest part worth a renderer of its own. */
const PART_LENGTH = 150_000;

/** Where each chapter of a book's print page starts: a part starts at one of them. */
const CHAPTER_START = /<section class="chapter" data-chapter="\d+"/g;
const MARGIN_BOXES = [
  'top-left-corner',
  'top-left',
  'top-center',
  'top-right',
  'top-right-corner',
  'left-top',
  'left-middle',
  'left-bottom',
  'right-top',
  'right-middle',
  'right-bottom',
  'bottom-left-corner',
  'bottom-left',
  'bottom-center',
  'bottom-right',
  'bottom-right-corner',
];
/** The parts leave the margin boxes empty: the margin sheet draws them. */
const NO_MARGIN_BOXES = `@page { ${MARGIN_BOXES.map((box) => `@${box} { content: none !important; }`).join(' ')} }\n`;

/**
 * How many parts a print page is printed in: one, unless it is a book's (its chapters start new pages), the
 * machine has more than one core, and the book is long enough to gain on them; then one a core, each at
 * least PART_LENGTH long.
 * `asked`, when given, is the count asked for (at most one a chapter).
 */
export function partCount(html: string, asked?: number): number {
  if (!/<html[^>]*\sclass="[^"]*\bbook\b/.test(html.slice(0, 1024))) return 1;
  const chapters = html.match(CHAPTER_START)?.length ?? 0;
  if (asked !== undefined) return Math.max(1, Math.min(asked, chapters));
  const cores = os.availableParallelism();
  if (cores < 2 || html.length < (cores >= MANY_CORES ? PARTS_FROM_LENGTH_ON_MANY_CORES : PARTS_FROM_LENGTH)) return 1;
  return Math.max(1, Math.min(cores, chapters, Math.floor(html.length / PART_LENGTH)));
}

/**
 * The print page cut before chapters into `count` documents of about equal length, each with the whole
 * head; the first keeps the masthead, the last the closing matter. Their margin boxes are left empty.
 */
export function cutIntoParts(html: string, count: number): string[] {
  const bodyAt = html.indexOf('<body');
  const mainAt = html.indexOf('<main>', bodyAt);
  const mainEnd = html.lastIndexOf('</main>');
  const head = html.slice(0, bodyAt);
  const body = html.slice(bodyAt, html.indexOf('>', bodyAt) + 1);
  const chapters = [...html.matchAll(CHAPTER_START)].map((match) => match.index).filter((at) => at > mainAt && at < mainEnd);
  // A chapter longer than a part's share ends up in one part: the cuts are at distinct chapters.
  const cuts = [...new Set(Array.from({ length: count - 1 }, (_, index) => chapters.find((at) => at >= (html.length * (index + 1)) / count) ?? chapters.at(-1)!))];
  const bounds = [0, ...cuts, html.length];
  const texts = bounds.slice(0, -1).map((start, index) => {
    const last = index === bounds.length - 2;
    return `${index > 0 ? `${head}${body}\n<main>\n` : ''}${html.slice(start, bounds[index + 1])}${last ? '' : '\n</main>\n</body>\n</html>\n'}`;
  });
  return linkedAcrossParts(texts).map((part) => withStyle(part, NO_MARGIN_BOXES));
}

/**
 * Each link to a place in another part made a link to PART_LINK#place; each place so linked to given, in its
 * own part, a hidden link to it, so that Chromium names it as a destination there.
 */
function linkedAcrossParts(parts: string[]): string[] {
  const idsOf = parts.map((part) => new Set([...part.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!)));
  const linkedFromElsewhere = parts.map(() => new Set<string>());
  const linked = parts.map((part, index) =>
    part.replace(/(<a\b[^>]*\shref=")#([^"]+)"/g, (whole, start: string, id: string) => {
      const target = readCharacterReferences(id);
      if (idsOf[index]!.has(id)) return whole;
      const owner = idsOf.findIndex((ids) => ids.has(id));
      if (owner === -1) return whole;
      linkedFromElsewhere[owner]!.add(id);
      return `${start}${PART_LINK}#${encodeURIComponent(target)}"`;
    }),
  );
  return linked.map((part, index) => {
    const ids = [...linkedFromElsewhere[index]!];
    if (!ids.length) return part;
    const anchors = ids.map((id) => `<a href="#${id}" hidden></a>`).join('');
    const end = part.lastIndexOf('</main>');
    return `${part.slice(0, end)}${anchors}\n${part.slice(end)}`;
  });
}

/** The book's margin sheet, before its pages are counted: the book's head (its styles, fonts and page rules), and no body yet. */
export function marginSheet(html: string): string {
  return `${html.slice(0, html.indexOf('<body'))}<body>\n</body>\n</html>\n`;
}

/** The margin sheet's body: `pages` blank pages. */
export function marginSheetBody(pages: number): string {
  const blank = '<div style="height:1px;break-after:page"></div>';
  return `${blank.repeat(Math.max(0, pages - 1))}<div style="height:1px"></div>`;
}

export interface PartPrinter {
  /** Print one part, in a renderer of its own. */
  part(html: string): Promise<Uint8Array>;
  /**
   * Print the margin sheet `html` with `body` in it, once that is known; its page shows `html` and loads its
   * fonts meanwhile. `sent` once Chromium is asked to print.
   */
  sheet(html: string, body: Promise<string>, sent: () => void): Promise<Uint8Array>;
}

/**
 * The book printed in `count` parts at once and joined: one PDF, as Chromium prints a whole. The margin
 * sheet needs the parts' pages counted: its page is shown, its fonts loaded, while they print, and given its
 * blank pages once they are counted. Node joins the parts while Chromium prints the sheet. The join waits
 * until Chromium has been asked to print it: it holds Node's thread, and with it the answers to the sheet
 * page's requests (docs/performance.md).
 */
export async function printInParts(html: string, count: number, headingRanks: readonly number[], printer: PartPrinter): Promise<Uint8Array> {
  // Each part read as soon as it is printed, while the others may still print.
  const printed = Promise.all(cutIntoParts(html, count).map((part) => printer.part(part).then((bytes) => ChromiumPdf.read(bytes))));
  let sent = () => {};
  const sheetSent = new Promise<void>((resolve) => (sent = resolve));
  const printing = printer.sheet(
    marginSheet(html),
    printed.then((parts) => marginSheetBody(parts.reduce((sum, part) => sum + part.pageRefs().length, 0))),
    sent,
  );
  const [joined, sheet] = await Promise.all([Promise.all([printed, sheetSent]).then(([parts]) => joinParts({ parts, headingRanks })), printing]);
  return joined.withMarginBoxes(sheet);
}
