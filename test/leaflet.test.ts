/**
 * A clinic's patient leaflet (test/fixtures/leaflet/, every leaflet field and
 * every call-out kind), read back from the printed PDF's text layer and page
 * images and from the EPUB.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { parseDocument } from 'yaml';
import { leafletLabels } from '../scripts/languages/fixed-texts.js';
import { fixture } from './support/cli.js';
import { sharedBuild } from './support/shared-builds.js';
import { expectAcePasses, expectEpubcheckClean, openEpub, opfMeta, pdfPages, readableText, xhtmlText } from './support/outputs.js';
import { bodySize, fontSizesByPage, textContentByPage } from './support/pdf-text.js';
import { renderPage, type PageImage } from './support/page-image.js';

const LEAFLET = fixture('leaflet/heel-pain.md');
const labels = leafletLabels('en');

let a4: string;
let largePrint: string;
let epub: string;
let frontMatter: Record<string, unknown>;

beforeAll(async () => {
  // Built on a day before any of its review dates (shared-builds.ts).
  const { files } = sharedBuild('leaflet');
  a4 = files.find((file) => file.endsWith('-a4.pdf'))!;
  largePrint = files.find((file) => file.endsWith('-large-print.pdf'))!;
  epub = files.find((file) => file.endsWith('.epub'))!;
  const source = await readFile(LEAFLET, 'utf8');
  frontMatter = parseDocument(source.split(/^---$/m)[1]!).toJS();
});

/** Each page's text as a reader reads it: line-end hyphens joined, soft hyphens gone, space folded, in lower case. */
const readablePages = async (pdf: string) => (await pdfPages(pdf)).map((page) => readableText(page).toLowerCase());

/** The call-out boxes the fixture writes (`> [!KIND] title` and the lines under it), and its key points. */
async function boxesOfFixture(): Promise<{ kind: string; title?: string; text: string }[]> {
  const lines = (await readFile(LEAFLET, 'utf8')).split('\n');
  const boxes: { kind: string; title?: string; text: string }[] = [];
  for (let at = 0; at < lines.length; at++) {
    const marker = /^> \[!(\w+)\]\s*(.*)$/.exec(lines[at]!);
    if (!marker) continue;
    const body: string[] = [];
    while (lines[at + 1]?.startsWith('>')) body.push(lines[++at]!.replace(/^>\s?/, ''));
    boxes.push({ kind: marker[1]!, title: marker[2] || undefined, text: plain(body.join(' ')) });
  }
  boxes.push({ kind: 'KEYPOINTS', text: plain((frontMatter.keyPoints as string[]).join(' ')) });
  return boxes;
}

/** The EPUB's content document with the colophon (`imprint.xhtml` today), found by its semantics rather than its name. */
async function colophonOf(zip: Awaited<ReturnType<typeof openEpub>>): Promise<string> {
  const documents = await Promise.all(zip.file(/\.xhtml$/).map((entry) => entry.async('string')));
  const found = documents.filter((xhtml) => xhtml.includes('epub:type="colophon"'));
  expect(found).toHaveLength(1);
  return found[0]!;
}

const plain = (markdown: string) => markdown.replace(/\*\*|\*/g, '').replace(/\s+/g, ' ').trim();
const words = (text: string) => text.toLowerCase().split(' ');

