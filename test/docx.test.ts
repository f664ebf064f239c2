/**
 * The Word files (`--format docx`) of the article, the clinic leaflet, the torture book and a
 * review copy: read from their XML, and as a reviewer's office suite reads them: LibreOffice
 * (Debian's, installed by the tests like EPUBCheck) opens each without a complaint and converts
 * it to PDF and to text, all four in one run each.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { ensureSystemPackage, LIBREOFFICE } from '../scripts/dev-tools/system-packages.js';
import { makeReviewCopy } from '../scripts/review/review-copy.js';
import type { Publication } from '../scripts/render/publication.js';
import { BUILD_TIME, TORTURE } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { foldSpace, pdfPages, seedText } from './support/outputs.js';
import { leafletHistory, MARKS_IN_ORDER } from '../scripts/dev-tools/leaflet-history.js';

const run = promisify(execFile);

interface Made {
  docx: string;
  publication: Publication;
  /** Its word/document.xml, and the other parts read. */
  xml: { document: string; styles: string; footnotes: string; fontTable: string; rels: string };
}

const made: Record<'article' | 'leaflet' | 'torture' | 'review', Made> = {} as never;
let converted: string;
let soffice: { stderr: string; seconds: number };

async function read(docx: string) {
  const zip = await JSZip.loadAsync(await readFile(docx));
  const part = (name: string) => zip.file(name)?.async('string') ?? Promise.resolve('');
  return {
    document: await part('word/document.xml'),
    styles: await part('word/styles.xml'),
    footnotes: await part('word/footnotes.xml'),
    fontTable: await part('word/fontTable.xml'),
    rels: await part('word/_rels/document.xml.rels'),
  };
}

beforeAll(async () => {
  ensureSystemPackage(LIBREOFFICE);
  const out = await tempDir('press-docx-');
  const built = async (input: string, name: keyof typeof made) => {
    const { files, languages } = await build({ input, outDir: path.join(out, name), formats: ['docx'], buildTime: BUILD_TIME });
    const publication = languages[0]?.publication;
    const docx = files.find((file) => file.endsWith('.docx'))!;
    made[name] = { docx, publication: publication!, xml: await read(docx) };
  };
  await Promise.all([
    built(path.join(PROJECT_ROOT, 'manuscript'), 'article'),
    built(fixture('leaflet/heel-pain.md'), 'leaflet'),
    built(TORTURE, 'torture'),
    (async () => {
      const history = await leafletHistory();
      const copy = await makeReviewCopy({ input: history.leaflet, since: '1', outDir: path.join(out, 'review'), formats: ['docx'], buildTime: BUILD_TIME });
      const docx = copy.files.find((file) => file.endsWith('.docx'))!;
      made.review = { docx, publication: copy.publication!, xml: await read(docx) };
    })(),
  ]);
  // LibreOffice converts every file in one run (it starts once), into PDF and into text, with a profile of its own.
  converted = path.join(out, 'converted');
  await mkdir(converted);
  const inputs = await Promise.all(Object.entries(made).map(async ([name, { docx }]) => {
    const copy = path.join(out, `${name}.docx`);
    await copyFile(docx, copy);
    return copy;
  }));
  const profile = `-env:UserInstallation=file://${path.join(out, 'libreoffice-profile')}`;
  const started = performance.now();
  let stderr = '';
  for (const target of ['pdf', 'txt:Text (encoded):UTF8']) {
    const result = await run('soffice', [profile, '--headless', '--convert-to', target, '--outdir', converted, ...inputs], { timeout: 300_000 });
    stderr += result.stderr;
  }
  soffice = { stderr, seconds: (performance.now() - started) / 1000 };
}, 600_000);

