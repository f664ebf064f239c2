import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenOutline, foldSpace, pdfFonts, pdfInfo, pdfOutline, pdfPages, readableText, seedText } from './support/outputs.js';
import { textLinesByPage } from './support/page-text.js';
import { bodySize, fontSizesByPage, markedTextByPage, pdfMetadata } from './support/pdf-text.js';
import { pdfCatalog, pdfSoundness, pdfXref } from './support/pdf-structure.js';
import { decodeQr } from './support/qr.js';
import { DEFAULT_DISCLAIMER } from '../scripts/render/publication.js';
import { sharedBuild } from './support/shared-builds.js';

const files = sharedBuild('article').files;
const pdfOf = (edition: string) => files.find((file) => file.endsWith(`-${edition}.pdf`))!;

const TITLE = 'The Many Benefits of Foot Massage';
const PUBLISHER = 'Home Massage Health Library';
const DOWNLOAD_URL = 'https://example.com/handouts/foot-massage.epub';
// The manuscript's headings: the seed's own, plus the two condition headings its layout lost.
const RESTORED_HEADINGS = ['Bunions', 'Arthritis'];
const PAGE_FOOTER = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;
const SOFT_HYPHEN = '\u00ad';
/** A line ending with a hyphen after a letter: a broken word, unless the copy's own compound breaks there. */
const BROKEN_WORD_END = /(\p{L}+)-$/u;
/** The running header: the title in capitals in the standard editions, as written (16 pt) in large print. */
const runningHeader = (title: string) => new RegExp(`^${title}\\s+${PUBLISHER}$`);
const RUNNING_HEADER = new RegExp(`^(${TITLE}|${TITLE.toUpperCase()})\\s+${PUBLISHER}$`);

/** Body lines of a page: no running header, no page-number footer. */
function bodyLines(page: string): string[] {
  return page
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !PAGE_FOOTER.test(line) && !RUNNING_HEADER.test(line));
}

/** The body of the pages as a reader reads it. */
function readingText(pages: string[]): string {
  return readableText(pages.flatMap(bodyLines).join('\n'));
}