describe('the review and version block', () => {
  const expectedItems = () => [
    `${labels.published} 1 March 2024`,
    `${labels.lastReviewed} 15 September 2025`,
    `${labels.nextReview} 15 September 2027`,
    `${labels.version} 2.1`,
    `${labels.ref} PI-0427`,
    `${labels.reviewedBy} Dr Ana Ruiz, Consultant Podiatrist`,
    `${labels.owner} Podiatry Department, Riverside Foot Clinic`,
  ];

  it('prints every label and date on the last page, and the dates on no other page', async () => {
    for (const pdf of [a4, largePrint]) {
      const pages = await readablePages(pdf);
      for (const item of expectedItems()) {
        expect(pages.at(-1), `${path.basename(pdf)}: ${item}`).toContain(item.toLowerCase());
        // The reference and version are in every page's foot too.
        if (/^(Ref|Version) /.test(item)) continue;
        for (const page of pages.slice(0, -1)) expect(page).not.toContain(item.toLowerCase());
      }
    }
  });

  it('carries the leaflet reference in the foot of every page but the first', async () => {
    for (const pdf of [a4, largePrint]) {
      const pages = await textContentByPage(pdf);
      expect(pages.length).toBeGreaterThan(1);
      // The bottom margin is 22 mm (62 pt) in every edition: the foot is what is set below 50 pt.
      const foot = pages.map((items) =>
        (items as TextItem[])
          .filter((item) => item.str?.trim() && item.transform[5] < 50)
          .map((item) => item.str)
          .join(' '),
      );
      expect(foot[0]).not.toContain('PI-0427');
      for (const [index, text] of foot.entries()) if (index > 0) expect(text, `page ${index + 1}`).toMatch(/Ref PI-0427 · Version 2\.1/);
      expect(foot.every((text) => /\d+ \/ \d+/.test(text))).toBe(true);
    }
  });

  it('puts the same block in the EPUB’s colophon and the package metadata', async () => {
    const zip = await openEpub(epub);
    const colophon = xhtmlText(await colophonOf(zip));
    for (const item of expectedItems()) expect(colophon).toContain(item);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    const meta = opfMeta(opf);
    expect(meta.get('schema:lastReviewed')).toEqual(['2025-09-15']);
    expect(meta.get('dcterms:valid')).toEqual(['end=2027-09-15; scheme=W3C-DTF']);
    expect(meta.get('schema:version')).toEqual(['2.1']);
    expect(meta.get('dcterms:issued')).toEqual(['2024-03-01']);
    expect(opf).toContain('<dc:identifier id="leaflet-id">PI-0427</dc:identifier>');
    expect(opf).toMatch(/<dc:contributor id="(\w+)">Dr Ana Ruiz, Consultant Podiatrist<\/dc:contributor>\s*<meta refines="#\1" property="role" scheme="marc:relators">rev<\/meta>/);
    expect(opf).toMatch(/<dc:contributor id="(\w+)">Podiatry Department, Riverside Foot Clinic<\/dc:contributor>\s*<meta refines="#\1" property="role" scheme="marc:relators">rpy<\/meta>/);
  });
});