const textOf = (name: string) => readFile(path.join(converted, `${name}.txt`), 'utf8').then((text) => foldSpace(text.replace(/^\uFEFF/, '')));
/** The paragraphs of document.xml with their style, and their text (w:t, and w:delText of deleted runs). */
function paragraphs(xml: string): { style?: string; text: string }[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)].map((match) => {
    const body = match[1] ?? match[2] ?? '';
    return {
      style: /<w:pStyle w:val="([^"]+)"\/>/.exec(body)?.[1],
      text: [...body.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((text) => decodeXml(text[1]!)).join(''),
    };
  });
}
const decodeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('Word files, as LibreOffice reads them', () => {
  it('opens every file without a complaint, and converts each to PDF and to text', async () => {
    // The one line LibreOffice always prints without Java's helper (Debian's package recommends it, the tests leave it out).
    const complaints = soffice.stderr.split('\n').filter((line) => line.trim() && !/^Warning: failed to launch javaldx/.test(line));
    expect(complaints).toEqual([]);
    const files = (await readdir(converted)).sort();
    expect(files).toEqual(['article.pdf', 'article.txt', 'leaflet.pdf', 'leaflet.txt', 'review.pdf', 'review.txt', 'torture.pdf', 'torture.txt']);
    for (const name of ['article', 'leaflet', 'review', 'torture']) expect((await pdfPages(path.join(converted, `${name}.pdf`))).length).toBeGreaterThan(0);
    // For docs/performance.md: how long the four conversions took.
    console.info(`LibreOffice converted 4 Word files to PDF and to text in ${soffice.seconds.toFixed(1)} s`);
  });

  it('keeps every sentence and heading of the article', async () => {
    const text = await textOf('article');
    const { sentences, headings } = await seedText();
    const missing = [...sentences, ...headings].filter((sentence) => !text.includes(foldSpace(sentence)));
    expect(missing).toEqual([]);
    // …and LibreOffice's PDF of it says the same.
    const printed = foldSpace((await pdfPages(path.join(converted, 'article.pdf'))).join(' ').replace(/-\n/g, ''));
    expect(sentences.filter((sentence) => !printed.includes(foldSpace(sentence)))).toEqual([]);
  });

  it('keeps every sentence of the leaflet: its text, call-outs, key points, table, references, contact lines and review block', async () => {
    const text = await textOf('leaflet');
    const { publication } = made.leaflet;
    const blocks = publication.document.chapters.flatMap((chapter) =>
      selectAll('p, td, th, h2, h3, li:not(:has(ul, ol, p))', chapter.tree).map((node) => foldSpace(toString(node))),
    );
    const sentences = blocks.flatMap((block) => block.split(/(?<=[.!?;])\s+/)).filter(Boolean);
    expect(sentences.length).toBeGreaterThan(40);
    expect(sentences.filter((sentence) => !text.includes(sentence))).toEqual([]);
    for (const line of publication.metadata.contact!) expect(text).toContain(line);
    expect(text).toContain('Last reviewed 15 September 2025');
    expect(text).toContain('Reviewed by Dr Ana Ruiz, Consultant Podiatrist');
  });
});

