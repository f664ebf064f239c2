/**
 * Apply the templates: the rendered document and its metadata become the
 * print edition's HTML page and the ebook's chapters, stylesheet and package
 * templates, all from `templates/` and `styles/`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { distinctFontFiles, fontFaceCss, fontFacesFor, fontResources } from '../fonts/faces.js';
import type { FontFace } from '../fonts/coverage.js';
import { languageOf } from '../languages/language.js';
import { formattingLocale, numeralsCss, numeralsOf } from '../languages/numerals.js';
import { fillIn, messageFileFor, messagesFor, type Messages } from '../languages/fixed-texts.js';
import { sharedResourceUrl, type Resource } from '../base/resource.js';
import { EDITIONS, type EditionId } from '../base/editions.js';
import { pageRule } from './page-rule.js';
import type { PressInput } from '../manuscript/press-profile.js';
import type { Metadata } from '../manuscript/metadata.js';
import type { Manuscript } from '../manuscript/load.js';
import { derivedIdentifier, slugOf } from '../manuscript/identity.js';
import type { Tagline } from '../manuscript/taglines.js';
import { STYLES, TEMPLATES } from '../base/project-root.js';
import type { Heading, RenderedDocument } from './markdown.js';
import { ebookContent, type EbookContent } from './ebook.js';
import { isolatedHtml } from './plugins/rehype-isolate-bidi.js';
import type { PrintTagHints } from './plugins/rehype-print-tags.js';
import { formatDate, leafletOf, type Leaflet } from './leaflet.js';
import { imprintLinkTexts, imprintOf, type Imprint } from './imprint.js';
import { epubAccessibility, type Accessibility } from './epub-accessibility.js';
import { COVER_PAGE_MEDIA_TYPE } from './cover-page.js';
import { webContent, type WebContent } from './web.js';
import { WEB_PAGE } from '../base/web-pages.js';
import { reviewBoxHtml, reviewNotes, type ReviewComparison, type ReviewNotes } from './review-notes.js';
import type { ChangeCount } from './changes.js';

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
    /** styles/fit.css: what a print fitted to a number of pages adds (pdf-postprocess/fit-pages.ts). */
    fitCss: string;
    /** For a press file: the print shop's ICC profile, and sRGB for Chromium's colours (pdf-postprocess/press.ts). */
    press?: PressInput;
    /** What the pages may load, by relative URL (images) or by the shared URL of their key (fonts). */
    resources: ReadonlyMap<string, Resource>;
    /** The faces the pages declare (their files are among `resources`, under `fonts/`). */
    fonts: readonly FontFace[];
    /** The `@font-face` rules of the print pages, naming their fonts by the shared URLs of their keys in `resources`. */
    fontCss: string;
    /** What the PDF's tag tree needs from the print page (render/rehype-print-tags.ts): its links' texts, its tables. */
    tags: PrintTagHints;
  };
  /** The ebook's chapters, navigation and package templates. */
  readonly ebook: EbookSource;
  /** The web edition's page: its text, template and stylesheet. */
  readonly web: WebSource;
  language: PublicationLanguage;
  /** The rendered text the editions are made from (the Word file reads its tree). */
  document: RenderedDocument;
  /** A review copy's: what it is compared with, what is marked, and the notes set above the text. */
  review?: ReviewCopy;
}

