/**
 * Apply the templates: the rendered document and its metadata become the
 * print edition's HTML page and the ebook's chapters, stylesheet and package
 * templates, all from `templates/` and `styles/`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { distinctFontFiles, fontFaceCss, fontFacesFor, type FontFace } from '../fonts.js';
import { languageOf } from '../languages.js';
import { fillIn, messagesFor, type Messages, type MessageTexts } from '../messages.js';
import type { Resource } from '../browser.js';
import QRCode from 'qrcode';
import { EDITIONS, type EditionId } from '../editions.js';
import type { Metadata } from '../manuscript/metadata.js';
import { COVER_SIZE, type Manuscript } from '../manuscript/load.js';
import type { Heading, RenderedDocument } from './markdown.js';
import { ebookContent, type EbookContent } from './ebook.js';
import { isolatedHtml } from './rehype-isolate-bidi.js';
import type { Tagline } from '../manuscript/taglines.js';
import { normalUrl, type PrintTagHints } from './rehype-print-tags.js';
import type { AccessibilityGaps } from './rehype-accessibility-warnings.js';
import { formatDate, leafletOf, type Leaflet } from './leaflet.js';
import { PROJECT_ROOT } from '../project-root.js';

// The project folder (scripts/project-root.ts), also for what imports it from here.
export { PROJECT_ROOT };
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
  /** Authors and date, as the masthead and the ebook's title page give them. */
  byline: string;
  print: {
    /** One complete HTML page per print edition, in the order the front matter lists them. */
    editions: PrintEdition[];
    /** The PDF's XMP metadata packet (templates/pdf/xmp.xml.ejs), filled in by outputs/pdf.ts. */
    xmpTemplate: string;
    /** What the pages may load, by relative URL: fonts and images. */
    resources: ReadonlyMap<string, Resource>;
    /** What the PDF's tag tree needs from the print page (render/rehype-print-tags.ts): its links' texts, its tables. */
    tags: PrintTagHints;
  };
  /** The ebook's chapters, navigation and package templates. */
  readonly ebook: EbookSource;
  language: PublicationLanguage;
}

/** The publication's language: its direction and the fixed texts in it (scripts/languages.ts, scripts/messages.ts). */
export interface PublicationLanguage {
  dir: 'ltr' | 'rtl';
  messages: Messages;
}

export interface PrintEdition {
  id: EditionId;
  label: string;
  html: string;
  /** Justified with soft hyphens (front matter `align: justify`): printed keeping the rules of hyphenation. */
  justified: boolean;
}

/** Justified, hyphenated setting (front matter `align: justify`), over the plain-language ragged-right default. */
const JUSTIFIED_STYLESHEET = 'justified.css';

/** The images the front matter names: the masthead logo, and a finished cover or art for the drawn one. */
export type TemplateAssets = Pick<Manuscript, 'logo' | 'cover' | 'coverArt'>;

/** Printed in the imprint when the front matter gives no `disclaimer`. */
export const DEFAULT_DISCLAIMER = messagesFor('en').texts.defaultDisclaimer;

export type { EbookChapter, TocEntry } from './ebook.js';

/** EPUB Accessibility 1.1 metadata (schema.org properties and the conformance claim). */
export interface Accessibility {
  accessModes: string[];
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
  /** The conformance claim; none when the book does not meet it. */
  conformsTo?: string;
  certifiedBy?: string;
  /**
   * The print edition the page-break markers come from, when there are some: written as a `dc:source`
   * that is the `source-of` pagination, as EPUB 3.2 has it and Ace asks; EPUB Accessibility 1.1's
   * `a11y:pageBreakSource` is an undefined property to EPUBCheck 4.2 (an error).
   */
  pageBreakSource?: string;
}

/** The cover page Chromium draws and captures when the front matter names no finished `cover`. */
export interface CoverPage {
  html: string;
  resources: ReadonlyMap<string, Resource>;
  width: number;
  height: number;
}

