/**
 * Apply the templates: the rendered document and its metadata become the
 * print edition's HTML page and the ebook's chapters, stylesheet and package
 * templates, all from `templates/` and `styles/`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { fontFaceCss, FONT_FACES, type FontFace } from '../fonts.js';
import type { Resource } from '../browser.js';
import QRCode from 'qrcode';
import { EDITIONS, type EditionId } from '../editions.js';
import type { Asset } from '../manuscript/images.js';
import type { Metadata } from '../manuscript/metadata.js';
import type { Heading, RenderedDocument } from './markdown.js';
import { linkAcrossChapters } from './ebook-links.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATES = path.join(PROJECT_ROOT, 'templates');
const STYLES = path.join(PROJECT_ROOT, 'styles');

export interface Publication {
  metadata: Metadata;
  /** Base name of the output files. */
  slug: string;
  /** Stable identifier: from the front matter, or derived from title and authors. */
  identifier: string;
  authors: string[];
  /** The moment the build stands for (SOURCE_DATE_EPOCH when set). */
  buildTime: Date;
  headings: Heading[];
  print: {
    /** One complete HTML page per print edition, in the order the front matter lists them. */
    editions: PrintEdition[];
    /** What the pages may load, by relative URL: fonts and images. */
    resources: ReadonlyMap<string, Resource>;
  };
  ebook: EbookSource;
}

export interface PrintEdition {
  id: EditionId;
  label: string;
  html: string;
}

export interface TemplateAssets {
  /** The masthead logo from the front matter. */
  logo?: Asset;
}

/** Printed in the imprint when the front matter gives no `disclaimer`. */
export const DEFAULT_DISCLAIMER =
  'This handout is for general information only. It is not a substitute for professional medical advice, diagnosis or treatment. ' +
  'Always ask your doctor or another qualified health professional about any questions you have about a medical condition.';

export interface EbookChapter {
  title: string;
  filename: string;
  content: string;
  opening: boolean;
  epubType: string;
  labelledBy: string;
}

export interface TocEntry {
  text: string;
  href: string;
  children: TocEntry[];
}

export interface EbookSource {
  titleId: string;
  titleHtml: string;
  byline: string;
  css: string;
  fonts: readonly FontFace[];
  chapters: EbookChapter[];
  toc: TocEntry[];
  templates: { chapterXHTML: string; contentOPF: string; tocXHTML: string; tocNCX: string };
}

export async function applyTemplates(
  document: RenderedDocument,
  metadata: Metadata,
  buildTime: Date,
  assets: TemplateAssets = {},
): Promise<Publication> {
  const authors = metadata.author ?? [];
  const byline = [authors.join(', '), metadata.date && formatDate(metadata.date, metadata.lang)].filter(Boolean).join(' · ');
  const [baseCss, printCss, ebookCss, printTemplate, fontFiles] = await Promise.all([
    readFile(path.join(STYLES, 'base.css'), 'utf8'),
    readFile(path.join(STYLES, 'print.css'), 'utf8'),
    readFile(path.join(STYLES, 'ebook.css'), 'utf8'),
    readFile(path.join(TEMPLATES, 'print.html.ejs'), 'utf8'),
    Promise.all(FONT_FACES.map(async (face): Promise<[string, Resource]> => [`fonts/${face.fileName}`, { mediaType: 'font/woff2', bytes: await readFile(face.path) }])),
  ]);
  const fonts = fontFaceCss();

  const imprint = await imprintOf(metadata);
  const editions = await Promise.all(
    metadata.editions.map(async (id): Promise<PrintEdition> => {
      const edition = EDITIONS[id];
      const editionCss = await Promise.all(edition.stylesheets.map((name) => readFile(path.join(STYLES, 'editions', name), 'utf8')));
      const html = ejs.render(printTemplate, {
        metadata,
        edition: id,
        authors,
        byline,
        logo: assets.logo,
        imprint,
        title: document.title,
        body: edition.hyphenate ? document.hyphenatedHtml : document.html,
        css: [fonts, baseCss, printCss, ...editionCss].join('\n'),
        cssString,
      });
      return { id, label: edition.label, html };
    }),
  );

  const chapterFiles = document.chapters.map((chapter) => chapterFileName(chapter.index, document, chapter.title));
  const chapterHtml = linkAcrossChapters(document.chapters, chapterFiles);
  const chapters: EbookChapter[] = document.chapters.map((chapter, index) => ({
    title: chapter.title,
    filename: chapterFiles[index]!,
    content: chapterHtml[index]!,
    opening: index === 0,
    epubType: index === 0 ? 'introduction' : 'chapter',
    labelledBy: document.headings.find((heading) => heading.chapter === index && heading.rank > 1)?.id ?? '',
  }));

  return {
    metadata,
    slug: metadata.slug ?? slugify(metadata.title),
    identifier: metadata.identifier ?? derivedIdentifier(metadata.title, authors),
    authors,
    buildTime,
    headings: document.headings,
    print: {
      editions,
      resources: new Map([...fontFiles, ...[...document.assets, ...(assets.logo ? [assets.logo] : [])].map((asset): [string, Resource] => [asset.key, asset])]),
    },
    ebook: {
      titleId: document.title.id,
      titleHtml: document.title.html,
      byline,
      css: [fonts, baseCss, ebookCss].join('\n'),
      fonts: FONT_FACES,
      chapters,
      toc: tocTree(document, chapterFiles),
      templates: {
        chapterXHTML: await readFile(path.join(TEMPLATES, 'epub/chapter.xhtml.ejs'), 'utf8'),
        contentOPF: await readFile(path.join(TEMPLATES, 'epub/content.opf.ejs'), 'utf8'),
        tocXHTML: await readFile(path.join(TEMPLATES, 'epub/nav.xhtml.ejs'), 'utf8'),
        tocNCX: await readFile(path.join(TEMPLATES, 'epub/toc.ncx.ejs'), 'utf8'),
      },
    },
  };
}

