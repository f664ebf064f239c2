/**
 * Right to left through the whole page, in Urdu (Nastaliq) and Persian (Naskh) as in Arabic: the running head, the
 * page numbers, a numbered list and a table of test/fixtures/right-to-left/ (a two-page leaflet and its test
 * translations), read from the printed PDFs; and the language's own digits where the front matter asks for them
 * (`numerals: native`, which both translations set), 0–9 where it does not (the English source).
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { nativeNumerals } from '../scripts/languages/numerals.js';
/** A fixed time for the outputs (SOURCE_DATE_EPOCH's 1700000000). */
const BUILD_TIME = new Date(1_700_000_000_000);
import { textContentByPage } from './support/pdf-text.js';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { logicalTextByPage } from './support/pdf-logical-text.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'right-to-left');
const SLUG = 'foot-massage-for-better-sleep';
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'press-rtl-'));
  await build({ input: path.join(FIXTURE, 'sleep.md'), outDir, formats: ['pdf'], buildTime: BUILD_TIME });
}, 300_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const pdfOf = (lang: string, edition = 'a4') => path.join(outDir, `${SLUG}${lang === 'en' ? '' : `.${lang}`}-${edition}.pdf`);
/** The A4 page's width in points. */
const PAGE_WIDTH = 595.3;
const ASCII_DIGIT = /[0-9]/;

/** A run of text as pdf.js places it: its text (pdf.js's own reading), and its box in points from the page's bottom left. */
interface Run {
  text: string;
  left: number;
  right: number;
  baseline: number;
}

async function runsByPage(file: string): Promise<Run[][]> {
  return (await textContentByPage(file)).map((items) =>
    (items as TextItem[])
      .filter((item) => item.str?.trim())
      .map((item) => ({ text: item.str, left: item.transform[4]!, right: item.transform[4]! + item.width, baseline: item.transform[5]! })),
  );
}

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const isDigit = (digits: string[]) => (run: Run) => [...run.text].some((char) => digits.includes(char));