export interface EbookSource extends EbookContent {
  titleId: string;
  titleHtml: string;
  byline: string;
  /** What the closing imprint page says (the print edition's imprint box, without the QR code). */
  imprint: Imprint;
  /** The review block, contact panel and other formats the closing imprint page sets (render/leaflet.ts). */
  leaflet: Leaflet;
  css: string;
  fonts: readonly FontFace[];
  /** Every character the ebook shows (its script fonts are cut down to these when packed). */
  fontText: string;
  /** What the package says of the book's accessibility; with the print edition its page breaks come from, if any. */
  accessibility(pageBreakSource?: string): Accessibility;
  /** Writing direction: `rtl` makes the spine's page progression right to left. */
  dir: 'ltr' | 'rtl';
  templates: { chapterXHTML: string; contentOPF: string; tocXHTML: string; tocNCX: string };
}

export async function applyTemplates(
  document: RenderedDocument,
  metadata: Metadata,
  buildTime: Date,
  assets: TemplateAssets = {},
  /** The language-assistance lines the imprint ends with (manuscript/taglines.ts). */
  { taglines = [] }: { taglines?: readonly Tagline[] } = {},
): Promise<Publication> {
  const authors = metadata.author ?? [];
  const byline = [authors.join(', '), metadata.date && formatDate(metadata.date, metadata.lang)].filter(Boolean).join(' · ');
  const language = languageOf(metadata.lang);
  const messages = messagesFor(metadata.lang);
  const { texts } = messages;
  const leaflet = leafletOf(metadata);
  // The fonts are chosen for what each edition shows: the text, the front matter, and the fixed texts it prints.
  const shownText = [
    document.html,
    metadata.title,
    metadata.subtitle,
    metadata.publisher,
    byline,
    metadata.rights,
    metadata.disclaimer ?? texts.defaultDisclaimer,
    texts.medicalDisclaimer,
    ...(metadata.contact ?? []),
    ...taglines.map((line) => line.text),
    // The leaflet's own lines: labels, dates written out in the language ("2024年3月1日"), the other formats.
    ...labelTexts(leaflet.labels),
    leaflet.reviewHtml,
    leaflet.contactHtml,
    leaflet.foot,
    ...(['ebook', ...metadata.editions] as const).map((edition) => leaflet.alternativeFormats(edition)),
  ];
  const hasCode = /<(code|pre|kbd|samp)[\s>]/.test(document.html);
  const fontFaces = fontFacesFor(shownText.join('\n'), hasCode, metadata.lang);
  const ebookTemplate = (name: string) => readFile(path.join(TEMPLATES, 'epub', name), 'utf8');
  const [baseCss, printCss, ebookCss, leafletCss, printTemplate, xmpTemplate, fontFiles, chapterXHTML, contentOPF, tocXHTML, tocNCX] = await Promise.all([
    readFile(path.join(STYLES, 'base.css'), 'utf8'),
    readFile(path.join(STYLES, 'print.css'), 'utf8'),
    readFile(path.join(STYLES, 'ebook.css'), 'utf8'),
    readFile(path.join(STYLES, 'leaflet.css'), 'utf8'),
    readFile(path.join(TEMPLATES, 'print.html.ejs'), 'utf8'),
    readFile(path.join(TEMPLATES, 'pdf', 'xmp.xml.ejs'), 'utf8'),
    fontResources(fontFaces),
    ebookTemplate('chapter.xhtml.ejs'),
    ebookTemplate('content.opf.ejs'),
    ebookTemplate('nav.xhtml.ejs'),
    ebookTemplate('toc.ncx.ejs'),
  ]);
  const fonts = fontFaceCss(fontFaces);
  // Right-to-left and CJK typesetting (styles/scripts/), after every other sheet.
  const scriptCss = (await Promise.all(language.stylesheets.map((name) => readFile(path.join(STYLES, 'scripts', name), 'utf8')))).join('\n');

  const imprint = await imprintOf(metadata, messages.texts, taglines);
  const editions = await Promise.all(
    metadata.editions.map(async (id): Promise<PrintEdition> => {
      const edition = EDITIONS[id];
      // Justified only where the edition allows it (not large print) and the front matter asks for it.
      const justified = edition.hyphenate && document.hyphenatedHtml !== undefined;
      const stylesheets = [...edition.stylesheets, ...(justified ? [JUSTIFIED_STYLESHEET] : [])];
      const editionCss = await Promise.all(stylesheets.map((name) => readFile(path.join(STYLES, 'editions', name), 'utf8')));
      const html = ejs.render(printTemplate, {
        metadata,
        edition: id,
        authors,
        byline,
        logo: assets.logo,
        imprint,
        leaflet,
        title: document.title,
        body: justified ? document.hyphenatedHtml : document.html,
        css: [fonts, baseCss, printCss, leafletCss, ...editionCss, scriptCss].join('\n'),
        cssString,
        dir: language.dir,
        isolate: (text: string) => isolatedHtml(text, language.dir),
        messages: messages.texts,
        logoAlt: metadata.publisher ? fillIn(messages.texts.logoOf, { publisher: metadata.publisher }) : messages.texts.logo,
      });
      return { id, label: edition.label, html, justified };
    }),
  );

  const ebook = (): EbookSource => {
    const content = ebookContent(document, metadata, authors, assets.cover?.mediaType ?? COVER_PAGE_MEDIA_TYPE, messages.texts);
    // The ebook shows its navigation and not the print's QR line: its fonts are chosen for what it shows (a CJK
    // slice is 20–40 kB).
    const navigation = [texts.contents, texts.landmarks, ...content.landmarks.map((landmark) => landmark.text), ...tocTexts(content.toc)];
    const ebookText = [...shownText, imprint.title, ...navigation].join('\n');
    const ebookFontFaces = fontFacesFor(ebookText, hasCode, metadata.lang);
    return {
      ...content,
      titleId: document.title.id,
      titleHtml: content.titleXhtml,
      byline,
      imprint,
      leaflet,
      css: [fontFaceCss(ebookFontFaces), baseCss, ebookCss, leafletCss, scriptCss].join('\n'),
      fonts: distinctFontFiles(ebookFontFaces),
      fontText: ebookText,
      accessibility: (pageBreakSource) => accessibility(metadata, authors, content, document.accessibilityGaps, messages, pageBreakSource),
      dir: language.dir,
      templates: { chapterXHTML, contentOPF, tocXHTML, tocNCX },
    };
  };
  let madeEbook: EbookSource | undefined;

  return {
    metadata,
    slug: slugOf(metadata),
    identifier: metadata.identifier ?? derivedIdentifier(metadata.title, authors),
    authors,
    byline,
    buildTime,
    headings: document.headings,
    print: {
      editions,
      xmpTemplate,
      resources: new Map([...fontFiles, ...[...document.assets, ...(assets.logo ? [assets.logo] : [])].map((asset): [string, Resource] => [asset.key, asset])]),
      tags: { ...document.printTags, linkTexts: new Map([...document.printTags.linkTexts, ...imprintLinkTexts(imprint)]) },
    },
    // Made when first asked for (by the EPUB, once Chromium is printing): it was 0.09 s of the 300-page
    // book's 0.11 s of templates, all before the print could start.
    get ebook() {
      return (madeEbook ??= ebook());
    },
    language: { dir: language.dir, messages },
  };
}