/** Nested table of contents: the title (the opening chapter), then every other heading, nested by rank. */
function tocTree(document: RenderedDocument, chapterFiles: string[]): TocEntry[] {
  const root: TocEntry[] = [{ text: document.title.text, href: chapterFiles[0]!, children: [] }];
  const stack: { rank: number; children: TocEntry[] }[] = [{ rank: 0, children: root }];
  const chapterStarts = new Set(document.chapters.map((chapter) => document.headings.find((h) => h.chapter === chapter.index && h.id !== document.title.id)));
  for (const heading of document.headings) {
    if (heading.id === document.title.id) continue;
    const file = chapterFiles[heading.chapter]!;
    const entry: TocEntry = { text: heading.text, href: chapterStarts.has(heading) ? file : `${file}#${heading.id}`, children: [] };
    while (stack.length > 1 && stack[stack.length - 1]!.rank >= heading.rank) stack.pop();
    stack[stack.length - 1]!.children.push(entry);
    stack.push({ rank: heading.rank, children: entry.children });
  }
  return root;
}

function chapterFileName(index: number, document: RenderedDocument, title: string): string {
  const heading = document.headings.find((h) => h.chapter === index && h.rank > 1);
  return `${String(index).padStart(2, '0')}-${heading?.id || slugify(title) || 'chapter'}.xhtml`;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A `urn:uuid:` made from the title and authors, so rebuilds keep the identifier readers and stores track. */
function derivedIdentifier(title: string, authors: string[]): string {
  const hex = createHash('sha256').update(JSON.stringify([title, authors])).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What the imprint box at the end of the handout says; the QR code is vector SVG, so it prints sharp at any size. */
async function imprintOf(metadata: Metadata) {
  const url = metadata.downloadUrl;
  const qrSvg = url
    ? (await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 })).replace(
        '<svg ',
        `<svg role="img" aria-label="${ejs.escapeXML(`QR code: ${url}`)}" class="qr-code" `,
      )
    : '';
  return {
    publisher: metadata.publisher,
    contact: metadata.contact ?? [],
    disclaimer: metadata.disclaimer ?? DEFAULT_DISCLAIMER,
    rights: metadata.rights,
    downloadUrl: url,
    // Printed beside the code for readers who type it: no scheme, no trailing slash.
    downloadLabel: url?.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    qrSvg,
  };
}

/** A CSS string literal, for text put into `content:` of the page margin boxes. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ')}"`;
}

function formatDate(date: string, lang: string): string {
  const parts = date.split('-').map(Number);
  if (parts.length < 3) return date;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(parts[0]!, parts[1]! - 1, parts[2]!)),
  );
}
