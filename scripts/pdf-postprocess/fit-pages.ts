/**
 * A leaflet written to fill a number of pages (front matter `pages: 2`: one sheet printed on both sides)
 * is fitted to them the way a typesetter fits copy: by taking space, never type. The print is read, and
 * when it runs over, the page is printed again with styles/fit.css at a tightness `--fit` between 0 (as
 * set) and 1 (the tightest allowed: leading 1.35, half the space between blocks, the margins of the
 * edition's `tightestMargins`), the loosest that fits found by halving. The body text keeps its size
 * (12 pt, 18 pt in large print) and nothing is left out.
 *
 * When even the tightest print runs over, the leaflet is printed as set, and the caller is told by how
 * many lines of text, on which page: the writer then knows how much to cut.
 *
 * Without a number of pages, a last page of a leaflet (LEAFLET_PAGES) that would hold only the closing
 * matter (the contact panel, the notes and the imprint: the back page a patient turns to) is pulled back
 * onto the page before when fitting can do it; else it stays where it is.
 */
import { PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import type { VFileMessage } from 'vfile-message';
import { bodyTypeSize, type Edition } from '../base/editions.js';
import { fileProblem } from '../base/problems.js';
import { findKey, type Manuscript } from '../manuscript/load.js';
import { pageRule, withStyle } from '../render/page-rule.js';
import { blockPagesOf } from './block-pages.js';
import { ChromiumPdf, streamText } from './chromium-pdf.js';
import { printedLines } from './hyphenation-rules.js';

/**
 * The most pages a print can take and still have its closing matter pulled back: a long leaflet's in large
 * print. Pulling back tightens the whole text to save its last page, which a handout's back page is worth
 * and a book's is not: a book's closing matter on a page of its own is as a book should be. And each try
 * prints the whole text again, up to four prints of a book (docs/performance.md).
 */
export const LEAFLET_PAGES = 16;

/** Prints after the first two (as set, and the tightest): each halves what is left between them. */
const HALVINGS = 2;

export interface FitRequest {
  edition: Edition;
  /** The pages the front matter asks for (a tri-fold's two). */
  pages?: number;
  /** Without `pages`: pull the closing matter back when it is alone on the last page (not a booklet's, whose back cover it is). */
  pullBack: boolean;
  /** styles/fit.css. */
  fitCss: string;
  /** The numbered blocks of the text (render/page-blocks.ts), to tell the closing matter's page from the text's. */
  blockCount: number;
  /** Millimetres of bleed the page is printed with (a press file). */
  bleed?: number;
}

export interface Fitted {
  bytes: Uint8Array;
  /** The print as read to count its pages: the caller finishes it without reading it again. */
  pdf: ChromiumPdf;
  pages: number;
  /** How tight the print is: 0 as set, 1 the tightest allowed. */
  fit: number;
  /** Asked for a number of pages that even the tightest print runs over: by how much. */
  over?: Overrun;
}

export interface Overrun {
  /** The pages asked for. */
  target: number;
  /** The pages the tightest print takes. */
  pages: number;
  /** Lines of text the tightest print sets after the last page asked for. */
  lines: number;
}

/** `html` printed by `print` on as few pages as `request` asks, fitted when it runs over. */
export async function printFitted(html: string, print: (html: string) => Promise<Uint8Array>, request: FitRequest): Promise<Fitted> {
  const asSet = readPrint(await print(html), 0);
  const { pages } = asSet;
  const target = request.pages ?? (request.pullBack && pages > 1 && pages <= LEAFLET_PAGES && closingMatterAlone(asSet.pdf, request.blockCount) ? pages - 1 : undefined);
  if (target === undefined || pages <= target) return asSet;
  const at = async (fit: number) => readPrint(await print(withStyle(html, fitStyle(request, fit))), fit);
  const tightest = await at(1);
  if (tightest.pages > target) {
    if (request.pages === undefined) return asSet;
    // Fitted then to the fewest pages it can take, and the writer told by how much it runs over.
    const over = { target, pages: tightest.pages, lines: await linesOver(tightest.bytes, target, request.edition, () => print(withStyle(html, fitStyle(request, 1, RUN_ON)))) };
    return { ...(pages <= tightest.pages ? asSet : await loosestOn(tightest.pages, tightest, at)), over };
  }
  return loosestOn(target, tightest, at);
}

type Print = Omit<Fitted, 'over'>;

/** The loosest print on `target` pages, between the print as set (which runs over) and `tight` (which fits), by halving. */
async function loosestOn(target: number, tight: Print, at: (fit: number) => Promise<Print>): Promise<Print> {
  let best = tight;
  let loose = 0;
  for (let halving = 0; halving < HALVINGS; halving++) {
    const tried = await at((loose + best.fit) / 2);
    if (tried.pages <= target) best = tried;
    else loose = tried.fit;
  }
  return best;
}

/**
 * How much a print sets after page `target`, in lines of body text at the tightest leading: the height
 * from the first to the last line of text of each page after it (the closing matter's ruled notes lines and
 * boxes included, which hold little text), lines counted in CSS pixels as Chromium places them.
 */
async function linesOver(bytes: Uint8Array, target: number, edition: Edition, printRunOn: () => Promise<Uint8Array>): Promise<number> {
  if (edition.fold?.kind === 'trifold') return trifoldLinesOver(await printRunOn());
  const step = bodyTypeSize(edition) * (96 / 72) * 1.35;
  const byPage = new Map<number, number[]>();
  for (const { page, y } of printedLines(bytes)) if (page > target) byPage.set(page, [...(byPage.get(page) ?? []), y]);
  const height = [...byPage.values()].reduce((sum, ys) => sum + Math.max(...ys) - Math.min(...ys) + step, 0);
  return Math.ceil(height / step);
}

/**
 * A tri-fold's text runs off the paper, in columns Chromium cannot show: for the measure, it is printed once
 * more letting the inside run on to further pages (`RUN_ON`), and their lines are counted (columns side by
 * side seldom share a baseline, and those that do count once: a few lines short at most).
 */
function trifoldLinesOver(runOn: Uint8Array): number {
  return printedLines(runOn).filter((line) => line.page > 2).length;
}

/** A tri-fold's inside let run on to further pages (styles/editions/trifold.css fixes it to the sheet's second side). */
const RUN_ON = 'body { grid-template-rows: var(--height) auto; }';

/** The sheet a print at tightness `fit` adds last: styles/fit.css, the tightness, and the margins between the edition's own and its tightest. */
function fitStyle({ edition, fitCss, bleed }: FitRequest, fit: number, more = ''): string {
  const between = (key: keyof Edition['margins']) => edition.margins[key] - (edition.margins[key] - edition.tightestMargins[key]) * fit;
  const margins = { top: between('top'), right: between('right'), bottom: between('bottom'), left: between('left') };
  return `${fitCss}\n:root { --fit: ${Number(fit.toFixed(4))}; }\n${pageRule(edition, { margins, bleed })}${more}`;
}

/**
 * A print at tightness `fit`, read once, and the pages it takes: one more than it has when Chromium shrank it
 * to fit (a tri-fold's text ran off the paper).
 */
function readPrint(bytes: Uint8Array, fit: number): Print {
  const pdf = ChromiumPdf.read(bytes);
  return { bytes, pdf, pages: pageCountOf(pdf) + (shrunkToFit(pdf) ? 1 : 0), fit };
}

/**
 * Whether Chromium shrank the print to fit its page, as it does when the laid-out page is wider than the
 * paper: the first page's content then starts with a smaller scale from CSS pixels to points than
 * 72/96 (Skia writes it as two `cm` operators, 72/300 and 300/96).
 */
function shrunkToFit(pdf: ChromiumPdf): boolean {
  const [first] = pdf.pageRefs();
  const stream = first && pdf.ownContent(pdf.lookupDict(first)!);
  const content = stream instanceof PDFRawStream ? (streamText(stream) ?? '') : '';
  const scales = [...content.slice(0, 2000).matchAll(/(-?[\d.]+) 0 0 (-?[\d.]+) [-\d.]+ [-\d.]+ cm/g)].slice(0, 2).map((match) => Math.abs(Number(match[1])));
  return scales.length === 2 && scales[0]! * scales[1]! < (72 / 96) * 0.99;
}

function pageCountOf(pdf: ChromiumPdf): number {
  const pages = pdf.lookupDict(pdf.lookupDict(pdf.trailer.get(PDFName.of('Root')))?.get(PDFName.of('Pages')));
  return (pages?.get(PDFName.of('Count')) as PDFNumber | undefined)?.asNumber() ?? 0;
}

/** Whether the last page holds the closing matter (the print page's `<footer>`) and nothing of the text. */
function closingMatterAlone(pdf: ChromiumPdf, blockCount: number): boolean {
  const catalog = pdf.lookupDict(pdf.trailer.get(PDFName.of('Root')))!;
  const pages = pdf.pageRefs();
  const { blockPages, imprintPage } = blockPagesOf(pdf, catalog, pages, blockCount);
  return blockPages !== undefined && imprintPage === pages.length && Math.max(0, ...blockPages) < pages.length;
}

/**
 * What the writer is told of an overrun, at the front matter's `pages` (its first line without one): a
 * warning (`--strict` makes it an error); for a tri-fold, whose text must fit its panels, an error.
 * Recorded on the manuscript's first file.
 */
export function overrunMessage(manuscript: Manuscript, edition: Edition, { target, pages, lines }: Overrun): VFileMessage {
  const { file } = manuscript.files[0]!;
  const text = String(file.value);
  const place = findKey(text, /^pages\s*:/m.test(text) ? 'pages' : 'editions', 1);
  const body = `${bodyTypeSize(edition)} pt`;
  const tightest = `even with the space taken in as far as it goes (body ${body}, leading 1.35)`;
  const linesOver = `about ${lines} line${lines === 1 ? '' : 's'} of body text`;
  if (edition.fold?.kind === 'trifold') {
    return fileProblem(file, `the text does not fit the ${edition.label}: the inside's third panel overflows by ${linesOver}, ${tightest}`, {
      place,
      ruleId: 'trifold-overflow',
      fatal: true,
      hint: `Shorten the text by about ${lines} lines (a tri-fold holds about 550 words at 12 pt), or print it as an A4 leaflet or an A5 booklet.`,
    });
  }
  const plural = (count: number) => `${count} page${count === 1 ? '' : 's'}`;
  return fileProblem(file, `\`pages: ${target}\`: the ${edition.label} edition takes ${plural(pages)} ${tightest}: page ${target} overflows by ${linesOver}`, {
    place,
    ruleId: 'pages-overflow',
    hint: `Shorten the text by about ${lines} lines, or ask for ${plural(pages)}.`,
  });
}