/** Scripts written without spaces between sentences. */
const CLOSE_SET_SCRIPTS = new Set(['Jpan', 'Hans', 'Hant', 'Hani']);

/** Every fixed text of a leaflet's labels (leaflet-labels.ts), for the fonts. */
const labelTexts = (labels: Leaflet['labels']): string[] => Object.values(labels).flatMap((value) => (typeof value === 'string' ? [value] : Object.values(value)));

const tocTexts = (entries: EbookContent['toc']): string[] => entries.flatMap((entry) => [entry.text, ...tocTexts(entry.children)]);

/** The type of the image a drawn cover page is captured as. */
export const COVER_PAGE_MEDIA_TYPE = 'image/png';

/**
 * The cover page, from the front matter alone (title, subtitle, authors, publisher and
 * `coverArt`): the build draws it while the Markdown is still being rendered.
 */
export async function applyCoverTemplate(metadata: Metadata, assets: Pick<TemplateAssets, 'coverArt'>): Promise<CoverPage> {
  const authors = metadata.author ?? [];
  // The cover sets its subtitle in the body face's italic.
  const fontFaces = fontFacesFor([metadata.title, metadata.subtitle, metadata.publisher, ...authors].join('\n'), false, metadata.lang, {
    italic: Boolean(metadata.subtitle),
    bold: false,
  });
  const [template, fontFiles] = await Promise.all([readFile(path.join(TEMPLATES, 'cover.html.ejs'), 'utf8'), fontResources(fontFaces)]);
  const html = ejs.render(template, {
    metadata,
    authors,
    fonts: fontFaceCss(fontFaces),
    dir: languageOf(metadata.lang).dir,
    art: assets.coverArt?.key,
    titleSize: coverTitleSize(metadata.title),
    ...COVER_SIZE,
  });
  const art: [string, Resource][] = assets.coverArt ? [[assets.coverArt.key, assets.coverArt]] : [];
  return { html, resources: new Map([...fontFiles, ...art]), ...COVER_SIZE };
}