export interface ReviewCopy extends ReviewComparison {
  changes?: ChangeCount;
  /** What the notes above the text say (render/review-notes.ts). */
  notes: ReviewNotes;
  /** The notes' box, as both the print page and the review page set it. */
  boxHtml: string;
  /** Whether nothing changed: not the text, not the front matter, not a translation's source. */
  unchanged: boolean;
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
export type TemplateAssets = Pick<Manuscript, 'logo' | 'cover' | 'coverArt' | 'pressProfile'>;

/** Printed in the imprint when the front matter gives no `disclaimer`. */
export const DEFAULT_DISCLAIMER = messagesFor('en').texts.defaultDisclaimer;

export type { EbookChapter, TocEntry } from './ebook.js';

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

export interface WebSource {
  /** Its page in the web edition's folder: `index.html`, or a translation's `<slug>.<lang>.html` (base/web-pages.ts). */
  page: string;
  content: WebContent;
  /** The id of the title heading, which names the page's article. */
  titleId: string;
  template: string;
  /** The page's stylesheet but its fonts, which are declared for what the finished page shows (outputs/web-edition.ts). */
  css: string;
  byline: string;
  imprint: Imprint;
  leaflet: Leaflet;
  /** The masthead logo, as the page shows it from its folder. */
  logo?: { href: string; alt: string; asset: Resource };
}

/** Where applyTemplates takes what the manuscript alone does not say. */
export interface TemplateOptions {
  /** The language-assistance lines the imprint ends with (manuscript/taglines.ts). */
  taglines?: readonly Tagline[];
  /** The publication's page in the web edition (base/web-pages.ts): where the QR code leads, with a `siteUrl`. */
  webPage?: string;
  /** A review copy's comparison (the changes are marked in `document`): its notes go above the text. */
  review?: ReviewComparison;
  /** The print editions to make; the front matter's when not given. */
  editions?: readonly EditionId[];
}

export async function applyTemplates(
  document: RenderedDocument,
  metadata: Metadata,
  buildTime: Date,
  assets: TemplateAssets = {},
  { taglines = [], webPage = WEB_PAGE, review, editions: editionIds = metadata.editions }: TemplateOptions = {},
): Promise<Publication> {
  const authors = metadata.author ?? [];
  const numerals = numeralsOf(metadata);
  const byline = [authors.join(', '), metadata.date && formatDate(metadata.date, formattingLocale(metadata.lang, numerals))].filter(Boolean).join(' · ');
  const language = languageOf(metadata.lang);
  const messages = messagesFor(metadata.lang);
  const { texts } = messages;
  const leaflet = leafletOf(metadata);
  const reviewCopy = review && reviewCopyOf(review, document.changes, metadata.lang);
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
    reviewCopy?.boxHtml,
    ...(['ebook', ...metadata.editions] as const).map((edition) => leaflet.alternativeFormats(edition)),
    // Page numbers and list items in the language's digits come from the stylesheets, not the text.
    numerals?.digits.join('') ?? '',
  ];
  const hasCode = /<(code|pre|kbd|samp)[\s>]/.test(document.html);
  const fontFaces = fontFacesFor(shownText.join('\n'), hasCode, metadata.lang);
  const ebookTemplate = (name: string) => readFile(path.join(TEMPLATES, 'epub', name), 'utf8');
  const [baseCss, printCss, ebookCss, leafletCss, webCss, fitCss, reviewCss, printTemplate, webTemplate, xmpTemplate, fontFiles, chapterXHTML, contentOPF, tocXHTML, tocNCX] = await Promise.all([
    readFile(path.join(STYLES, 'base.css'), 'utf8'),
    readFile(path.join(STYLES, 'print.css'), 'utf8'),
    readFile(path.join(STYLES, 'ebook.css'), 'utf8'),
    readFile(path.join(STYLES, 'leaflet.css'), 'utf8'),
    readFile(path.join(STYLES, 'web.css'), 'utf8'),
    readFile(path.join(STYLES, 'fit.css'), 'utf8'),
    reviewCopy ? readFile(path.join(STYLES, 'review.css'), 'utf8') : '',
    readFile(path.join(TEMPLATES, 'print.html.ejs'), 'utf8'),
    readFile(path.join(TEMPLATES, 'web.html.ejs'), 'utf8'),
    readFile(path.join(TEMPLATES, 'pdf', 'xmp.xml.ejs'), 'utf8'),
    fontResources(fontFaces),
    ebookTemplate('chapter.xhtml.ejs'),
    ebookTemplate('content.opf.ejs'),
    ebookTemplate('nav.xhtml.ejs'),
    ebookTemplate('toc.ncx.ejs'),
  ]);
  // Named by shared URLs: every print of the build (each edition, each leaflet of a library) finds the
  // fonts its renderer has already decoded.
  const fontUrls = new Map(fontFiles.map(([key, resource]) => [key, sharedResourceUrl(key, resource)]));
  const fonts = fontFaceCss(fontFaces, { url: (key) => fontUrls.get(key)! });
  // Right-to-left and CJK typesetting (styles/scripts/), after every other sheet.
  const scriptCss = (await Promise.all(language.stylesheets.map((name) => readFile(path.join(STYLES, 'scripts', name), 'utf8')))).join('\n');
  // The language's own digits for what the stylesheets number (front matter `numerals: native`).
  const [printNumeralsCss, ebookNumeralsCss] = [numeralsCss(numerals, { print: true }), numeralsCss(numerals, { print: false })];