describe.each(['fa', 'ur'])('%s, right to left', (lang) => {
  let pages: Run[][];
  beforeAll(async () => {
    pages = await runsByPage(pdfOf(lang));
  });
  const digits = () => nativeNumerals(lang)!.digits;
  /** The right edge of the text column: where page 1's body text ends on the right. */
  const columnRight = () => Math.max(...pages[0]!.filter((run) => run.baseline > 60 && run.baseline < 780 && ARABIC_LETTER.test(run.text)).map((run) => run.right));
  const rowOf = (page: Run[], run: Run) => page.filter((other) => Math.abs(other.baseline - run.baseline) < 2);

  it('numbers each of its pages at the foot in the language’s own digits (“1 / 2”)', () => {
    // Two pages of text, and the imprint, which is never split (Urdu's, in Nastaliq, takes a third).
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((runs, index) => {
      const foot = runs.filter((run) => run.baseline < 60).map((run) => run.text).join('');
      expect(foot).toContain(digits()[index + 1]);
      expect(foot).toContain(digits()[pages.length]);
      expect(foot).not.toMatch(ASCII_DIGIT);
    });
  });

  it('heads page 2 with the title on the right and the publisher on the left', () => {
    const head = pages[1]!.filter((run) => run.baseline > 800);
    const title = head.filter((run) => ARABIC_LETTER.test(run.text));
    const publisher = head.filter((run) => run.text.includes('Home'));
    expect(title.length, head.map((run) => run.text).join(' | ')).toBeGreaterThan(0);
    expect(Math.min(...title.map((run) => run.left))).toBeGreaterThan(PAGE_WIDTH / 2);
    expect(Math.max(...publisher.map((run) => run.right))).toBeLessThan(PAGE_WIDTH / 2);
  });

  it('starts each list item beside its number, at the right of the column', () => {
    // The list's numbers: runs of a digit and a full stop alone, at the right of the column.
    const body = pages[0]!.filter((run) => run.baseline > 60 && run.baseline < 780);
    const numbers = body.filter((run) => /^\s*\.?\s*\S\s*\.?\s*$/u.test(run.text) && isDigit(digits())(run) && run.right > columnRight() - 30);
    expect(numbers.map((number) => number.text.replace(/[\s.]/g, ''))).toEqual(digits().slice(1, 6));
    for (const number of numbers) {
      // The item's text ends right beside its number, not across the column from it.
      const text = rowOf(body, number).filter((run) => run !== number && ARABIC_LETTER.test(run.text));
      expect(number.left - Math.max(...text.map((run) => run.right))).toBeLessThan(15);
    }
  });

  it('sets the table from the right: the day, its first column, is the rightmost cell of each row', () => {
    // Each line of type cut into cells where the runs stand more than 15 pt apart, left to right.
    const cellsOf = (row: Run[]) => {
      const cells: Run[][] = [];
      for (const run of row.toSorted((a, b) => a.left - b.left)) {
        const cell = cells.at(-1);
        if (cell && run.left - Math.max(...cell.map((other) => other.right)) < 15) cell.push(run);
        else cells.push([run]);
      }
      return cells.map((cell) => cell.map((run) => run.text).join(''));
    };
    // Lines by baseline, those within 6 pt one line (Nastaliq's letters sit above and below the line).
    const lines = (runs: Run[]) => {
      const found: Run[][] = [];
      for (const run of runs.toSorted((a, b) => a.baseline - b.baseline)) {
        const line = found.at(-1);
        if (line && run.baseline - line.at(-1)!.baseline < 6) line.push(run);
        else found.push([run]);
      }
      return found;
    };
    const rows = pages.flatMap((runs) => lines(runs).map(cellsOf));
    // The week's seven rows: three cells, minutes in the two at the left, the day's name at the right.
    const week = rows.filter((cells) => cells.length === 3 && cells.slice(0, 2).every((cell) => [...cell].some((char) => digits().includes(char))));
    expect(week).toHaveLength(7);
    for (const cells of week) expect(ARABIC_LETTER.test(cells[2]!) && ![...cells[2]!].some((char) => digits().includes(char))).toBe(true);
  });

  it('prints the numbers of its text and its list in the language’s digits, and the text reads back in order', async () => {
    const text = (await logicalTextByPage(pdfOf(lang), 'rtl')).map((page) => page.text).join('\n');
    expect(text).toContain(`${digits()[1]}${digits()[0]}`);
    // Only the English fixed texts of the imprint (no digits) and the publisher's name are Latin: no 0–9 anywhere.
    expect(text).not.toMatch(ASCII_DIGIT);
  });
});

describe('numerals', () => {
  it('stay 0–9 unless the front matter asks for the native ones', async () => {
    const pages = await runsByPage(pdfOf('en'));
    expect(pages.flat().some((run) => run.text.includes('10 minutes'))).toBe(true);
    expect(pages[0]!.filter((run) => run.baseline < 60).map((run) => run.text).join('').replace(/\s/g, '')).toBe('1/2');
  });

  it('are each language’s own decimal digits, where it has them', () => {
    expect(nativeNumerals('fa')!.digits.join('')).toBe('۰۱۲۳۴۵۶۷۸۹');
    expect(nativeNumerals('ur')!.digits.join('')).toBe('۰۱۲۳۴۵۶۷۸۹');
    expect(nativeNumerals('ar')!.digits.join('')).toBe('٠١٢٣٤٥٦٧٨٩');
    expect(nativeNumerals('hi')!.digits.join('')).toBe('०१२३४५६७८९');
    expect(nativeNumerals('bn')!.digits.join('')).toBe('০১২৩৪৫৬৭৮৯');
    expect(nativeNumerals('pa-PK')!.digits.join('')).toBe('۰۱۲۳۴۵۶۷۸۹');
    expect(nativeNumerals('he')).toBeUndefined();
    expect(nativeNumerals('es')).toBeUndefined();
  });
});