/** The font files, under the `fonts/` path the `@font-face` rules name. */
const fontResources = (faces: readonly FontFace[]) =>
  Promise.all(distinctFontFiles(faces).map(async (face): Promise<[string, Resource]> => [`fonts/${face.fileName}`, { mediaType: 'font/woff2', bytes: await readFile(face.path) }]));

/**
 * What the EPUB tells reading systems and stores about its accessibility, computed from
 * the book: the conformance claim (WCAG 2.1 AA, EPUB Accessibility 1.1), text as a
 * sufficient way to read it and alternative text are said only when every image is
 * described or marked decorative and every change of language is marked; the summary
 * says what the other metadata cannot: how the book can be read, and what is missing.
 */
function accessibility(
  metadata: Metadata,
  authors: string[],
  content: EbookContent,
  gaps: AccessibilityGaps,
  { lang, texts }: Messages,
  pageBreakSource?: string,
): Accessibility {
  const imagesDescribed = gaps.undescribedImages.length === 0;
  const languagesMarked = gaps.untaggedLanguageChanges.length === 0;
  const conforms = imagesDescribed && languagesMarked;
  const mathml = content.chapters.some((chapter) => chapter.properties.includes('mathml'));
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    'displayTransformability',
    'ARIA',
    ...(imagesDescribed ? ['alternativeText'] : []),
    ...(pageBreakSource ? ['pageBreakMarkers', 'pageNavigation'] : []),
    ...(mathml ? ['MathML'] : []),
  ];
  // In English, what is missing is counted and named; the message files of other languages say it in general.
  const english = lang === 'en';
  const missing = [
    ...(imagesDescribed
      ? []
      : [
          english
            ? `${count(gaps.undescribedImages.length, 'image has', 'images have')} no text description, so a reader who cannot see ${gaps.undescribedImages.length > 1 ? 'them' : 'it'} misses what ${gaps.undescribedImages.length > 1 ? 'they show' : 'it shows'}.`
            : texts.summaryImagesNotDescribed,
        ]),
    ...(languagesMarked
      ? []
      : [
          english
            ? `Words in other scripts (${[...new Set(gaps.untaggedLanguageChanges)].slice(0, 4).join(', ')}) are not marked with their language, so a screen reader may mispronounce them.`
            : texts.summaryLanguagesNotMarked,
        ]),
  ];
  const separator = CLOSE_SET_SCRIPTS.has(languageOf(lang).script) ? '' : ' ';
  const summary =
    metadata.accessibilitySummary ??
    [
      texts.summaryReadable,
      pageBreakSource ? fillIn(texts.summaryPageNumbers, { source: pageBreakSource }) : '',
      content.describedImages && imagesDescribed ? texts.summaryImagesDescribed : '',
      conforms ? texts.summaryConformance : fillIn(texts.summaryNotConforming, { reasons: missing.join(separator) }),
    ]
      .filter(Boolean)
      .join(separator);
  return {
    accessModes: ['textual', 'visual'],
    accessModesSufficient: imagesDescribed ? ['textual', 'textual,visual'] : ['textual,visual'],
    features,
    hazards: ['none'],
    summary,
    conformsTo: conforms ? 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA' : undefined,
    certifiedBy: conforms ? (metadata.publisher ?? authors.join(', ')) : undefined,
    pageBreakSource,
  };
}