describe('call-out boxes', () => {
  it('are each set whole on one page, with the kind in words and the title', async () => {
    const boxes = await boxesOfFixture();
    expect(new Set(boxes.map((box) => box.kind))).toEqual(new Set(['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION', 'KEYPOINTS']));
    for (const pdf of [a4, largePrint]) {
      const pages = await readablePages(pdf);
      for (const box of boxes) {
        const kindName = labels.callouts[box.kind as keyof typeof labels.callouts].toLowerCase();
        const heading = box.title ? `${kindName}: ${box.title.toLowerCase()}` : kindName;
        const start = `${heading} ${words(box.text).slice(0, 4).join(' ')}`;
        const end = words(box.text).slice(-4).join(' ');
        const startPages = pages.flatMap((page, index) => (page.includes(start) ? [index + 1] : []));
        const endPages = pages.flatMap((page, index) => (page.includes(end) ? [index + 1] : []));
        expect(startPages, `${path.basename(pdf)}: "${start}"`).toHaveLength(1);
        expect(endPages, `${path.basename(pdf)}: "${end}" on the page of "${start}"`).toEqual(startPages);
      }
    }
  });

  it('are ruled dark enough to show printed in grey, warnings and cautions all round', async () => {
    const dpi = 100;
    const pages = await textContentByPage(a4);
    const kinds = ['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION'] as const;
    for (const kind of kinds) {
      const name = labels.callouts[kind].toLowerCase();
      const page = pages.findIndex((items) => (items as TextItem[]).some((item) => [name, `${name}:`].includes(item.str.trim().toLowerCase())));
      expect(page, kind).toBeGreaterThanOrEqual(0);
      const title = (pages[page] as TextItem[]).find((item) => [name, `${name}:`].includes(item.str.trim().toLowerCase()))!;
      const image = await renderPage(a4, page + 1, dpi);
      const x = Math.round((title.transform[4] * dpi) / 72);
      const y = Math.round(image.height - (title.transform[5] * dpi) / 72) - 3;
      // The rule down the box's left side: the first dark band left of the title, a few px wide.
      const row = Array.from({ length: x }, (_, column) => grey(image, column, y));
      const ruleStart = row.findIndex((value) => value < 128);
      let ruleEnd = ruleStart;
      while (row[ruleEnd]! < 128) ruleEnd++;
      expect(ruleStart, `${kind}: a dark rule left of the title`).toBeGreaterThan(0);
      expect(ruleEnd - ruleStart, `${kind}: rule width`).toBeGreaterThanOrEqual(3);
      // Above the title, right of its words, the box's top edge: dark for a warning or a caution, light for the others.
      const column = x + Math.round((300 * dpi) / 72);
      let top = y - 4;
      while (top > 0 && grey(image, column, top) > 240) top--;
      const edge = Math.min(...[0, 1, 2].map((offset) => grey(image, column, top - offset)));
      if (kind === 'WARNING' || kind === 'CAUTION') expect(edge, `${kind}: dark top edge`).toBeLessThan(128);
      else expect(edge, `${kind}: light top edge`).toBeGreaterThan(128);
    }
  });

  it('open the text with the key points, under the masthead', async () => {
    const first = (await readablePages(a4))[0]!;
    const keyPoints = first.indexOf(labels.callouts.KEYPOINTS.toLowerCase());
    expect(keyPoints).toBeGreaterThan(first.indexOf('heel pain (plantar fasciitis)'));
    expect(keyPoints).toBeLessThan(first.indexOf('plantar fasciitis is pain under the heel'));
  });

  it('set their text at large-print size in the large-print edition', async () => {
    const boxTexts = (await boxesOfFixture()).map((box) => box.text.toLowerCase());
    const sizes: number[] = [];
    for (const items of await textContentByPage(largePrint)) {
      for (const item of items as TextItem[]) {
        const text = item.str?.replaceAll('\u00ad', '').trim().toLowerCase();
        if (!text || text.length < 12 || !boxTexts.some((box) => box.includes(text))) continue;
        sizes.push(Math.hypot(item.transform[2], item.transform[3]));
      }
    }
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
  });

  it('are asides or notices with their ARIA roles and EPUB semantics in the ebook', async () => {
    const zip = await openEpub(epub);
    const documents = await Promise.all(zip.file(/\.xhtml$/).map((entry) => entry.async('string')));
    const all = documents.join('\n');
    expect(all).toMatch(/<aside class="callout callout-note" role="note">/);
    expect(all).toMatch(/<aside class="callout callout-tip" role="doc-tip" epub:type="tip">/);
    for (const kind of ['important', 'warning', 'caution']) expect(all).toMatch(new RegExp(`<div class="callout callout-${kind}" role="doc-notice" epub:type="notice">`));
    const opening = documents.find((xhtml) => xhtml.includes('class="masthead"'))!;
    expect(opening).toMatch(/<\/header>\s*<section[^>]*>\s*<section class="callout callout-keypoints" role="doc-abstract" epub:type="abstract" aria-label="Key points">/);
    // Icons are decoration: the words say what the box is.
    expect(all.match(/<svg [^>]*class="callout-icon"[^>]*>/g)?.every((svg) => svg.includes('aria-hidden="true"'))).toBe(true);
  });
});