describe.each([
  { edition: 'a4', pageSize: /^594\.9\d x 841\.9\d pts \(A4\)$/, headerTitle: TITLE.toUpperCase() },
  { edition: 'letter', pageSize: /^612 x 792 pts \(letter\)$/, headerTitle: TITLE.toUpperCase() },
  { edition: 'large-print', pageSize: /^594\.9\d x 841\.9\d pts \(A4\)$/, headerTitle: TITLE },
])('the article’s $edition edition', ({ edition, pageSize, headerTitle }) => {
  const pdf = pdfOf(edition);

  it('is named after the publication and the edition', () => {
    expect(path.basename(pdf)).toBe(`the-many-benefits-of-foot-massage-${edition}.pdf`);
  });

  it('has its paper size, is tagged, and carries the document metadata', async () => {
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toMatch(pageSize);
    expect(info['Tagged']).toBe('yes');
    expect(info['Title']).toBe(TITLE);
    expect(info['Author']).toBe('Patient Education Team');
    expect(info['Subject']).toMatch(/^A patient handout on how foot massage/);
    expect(info['Keywords']).toContain('reflexology');
  });

  it('declares its language and marks its structure', async () => {
    const root = await pdfCatalog(pdf);
    expect(root['Type']).toBe('/Catalog');
    expect(root['Lang']).toBe('en');
    expect(root['MarkInfo']).toMatchObject({ Marked: true });
    expect(root['StructTreeRoot']).toBeDefined();
    expect(root['ViewerPreferences']).toMatchObject({ DisplayDocTitle: true });
  });

  it('carries the same metadata as XMP, as PDF/A and PDF/UA readers look for it', async () => {
    const { xmp, info } = await pdfMetadata(pdf);
    expect(xmp['dc:title']).toBe(TITLE);
    expect(xmp['dc:creator']).toEqual(['Patient Education Team']);
    expect(xmp['dc:description']).toBe(info['Subject']);
    expect([xmp['dc:language']].flat()).toEqual(['en']);
    expect(xmp['pdf:keywords']).toBe(info['Keywords']);
    expect(xmp['xmp:creatortool']).toBe(info['Creator']);
    expect(xmp['pdf:producer']).toBe(info['Producer']);
    // D:20231114221320Z in the document information, 2023-11-14T22:13:20Z in XMP: the same moment.
    const infoDate = String(info['CreationDate']).replace(/^D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z.*$/, '$1-$2-$3T$4:$5:$6Z');
    expect(xmp['xmp:createdate']).toBe(infoDate);
  });

  it('is a sound PDF 1.7 with its dictionaries in compressed object streams', async () => {
    expect(await pdfSoundness(pdf)).toEqual({ version: '1.7', repaired: false, problems: [] });
    const entries = (await pdfXref(pdf)).filter((entry) => entry.kind !== 'free');
    const compressed = entries.filter((entry) => entry.kind === 'compressed');
    // Only streams (pages' content, fonts, images) and the object streams themselves stay at the top level.
    expect(compressed.length).toBeGreaterThan(entries.length * 0.6);
  });

  it('embeds only the Source Serif 4 and Source Sans 3 fonts from @fontsource', async () => {
    const fonts = await pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name, 'a system font slipped in').toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceSans3)/);
    }
  });

  it('numbers every page "page / pages" and repeats the title as a running header after the masthead', async () => {
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, index) => {
      const lines = page.trim().split('\n');
      const [, number, total] = PAGE_FOOTER.exec(lines.find((line) => PAGE_FOOTER.test(line)) ?? '') ?? [];
      expect(Number(number), `footer of page ${index + 1}`).toBe(index + 1);
      expect(Number(total)).toBe(pages.length);
      if (index === 0) expect(lines[0]!.trim()).toBe(PUBLISHER.toUpperCase());
      else expect(lines[0]!.trim()).toMatch(runningHeader(headerTitle));
    });
  });

  it('marks its running header and page numbers as pagination artifacts, and leaves no text unmarked (PDF/UA)', async () => {
    const pages = await markedTextByPage(pdf);
    pages.forEach((runs, index) => {
      expect(runs.filter((run) => run.marks.length === 0), `page ${index + 1}`).toEqual([]);
      const artifacts = runs.filter((run) => run.marks.includes('Artifact')).map((run) => run.text.trim());
      const header = index === 0 ? [] : [headerTitle, PUBLISHER];
      expect(artifacts, `page ${index + 1}`).toEqual([...header, `${index + 1} / ${pages.length}`]);
    });
  });

  it('has every sentence of the client’s text in its text layer', async () => {
    const text = readingText(await pdfPages(pdf));
    const { sentences } = await seedText();
    expect(sentences.length).toBeGreaterThan(50);
    expect(sentences.filter((sentence) => !text.includes(foldSpace(sentence)))).toEqual([]);
  });

  it('has a bookmark for every heading, nested under the title', async () => {
    const outline = await pdfOutline(pdf);
    const { headings } = await seedText();
    expect(outline.map((entry) => entry.title)).toEqual([TITLE]);
    const titles = flattenOutline(outline).map((entry) => entry.title);
    expect([...titles].sort()).toEqual([...headings, ...RESTORED_HEADINGS].sort());
    const conditions = outline[0]!.kids.find((entry) => entry.title === 'Relieves Foot Conditions')!;
    expect(conditions.kids.map((entry) => entry.title)).toEqual(['Bunions', 'Arthritis', 'Flat Feet', 'Restless Foot Syndrome']);
  });

  it('never ends a page with a heading', async () => {
    const { headings } = await seedText();
    const pages = await pdfPages(pdf);
    pages.forEach((page, index) => {
      const last = bodyLines(page).at(-1)!;
      expect([...headings, ...RESTORED_HEADINGS], `page ${index + 1} ends with "${last}"`).not.toContain(last);
    });
  });

  it('leaves no single line of a paragraph alone at the foot or the head of a page', async () => {
    const { headings } = await seedText();
    const allHeadings = new Set([...headings, ...RESTORED_HEADINGS]);
    // Paragraph fragments of each page: runs of body lines between blank lines, headings set aside.
    const fragments = (await pdfPages(pdf)).map((page) =>
      page
        .split(/\n\s*\n/)
        .map((block) => bodyLines(block).filter((line) => !allHeadings.has(line)))
        .filter((lines) => lines.length > 0),
    );
    let breaksChecked = 0;
    for (let index = 0; index + 1 < fragments.length; index++) {
      const foot = fragments[index]!.at(-1)!;
      const head = fragments[index + 1]![0]!;
      const continues = /^\p{Ll}/u.test(head[0]!);
      if (!continues) continue;
      breaksChecked++;
      expect(foot.length, `orphan at the foot of page ${index + 1}`).toBeGreaterThanOrEqual(2);
      expect(head.length, `widow at the head of page ${index + 2}`).toBeGreaterThanOrEqual(2);
    }
    expect(breaksChecked, 'no paragraph runs over a page: nothing was checked').toBeGreaterThan(0);
  });

  it('closes with the imprint and the medical disclaimer on the last page', async () => {
    const pages = await pdfPages(pdf);
    const last = foldSpace(pages.at(-1)!);
    expect(last).toContain(foldSpace(DEFAULT_DISCLAIMER));
    expect(last).toContain('example.com/handouts/foot-massage.epub');
    expect(last).toContain('© 2026 Home Massage Health Library');
    for (const page of pages.slice(0, -1)) expect(page).not.toContain('Medical disclaimer');
  });

  it('prints a QR code on the last page that decodes to the ebook’s address', async () => {
    const pages = (await pdfInfo(pdf))['Pages']!;
    expect(await decodeQr(pdf, Number(pages))).toEqual([DOWNLOAD_URL]);
  });
});