describe('Word files, as their XML says', () => {
  it('sets each heading in the Heading style of its level: an article’s title Heading 1, its sections Heading 2 and 3', () => {
    for (const name of ['article', 'leaflet', 'torture'] as const) {
      const { publication, xml } = made[name];
      const headings = paragraphs(xml.document).filter((paragraph) => /^Heading\d$/.test(paragraph.style ?? ''));
      // An article's headings start with its title, its `#`; a book's title comes from its front matter: Word's Title, over its `#` chapters.
      const book = publication.document.chapterLevel === 1;
      expect(publication.headings[0]).toMatchObject({ rank: 1, text: publication.document.title.text });
      const expected = publication.headings.slice(book ? 1 : 0).map((heading) => ({ style: `Heading${heading.rank}`, text: heading.text }));
      expect(headings.map(({ style, text }) => ({ style, text: foldSpace(text) }))).toEqual(expected.map(({ style, text }) => ({ style, text: foldSpace(text) })));
      if (book) expect(paragraphs(xml.document).find((paragraph) => paragraph.style === 'Title')?.text).toBe(publication.document.title.text);
    }
    const levels = (name: 'article' | 'leaflet') => new Set(paragraphs(made[name].xml.document).flatMap((paragraph) => (/^Heading\d$/.test(paragraph.style ?? '') ? [paragraph.style] : [])));
    expect(levels('article')).toEqual(new Set(['Heading1', 'Heading2', 'Heading3']));
    expect(levels('leaflet')).toEqual(new Set(['Heading1', 'Heading2']));
  });

  it('names the print’s typefaces, with Word’s nearest as their alternates, and the language for spelling', () => {
    const { styles, fontTable } = made.leaflet.xml;
    expect(styles).toContain('<w:rFonts w:ascii="Source Serif 4" w:hAnsi="Source Serif 4"/>');
    expect(styles).toContain('<w:rFonts w:ascii="Source Sans 3" w:hAnsi="Source Sans 3"/>');
    expect(styles).toContain('<w:lang w:val="en-GB"/>');
    expect(fontTable).toContain('<w:font w:name="Source Serif 4"><w:altName w:val="Georgia"/>');
    expect(fontTable).toContain('<w:font w:name="Source Sans 3"><w:altName w:val="Segoe UI"/>');
  });

  it('sets each call-out as shaded paragraphs with its title in bold, and the lists as Word lists', () => {
    const { document } = made.leaflet.xml;
    const shaded = paragraphs(document.replace(/<w:p>(?=[\s\S]*?<w:shd)/g, '<w:p>')).filter((paragraph) => paragraph.text);
    for (const title of ['Key points', 'Note', 'Tip: Make it a habit', 'Important: Using a foot massager', 'Caution', 'Warning: When to get help']) {
      const at = document.indexOf(`>${title.split(': ')[0]}`);
      expect(at, title).toBeGreaterThan(-1);
      const paragraph = document.slice(document.lastIndexOf('<w:p>', at), document.indexOf('</w:p>', at));
      expect(paragraph, title).toMatch(/<w:shd [^>]*w:fill="[0-9A-F]{6}"/);
      expect(paragraph, title).toContain('<w:b/>');
    }
    expect(shaded.length).toBeGreaterThan(10);
    expect(document.match(/<w:numPr>/g)!.length).toBeGreaterThanOrEqual(9);
  });

  it('carries the torture book’s footnotes as Word footnotes, its pictures with their alt text, its tables and links', () => {
    const { document, footnotes, rels } = made.torture.xml;
    const references = document.match(/<w:footnoteReference w:id="\d+"\/>/g) ?? [];
    const notes = footnotes.match(/<w:footnote w:id="\d+">/g) ?? [];
    expect(references.length).toBeGreaterThan(0);
    // Word's separators are footnotes -1 and 0; each citation has a footnote of its own (a note cited twice is two).
    expect(notes.filter((note) => !/w:id="(-1|0)"/.test(note))).toHaveLength(references.length);
    expect(new Set(references).size).toBe(references.length);
    expect(footnotes).toContain('A note with two paragraphs.');
    // Each picture with the alt text it has in the text (none for a decorative one), under an id of its own.
    const pictures = [...document.matchAll(/<wp:docPr id="(\d+)" [^>]*descr="([^"]*)"/g)].map((match) => ({ id: match[1]!, alt: decodeXml(match[2]!) }));
    const alts = made.torture.publication.document.chapters.flatMap((chapter) => selectAll('img', chapter.tree).map((image) => String(image.properties.alt ?? '')));
    expect(pictures.map((picture) => picture.alt)).toEqual(alts);
    expect(alts.filter(Boolean).length).toBeGreaterThan(3);
    expect(new Set(pictures.map((picture) => picture.id)).size).toBe(pictures.length);
    expect((document.match(/<w:tbl>/g) ?? []).length).toBeGreaterThan(0);
    expect(document).toContain('<w:tblHeader/>');
    expect(rels).toMatch(/TargetMode="External"/);
    // A link within the text goes to a bookmark that is there.
    const anchors = [...document.matchAll(/<w:hyperlink [^>]*w:anchor="([^"]+)"/g)].map((match) => match[1]!);
    const bookmarks = new Set([...document.matchAll(/<w:bookmarkStart [^>]*w:name="([^"]+)"/g)].map((match) => match[1]!));
    expect(anchors.length).toBeGreaterThan(3);
    expect(anchors.filter((anchor) => !bookmarks.has(anchor))).toEqual([]);
  });

  it('writes a review copy’s marks as tracked changes, w:ins and w:del, that LibreOffice shows', async () => {
    const { document } = made.review.xml;
    const inserted = [...document.matchAll(/<w:ins [^>]*>([\s\S]*?)<\/w:ins>/g)].map((match) => [...match[1]!.matchAll(/<w:t[^>]*>([^<]*)</g)].map((text) => decodeXml(text[1]!)).join('')).join(' ');
    const deleted = [...document.matchAll(/<w:del [^>]*>([\s\S]*?)<\/w:del>/g)].map((match) => [...match[1]!.matchAll(/<w:delText[^>]*>([^<]*)</g)].map((text) => decodeXml(text[1]!)).join('')).join(' ');
    const words = (text: string) => foldSpace(text).replace(/\s+([,.;:])/g, '$1');
    const expected = (kind: 'inserted' | 'deleted') => words(MARKS_IN_ORDER.flatMap((edit) => (edit[kind] ? [edit[kind]] : [])).join(' '));
    expect(words(inserted)).toBe(expected('inserted'));
    expect(words(deleted)).toBe(expected('deleted'));
    expect(document).toMatch(/<w:ins w:id="\d+" w:author="[^"]+" w:date="\d{4}-\d{2}-\d{2}T[\d:]+Z">/);
    // LibreOffice reads both sides of each change.
    const text = await textOf('review');
    expect(text).toContain('Do these stretches three times twice a day');
    expect(text).toContain('Review copy: Changes since version 1');
  });
});