describe('the contact panel', () => {
  it('is on the last page at body size or larger, not in the fine print', async () => {
    const pages = await textContentByPage(a4);
    const last = pages.at(-1) as TextItem[];
    const headline = last.find((item) => item.str.includes(labels.questionsCall));
    expect(headline).toBeDefined();
    const body = bodySize((await fontSizesByPage(a4))[0]!);
    const size = (item: TextItem) => Math.round(Math.hypot(item.transform[2], item.transform[3]) * 10) / 10;
    expect(size(headline!)).toBeGreaterThan(body);
    // The contact lines as set (the publisher's name alone is the imprint's, in its fine print).
    const lines = last.filter(
      (item) => item.str.trim().length > 8 && item.str.trim() !== frontMatter.publisher && (frontMatter.contact as string[]).some((line) => line.includes(item.str.trim())),
    );
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(size(line), line.str).toBeGreaterThanOrEqual(body);
  });

  it('links telephone numbers and email addresses in the PDF and the EPUB', async () => {
    const document = await getDocument({ data: new Uint8Array(await readFile(a4)), disableFontFace: true }).promise;
    try {
      const annotations = await (await document.getPage(document.numPages)).getAnnotations();
      const urls = annotations.map((annotation) => annotation.url as string | undefined).filter(Boolean);
      expect(urls).toContain('tel:01234567890');
      expect(urls).toContain('mailto:podiatry@clinic.example.org');
    } finally {
      await document.destroy();
    }
    const imprint = await colophonOf(await openEpub(epub));
    expect(imprint).toContain(`${labels.questionsCall} <a href="tel:01234567890">01234 567890</a>`);
    expect(imprint).toContain('<a href="mailto:podiatry@clinic.example.org">podiatry@clinic.example.org</a>');
  });
});

describe('the notes area', () => {
  it.each([['A4', () => a4], ['large print', () => largePrint]])('is a ruled area of as many lines as the front matter asks, on the last page only (%s)', async (_, pdf) => {
    const dpi = 100;
    const pages = await textContentByPage(pdf());
    const notesTitleOn = pages.map((items) => (items as TextItem[]).some((item) => item.str.trim() === labels.notes));
    expect(notesTitleOn.lastIndexOf(true)).toBe(pages.length - 1);
    expect(notesTitleOn.indexOf(true)).toBe(pages.length - 1);

    const image = await renderPage(pdf(), pages.length, dpi);
    const title = (pages.at(-1) as TextItem[]).find((item) => item.str.trim() === labels.notes)!;
    const titleRow = Math.round(image.height - (title.transform[5] * dpi) / 72);
    // Lines long enough to write on: 12 cm or more (A4's text block is 13.4 cm at its 60–70 character measure).
    const rules = horizontalRules(image, (120 / 25.4) * dpi).filter((row) => row > titleRow);
    // The ruled lines: evenly spaced from the first one under the title.
    const spacing = rules[1]! - rules[0]!;
    let evenlySpaced = 1;
    while (evenlySpaced < rules.length && Math.abs(rules[evenlySpaced]! - rules[evenlySpaced - 1]! - spacing) <= 2) evenlySpaced++;
    expect(evenlySpaced).toBe(frontMatter.notesSpace);
    expect(rules[0]! - titleRow).toBeLessThan(spacing * 1.5);
    // Room to write: about 8 mm a line or more.
    expect((spacing / dpi) * 25.4).toBeGreaterThan(7.5);
  });

  it('is print only', async () => {
    const zip = await openEpub(epub);
    for (const entry of zip.file(/\.xhtml$/)) expect(await entry.async('string')).not.toContain('notes-space');
  });
});