describe('typesetting of the editions', () => {
  it('sets the A4 and Letter text ragged right with no word broken, as plain-language guidance asks', async () => {
    for (const edition of ['a4', 'letter']) {
      const lines = (await pdfPages(pdfOf(edition))).flatMap(bodyLines);
      expect(await brokenWords(lines), edition).toEqual([]);
      expect(await justifiedShare(pdfOf(edition)), edition).toBeLessThan(0.3);
    }
  });

  it('sets the large-print body at 16 pt or more, ragged right with no word broken', async () => {
    const sizes = await fontSizesByPage(pdfOf('large-print'));
    for (const page of sizes.slice(0, -1)) expect(bodySize(page)).toBeGreaterThanOrEqual(16);
    const standard = await fontSizesByPage(pdfOf('a4'));
    expect(bodySize(standard[1]!)).toBe(12);
    const lines = (await pdfPages(pdfOf('large-print'))).flatMap(bodyLines);
    expect(await brokenWords(lines)).toEqual([]);
    expect(await justifiedShare(pdfOf('large-print'))).toBeLessThan(0.3);
    expect(lines.join('\n')).not.toContain(SOFT_HYPHEN);
  });
});

/** Words broken at a line end, other than the copy's compounds broken after their own hyphen ("feel-/good"). */
async function brokenWords(lines: string[]): Promise<string[]> {
  const { sentences } = await seedText();
  const copy = sentences.join(' ');
  return lines.flatMap((line, index) => {
    const head = BROKEN_WORD_END.exec(line)?.[1];
    const tail = /^\p{L}+/u.exec(lines[index + 1] ?? '')?.[0];
    return head && tail && !copy.includes(`${head}-${tail}`) ? [`${line} / ${tail}`] : [];
  });
}

/** Share of the body's text lines that end flush with the text block's right edge (the line boxes of every page). */
async function justifiedShare(pdf: string): Promise<number> {
  const lines = (await textLinesByPage(pdf)).flat();
  const textLeft = Math.min(...lines.map((line) => line.left));
  // Lines that start at the text block's left edge: paragraph lines, not the imprint or the running header.
  const body = lines.filter((line) => Math.abs(line.left - textLeft) < 1);
  const rightEdge = Math.max(...body.map((line) => line.right));
  return body.filter((line) => rightEdge - line.right < 1.5).length / body.length;
}
