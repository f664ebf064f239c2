/**
 * The print editions a handout can be built in. Each is a page (its paper size and margins, here,
 * because the fitting, the imposition and the press file measure them too), the shared print
 * stylesheet, and the edition's own sheets from styles/editions/: large print's bigger type, a
 * booklet's cover and back page, a tri-fold's panels.
 */

/** Millimetres. */
export interface Size {
  width: number;
  height: number;
}

/** Millimetres from each edge of the page to the text block. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Edition {
  label: string;
  /** The page as the reader holds it, trimmed: a booklet's page, a tri-fold's whole sheet. */
  page: Size;
  margins: Margins;
  /**
   * How far a leaflet fitted to a number of pages (front matter `pages`) may take the margins in: top and
   * bottom down to what the running head and foot need, the sides no further than a measure of about 75
   * characters, the longest that plain-language guidance allows.
   */
  tightestMargins: Margins;
  stylesheets: readonly string[];
  hyphenate: boolean;
  /** Body text at 18 pt rather than 12 pt: what fitting to pages may never go under. */
  largePrint: boolean;
  /** Folded: an A5 (half-letter) booklet imposed on sheets of twice its size, or a tri-fold leaflet. */
  fold?: Fold;
  /** Printed for the press only: the press file (PDF/X-4 with bleed and marks), no reading copy. */
  pressOnly?: boolean;
}

export type Fold =
  | {
      kind: 'booklet';
      /** The sheet two pages are printed side by side on, each side: A4 or Letter, landscape. */
      sheet: Size;
      sheetName: string;
    }
  | {
      kind: 'trifold';
      /** The widths of the outside's panels, left to right (inside flap, back, front); the inside's are the reverse. */
      panels: readonly [number, number, number];
    };

const A4: Size = { width: 210, height: 297 };
const LETTER: Size = { width: 215.9, height: 279.4 };
const A5: Size = { width: 148, height: 210 };
const HALF_LETTER: Size = { width: 139.7, height: 215.9 };
const landscape = ({ width, height }: Size): Size => ({ width: height, height: width });
const margins = (top: number, right: number, bottom = top, left = right): Margins => ({ top, right, bottom, left });

/** A4 sets a 134 mm measure, 60–70 characters of 12 pt text; a fitted one may widen to 146 mm. */
const A4_STANDARD = { page: A4, margins: margins(20, 38, 22), tightestMargins: margins(14, 32, 16), stylesheets: [], hyphenate: true, largePrint: false };
/**
 * US Letter is shorter and wider than A4, so the top and bottom margins give back some of the lost
 * height; the side margins keep A4's 134 mm measure (215.9 mm − 2 × 40.95 mm).
 */
const LETTER_STANDARD = { page: LETTER, margins: margins(15.24, 40.95, 17.78), tightestMargins: margins(12, 35, 14), stylesheets: [], hyphenate: true, largePrint: false };
/** Large print: narrower margins, so that the longer text still fills few pages. */
const LARGE_PRINT = { margins: margins(20, 20, 24), tightestMargins: margins(14, 20, 17), stylesheets: ['large-print.css'], hyphenate: false, largePrint: true };
/**
 * A booklet's page: a 118 mm (109.7 mm) measure, 55–60 characters of 12 pt text, and margins wide enough
 * for an office printer, which cannot print the last 4–5 mm of a sheet.
 */
const BOOKLET = { margins: margins(15, 15, 17), tightestMargins: margins(11, 12, 13), stylesheets: ['booklet.css'], hyphenate: true, largePrint: false };
/**
 * A tri-fold: the sheet is laid out in panels by styles/editions/trifold.css, which sets their own
 * margins (an office printer's 5 mm and more at the edges, 9–11 mm either side of a fold). The inside flap
 * folds in under the others, so it is 3 mm narrower: it then folds without buckling.
 */
const TRIFOLD = { margins: margins(0, 0), tightestMargins: margins(0, 0), stylesheets: ['trifold.css'], hyphenate: true, largePrint: false };

const EDITION_TABLE = {
  a4: { label: 'A4', ...A4_STANDARD },
  letter: { label: 'US Letter', ...LETTER_STANDARD },
  'large-print': { label: 'Large print (A4)', page: A4, ...LARGE_PRINT },
  'large-print-letter': { label: 'Large print (US Letter)', page: LETTER, ...LARGE_PRINT },
  'a5-booklet': { label: 'A5 booklet', page: A5, ...BOOKLET, fold: { kind: 'booklet', sheet: landscape(A4), sheetName: 'A4' } },
  'half-letter-booklet': {
    label: 'Half-letter booklet',
    page: HALF_LETTER,
    ...BOOKLET,
    fold: { kind: 'booklet', sheet: landscape(LETTER), sheetName: 'US Letter' },
  },
  'trifold-a4': { label: 'Tri-fold leaflet (A4)', page: landscape(A4), ...TRIFOLD, fold: { kind: 'trifold', panels: [97, 100, 100] } },
  'trifold-letter': { label: 'Tri-fold leaflet (US Letter)', page: landscape(LETTER), ...TRIFOLD, fold: { kind: 'trifold', panels: [91.8, 93.8, 93.8] } },
  'a4-press': { label: 'A4 for the press (PDF/X-4)', ...A4_STANDARD, pressOnly: true },
} as const satisfies Record<string, Edition>;

export type EditionId = keyof typeof EDITION_TABLE;
export const EDITIONS: Readonly<Record<EditionId, Edition>> = EDITION_TABLE;
export const EDITION_IDS = Object.keys(EDITIONS) as [EditionId, ...EditionId[]];
export const DEFAULT_EDITIONS: EditionId[] = ['a4', 'letter', 'large-print'];

export const editionFileName = (slug: string, edition: EditionId) => `${slug}-${edition}.pdf`;
/** The booklet's pages imposed for printing on sheets: `<slug>-a5-booklet-imposed.pdf`. */
export const imposedFileName = (slug: string, edition: EditionId) => `${slug}-${edition}-imposed.pdf`;
/** The press file of an edition (front matter `press: true`): `<slug>-a4-press.pdf`; `a4-press` is A4's. */
export const pressFileName = (slug: string, edition: EditionId) => EDITIONS[edition].pressOnly ? editionFileName(slug, edition) : `${slug}-${edition}-press.pdf`;

/** The body text's size in points: 18 in large print, 12 otherwise (styles/print.css, styles/editions/large-print.css). */
export const bodyTypeSize = (edition: Edition): number => (edition.largePrint ? 18 : 12);

/**
 * How many pages an edition makes of a text, relative to the other editions: the area a text takes grows with the
 * square of the body type's size, and a page holds its text block's area. Large print on A4 comes to about 1.8
 * times A4's pages. Only to put editions in order: the pages themselves are Chromium's.
 */
export function relativePageCount(edition: Edition): number {
  const { page, margins } = edition;
  const textBlock = (page.width - margins.left - margins.right) * (page.height - margins.top - margins.bottom);
  return bodyTypeSize(edition) ** 2 / textBlock;
}

const MM = 72 / 25.4;
/** Millimetres in PDF points. */
export const points = (mm: number) => mm * MM;