describe('checklists', () => {
  it('print as boxes in the text colour, the ticked one filled', async () => {
    const dpi = 150;
    // The page the checklist is on.
    const pages = (await textContentByPage(a4)) as TextItem[][];
    const page = pages.findIndex((items) => items.some((item) => item.str.startsWith('Towel stretch.')));
    expect(page).toBeGreaterThanOrEqual(0);
    const items = pages[page]!;
    const image = await renderPage(a4, page + 1, dpi);
    const boxBefore = (words: string) => {
      const item = items.find((candidate) => candidate.str.startsWith(words))!;
      const em = Math.hypot(item.transform[2], item.transform[3]);
      const [left, right] = [item.transform[4] - 1.5 * em, item.transform[4] - 0.1 * em].map((pt) => Math.round((pt * dpi) / 72));
      const [top, bottom] = [item.transform[5] + 0.9 * em, item.transform[5] - 0.2 * em].map((pt) => Math.round(image.height - (pt * dpi) / 72));
      const values: number[] = [];
      for (let y = top!; y <= bottom!; y++) for (let x = left!; x <= right!; x++) values.push(grey(image, x, y));
      return { darkest: Math.min(...values), dark: values.filter((value) => value < 100).length };
    };
    const ticked = boxBefore('Towel stretch.');
    const open = boxBefore('Wall calf stretch.');
    // The text is #1b2226 (grey 33); a greyed-out browser checkbox is drawn in greys above 100.
    expect(open.darkest).toBeLessThan(70);
    expect(ticked.darkest).toBeLessThan(70);
    expect(ticked.dark).toBeGreaterThan(open.dark * 1.5);
  });
});

describe('references and other formats', () => {
  it('sets the front matter’s references as a numbered list at the end', async () => {
    const pages = await readablePages(a4);
    const text = pages.join(' ');
    const references = frontMatter.references as string[];
    const heading = text.lastIndexOf(`${labels.references.toLowerCase()} 1.`);
    expect(heading).toBeGreaterThan(text.indexOf('when to get help'));
    references.forEach((reference, index) => {
      const start = plain(reference).replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').split(' ').slice(0, 4).join(' ').toLowerCase();
      expect(text.indexOf(`${index + 1}. ${start}`, heading)).toBeGreaterThan(heading);
    });
  });

  it('names the other editions this build made in each one’s imprint', async () => {
    expect((await readablePages(a4)).at(-1)).toContain('also available in large print and as an ebook: clinic.example.org/leaflets/heel-pain.epub');
    expect((await readablePages(largePrint)).at(-1)).toContain('also available in standard print and as an ebook: clinic.example.org/leaflets/heel-pain.epub');
    const imprint = xhtmlText(await colophonOf(await openEpub(epub)));
    expect(imprint).toContain('Also available in standard print and in large print.');
  });
});

describe('the leaflet’s EPUB', () => {
  it('passes epubcheck with no error or warning', async () => {
    await expectEpubcheckClean(epub);
  });

  it('passes Ace by DAISY with no violation', async () => {
    await expectAcePasses(epub);
  });
});

/** Rows (from the top, px) of horizontal rules at least `minLength` px long; a rule a few px thick is its middle row. */
function horizontalRules(image: PageImage, minLength: number): number[] {
  const rows: number[] = [];
  for (let y = 0; y < image.height; y++) {
    let run = 0;
    let longest = 0;
    for (let x = 0; x < image.width; x++) {
      // A hairline that falls between two pixel rows is drawn (anti-aliased) as two light rows, not one dark one.
      run = grey(image, x, y) < 230 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    if (longest >= minLength) rows.push(y);
  }
  const rules: number[] = [];
  let group: number[] = [];
  for (const row of [...rows, Infinity]) {
    if (group.length && row !== group.at(-1)! + 1) {
      rules.push((group[0]! + group.at(-1)!) / 2);
      group = [];
    }
    group.push(row);
  }
  return rules;
}

function grey(image: PageImage, x: number, y: number): number {
  const at = (y * image.width + x) * 4;
  return 0.2126 * image.data[at]! + 0.7152 * image.data[at + 1]! + 0.0722 * image.data[at + 2]!;
}