const count = (n: number, one: string, many: string) => `${n === 1 ? 'One' : n} ${n === 1 ? one : many}`;

/** The cover title's size in px: as large as a title of that length can be set across the cover. */
function coverTitleSize(title: string): number {
  const longestWord = Math.max(...title.split(/\s+/).map((word) => word.length));
  const byLength = title.length <= 24 ? 200 : title.length <= 48 ? 170 : title.length <= 90 ? 130 : 100;
  // Its longest word must fit on a line: about 0.55 em a character in Source Sans 3 Bold, 1320 px wide.
  return Math.min(byLength, Math.floor(1320 / (0.55 * Math.max(longestWord, 1))));
}

/** Base name of a publication's files: the front matter's `slug`, or a slug of its title. */
export const slugOf = (metadata: Pick<Metadata, 'slug' | 'title'>) => metadata.slug ?? slugify(metadata.title);

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A `urn:uuid:` made from the title and authors, so rebuilds keep the identifier readers and stores track. */
export function derivedIdentifier(title: string, authors: string[]): string {
  return uuidUrnOf(JSON.stringify([title, authors]));
}

/** A URN in a name-based UUID's form for `text`: the same text, the same URN. */
export function uuidUrnOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The white margin around the QR code, in modules: what the QR standard (ISO/IEC 18004) asks for, drawn in the code itself. */
export const QR_QUIET_ZONE = 4;

/** What the imprint box at the end of the handout says; the QR code is vector SVG, so it prints sharp at any size. */
export type Imprint = Awaited<ReturnType<typeof imprintOf>>;

async function imprintOf(metadata: Metadata, messages: MessageTexts, taglines: readonly Tagline[]) {
  const url = metadata.downloadUrl;
  const qrSvg = url
    ? (await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: QR_QUIET_ZONE })).replace(
        '<svg ',
        `<svg role="img" aria-label="${ejs.escapeXML(fillIn(messages.qrCode, { url }))}" class="qr-code" `,
      )
    : '';
  return {
    title: messages.imprintTitle,
    disclaimerLabel: messages.medicalDisclaimer,
    publisher: metadata.publisher,
    contact: metadata.contact ?? [],
    disclaimer: metadata.disclaimer ?? messages.defaultDisclaimer,
    // Each in its own language and direction, its numbers and Latin words isolated as in a text of that direction.
    taglines: taglines.map((line) => ({ ...line, html: isolatedHtml(line.text, line.dir) })),
    rights: metadata.rights,
    downloadUrl: url,
    // Printed beside the code for readers who type it: no scheme, no trailing slash.
    downloadLabel: url?.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    qrSvg,
  };
}

/** The imprint's link to the ebook, described as the sentence around it says. */
function imprintLinkTexts(imprint: Imprint): [string, string][] {
  if (!imprint.downloadUrl) return [];
  const text = `Get this handout as an ebook: ${imprint.downloadLabel}`;
  return [imprint.downloadUrl, normalUrl(imprint.downloadUrl)].map((href) => [href, text]);
}

/** A CSS string literal, for text put into `content:` of the page margin boxes. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ')}"`;
}