  // A language with no message file prints the English fixed texts: marked as English, set left to right.
  const imprint = await imprintOf(metadata, messages.texts, taglines, webPage, messageFileFor(metadata.lang) ? undefined : messages.lang);
  const editions = await Promise.all(
    editionIds.map(async (id): Promise<PrintEdition> => {
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
        // A tri-fold's key points are on its front panel, with the masthead; its text is on the inside.
        frontPanel: edition.fold?.kind === 'trifold' ? document.frontPanel?.keyPoints : undefined,
        body: edition.fold?.kind === 'trifold' && document.frontPanel ? document.frontPanel.html : justified ? document.hyphenatedHtml : document.html,
        reviewBox: reviewCopy?.boxHtml,
        // A review copy's sheet after the page rule: it takes the bars' room from the left margin.
        css: [fonts, baseCss, printCss, leafletCss, ...editionCss, scriptCss, printNumeralsCss, pageRule(edition), ...(reviewCss ? [reviewCss] : [])].join('\n'),
        runningHeads: edition.fold?.kind !== 'trifold',
        book: isBook(document),
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
    // The ebook shows its navigation and not the print's QR line: its fonts are chosen for what it shows (each
    // CJK slice a character pulls in is a file to pack).
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
      css: [fontFaceCss(ebookFontFaces), baseCss, ebookCss, leafletCss, scriptCss, ebookNumeralsCss].join('\n'),
      fonts: distinctFontFiles(ebookFontFaces),
      fontText: ebookText,
      accessibility: (pageBreakSource) => epubAccessibility(metadata, authors, content, document.accessibilityGaps, messages, pageBreakSource),
      dir: language.dir,
      templates: { chapterXHTML, contentOPF, tocXHTML, tocNCX },
    };
  };
  let madeEbook: EbookSource | undefined;

  const web = (): WebSource => {
    const content = webContent(document, texts.table);
    const logo = assets.logo && { href: logoHref(assets.logo, content.images), asset: assets.logo };
    return {
      page: webPage,
      content,
      titleId: document.title.id,
      template: webTemplate,
      css: [baseCss, leafletCss, webCss, scriptCss, content.css].join('\n'),
      byline,
      imprint,
      leaflet,
      logo: logo && { ...logo, alt: metadata.publisher ? fillIn(texts.logoOf, { publisher: metadata.publisher }) : texts.logo },
    };
  };
  let madeWeb: WebSource | undefined;

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
      fonts: fontFaces,
      fitCss,
      press: assets.pressProfile && { profile: assets.pressProfile, srgb: await readFile(path.join(TEMPLATES, 'pdf', 'sRGB.icc')) },
      fontCss: fonts,
      resources: new Map([...fontFiles, ...[...document.assets, ...(assets.logo ? [assets.logo] : [])].map((asset): [string, Resource] => [asset.key, asset])]),
      tags: { ...document.printTags, linkTexts: new Map([...document.printTags.linkTexts, ...imprintLinkTexts(imprint)]) },
    },
    // Made when first asked for (by the EPUB, once Chromium is printing): it was most of a book's templates,
    // all before the print could start.
    get ebook() {
      return (madeEbook ??= ebook());
    },
    get web() {
      return (madeWeb ??= web());
    },
    language: { dir: language.dir, messages },
    document,
    ...(reviewCopy ? { review: reviewCopy } : {}),
  };
}

function reviewCopyOf(comparison: ReviewComparison, changes: ChangeCount | undefined, lang: string): ReviewCopy {
  const textChanged = Boolean(changes && (changes.insertedWords || changes.deletedWords || changes.changedBlocks));
  const sourceChanged = Boolean(comparison.source && (comparison.source.changed.length || comparison.source.removed.length));
  const notes = reviewNotes(comparison, changes, lang);
  return {
    ...comparison,
    changes,
    notes,
    boxHtml: reviewBoxHtml(notes),
    unchanged: !textChanged && !comparison.frontMatter.length && !sourceChanged,
  };
}

/** The logo beside the web page: where the text's own copy of it is, or a name no image of the text has. */
function logoHref(logo: Resource & { key: string }, images: WebContent['images']): string {
  const extension = path.extname(logo.key).toLowerCase();
  const taken = (href: string) => images.some((image) => image.href === href);
  return images.find((image) => image.key === logo.key)?.href ?? [`images/logo${extension}`, `images/masthead-logo${extension}`].find((href) => !taken(href)) ?? `images/masthead-logo-${images.length}${extension}`;
}

/** Every fixed text of a leaflet's labels (leaflet-labels.ts), for the fonts. */
const labelTexts = (labels: Leaflet['labels']): string[] => Object.values(labels).flatMap((value) => (typeof value === 'string' ? [value] : Object.values(value)));

const tocTexts = (entries: EbookContent['toc']): string[] => entries.flatMap((entry) => [entry.text, ...tocTexts(entry.children)]);

/**
 * A text this long (its body's HTML, in characters: about 60 A4 pages) of chapters this long on average
 * (about two A4 pages) is set as a book: each chapter starts a new page (styles/print.css). So may a long
 * book be printed in parts, cut before chapters, with the very pages of a print of the whole
 * (outputs/print-in-parts.ts). A long text of short chapters (a handout's sections, many times over) is
 * not: a page begun for each would leave most of its pages half empty.
 */
const BOOK_LENGTH = 200_000;
const BOOK_CHAPTER_LENGTH = 6_000;

function isBook(document: RenderedDocument): boolean {
  const chapters = document.chapters.filter((chapter) => !chapter.opening).length;
  return document.html.length >= BOOK_LENGTH && chapters > 1 && document.html.length / chapters >= BOOK_CHAPTER_LENGTH;
}

/** A CSS string literal, for text put into `content:` of the page margin boxes. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\a ')}"`;
}
