/**
 * The ebook edition of a rendered document: the EPUB's content documents as
 * XHTML (a cover page, the masthead, one file per chapter), the images under
 * stable names, the nested table of contents, the landmarks and what the
 * accessibility metadata says about the content.
 *
 * Links are made to work across files: `#id` pointing into another chapter
 * becomes `03-chapter.xhtml#id`. Notes become EPUB 3 notes (`epub:type`
 * `noteref`, `endnotes`); table alignment becomes CSS; every image
 * points at its packed file.
 */
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, ElementContent } from 'hast';
import type { Metadata } from '../manuscript/metadata.js';
import type { RenderedDocument } from './markdown.js';
import { toXhtml } from './xhtml.js';
import { fillIn, messagesFor, type MessageTexts } from '../languages/fixed-texts.js';
import { pageBlockOf, type PrintPages } from './page-blocks.js';
import { presentationAsCss } from './presentational-attributes.js';
import { adjustImage, adjustNotes, adjustTableHeaders, adjustTaskItem, asciiName, imageFiles, type ImageFile } from './reading-markup.js';

/** An image packed in the EPUB, under `images/` in its content folder. */
export type EbookImage = ImageFile;

export type EbookChapterKind = 'cover' | 'titlepage' | 'opening' | 'chapter' | 'imprint';

export interface EbookChapter {
  kind: EbookChapterKind;
  /** Page-break markers under the section's heading (the imprint's, which the template writes; its heading is the ebook's only). */
  pageBreaks?: string;
  title: string;
  filename: string;
  /** XHTML for inside the document's `<section>`. */
  content: string;
  epubType: string;
  /** Id of the heading that names the chapter's section. */
  labelledBy: string;
  /** Manifest properties the content needs (`svg`, `mathml`). */
  properties: string[];
  /** A short publication's chapters, each a `<section>` of the one file after its opening. */
  sections?: EbookSection[];
}

export type EbookSection = Pick<EbookChapter, 'content' | 'epubType' | 'labelledBy'>;

/**
 * A publication shorter than this, whose front matter sets no `chapterLevel`, is one XHTML file
 * with its sections inside: a handout split into ten files of a few paragraphs each made every
 * section start a new screen on a paginated reader.
 */
export const ONE_FILE_WORDS = 2500;

export interface TocEntry {
  text: string;
  href: string;
  children: TocEntry[];
}

/** An entry of the page list: a page of the printed edition, and its marker in the ebook. */
export interface PageListEntry {
  page: number;
  href: string;
}

export interface Landmark {
  type: string;
  href: string;
  text: string;
}

export interface EbookCover {
  /** The cover image's path in the content folder: `cover.png` or `cover.jpeg`. */
  href: string;
  mediaType: string;
  /** What the cover shows, for readers who cannot see it. */
  alt: string;
}

export interface EbookContent {
  chapters: EbookChapter[];
  /** The title heading's content as XHTML, its images pointing at their packed files. */
  titleXhtml: string;
  images: EbookImage[];
  toc: TocEntry[];
  landmarks: Landmark[];
  /** The file each numbered block (render/page-blocks.ts) is in, by block number. */
  blockFiles: string[];
  cover: EbookCover;
  /** The file with the masthead (title, subtitle, byline). */
  mastheadFile: string;
  /** Every image has a text alternative (or is marked decorative with `alt=""`). */
  allImagesDescribed: boolean;
  /** Some image in the text carries a description (not counting the cover). */
  describedImages: boolean;
}

const COVER_FILE = 'cover.xhtml';
const TITLE_PAGE_FILE = 'titlepage.xhtml';
const IMPRINT_FILE = 'imprint.xhtml';

/** The extension epub-gen-memory gives the cover (it names it `cover.<extension>`). */
const COVER_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg' };

/** The fixed texts the ebook's own pages and navigation use, in the publication's language (templates/messages/). */
export type EbookTexts = Pick<MessageTexts, 'imprintTitle' | 'cover' | 'coverOf' | 'titlePage' | 'tableOfContents' | 'startOfContent'>;

export function ebookContent(
  document: RenderedDocument,
  metadata: Metadata,
  authors: string[],
  coverMediaType: string,
  texts: EbookTexts = messagesFor('en').texts,
): EbookContent {
  const images = imageFiles(document.assets);
  const opening = document.chapters[0]?.opening ? document.chapters[0] : undefined;
  // The masthead opens the opening text; with none (the text starts with a chapter heading), it has a page of its own.
  const hasTitlePage = !opening;
  const openingIsEmpty = opening !== undefined && opening.tree.children.every((node) => node.type === 'text' && !node.value.trim());
  const oneFile = metadata.chapterLevel === undefined && wordCount(document) < ONE_FILE_WORDS;
  const files = document.chapters.map((chapter) => chapterFileName(chapter.index, chapter.tree, chapter.title));
  if (oneFile) files.fill(files[0]!);
  const mastheadFile = hasTitlePage ? TITLE_PAGE_FILE : files[0]!;

  // Where each id lives, for links across files.
  const fileOf = new Map<string, string>();
  document.chapters.forEach((chapter, index) =>
    visit(chapter.tree, 'element', (node) => {
      if (node.properties.id !== undefined) fileOf.set(String(node.properties.id), files[index]!);
    }),
  );
  if (!fileOf.has(document.title.id)) fileOf.set(document.title.id, mastheadFile);

  let allImagesDescribed = true;
  let describedImages = false;
  const blockFiles: string[] = [];
  const allChapters: EbookChapter[] = document.chapters.map((chapter, index) => {
    const filename = files[index]!;
    const nodes = structuredClone(chapter.tree.children);
    const properties = new Set<string>();
    const root: Element = { type: 'element', tagName: 'div', properties: {}, children: nodes };
    const blocks: [Element, Element, number][] = [];
    visit(root, 'element', (node, _, parent) => {
      const block = pageBlockOf(node);
      if (block !== undefined && parent?.type === 'element') blocks.push([node, parent, block]);
      adjustLink(node, filename, fileOf);
      adjustNotes(node, { epub: true });
      presentationAsCss(node);
      adjustTableHeaders(node);
      adjustTaskItem(node);
      const described = adjustImage(node, images);
      if (described === 'missing') allImagesDescribed = false;
      if (described === 'described') describedImages = true;
      if (node.tagName === 'svg') properties.add('svg');
      if (node.tagName === 'math') properties.add('mathml');
    });
    for (const [node, parent, block] of blocks) {
      insertPageBreakSlot(node, parent, pageBreakSlot(block));
      blockFiles[block] = filename;
    }
    const heading = document.headings.find((h) => h.chapter === index && h.id !== document.title.id);
    return {
      // An opening with nothing but the title is the title page.
      kind: chapter.opening ? (openingIsEmpty ? 'titlepage' : 'opening') : 'chapter',
      title: chapter.title,
      filename,
      content: toXhtml(root.children as ElementContent[]),
      epubType: chapter.opening ? (openingIsEmpty ? 'titlepage' : 'introduction') : 'chapter',
      labelledBy: chapter.opening ? '' : (heading?.id ?? ''),
      properties: [...properties],
    };
  });

  const chapters = oneFile && allChapters.length > 1 ? [{ ...allChapters[0]!, sections: allChapters.slice(1) }] : allChapters;

  const extension = COVER_EXTENSIONS[coverMediaType];
  if (!extension) throw new Error(`unsupported cover media type: ${coverMediaType}`);
  const cover: EbookCover = { href: `cover.${extension}`, mediaType: coverMediaType, alt: coverAlt(metadata, authors, texts) };
  const pages: EbookChapter[] = [
    { kind: 'cover', title: texts.cover, filename: COVER_FILE, content: '', epubType: 'cover', labelledBy: '', properties: [] },
    ...(hasTitlePage
      ? [{ kind: 'titlepage', title: metadata.title, filename: TITLE_PAGE_FILE, content: '', epubType: 'titlepage', labelledBy: '', properties: [] } satisfies EbookChapter]
      : []),
  ];

  const bodyStart = chapters.find((chapter) => chapter.kind !== 'titlepage')?.filename ?? mastheadFile;
  const titlePage = pages.find((page) => page.kind === 'titlepage') ?? chapters.find((chapter) => chapter.kind === 'titlepage');
  // The imprint closes the ebook as it closes the handout: publisher, contact, the medical disclaimer.
  const imprint: EbookChapter = {
    kind: 'imprint',
    title: texts.imprintTitle,
    filename: IMPRINT_FILE,
    content: '',
    epubType: 'colophon',
    labelledBy: 'imprint-title',
    properties: [],
    pageBreaks: toXhtml([pageBreakSlot(IMPRINT_SLOT)]),
  };
  const title: Element = { type: 'element', tagName: 'span', properties: {}, children: structuredClone(document.title.nodes) };
  visit(title, 'element', (node) => {
    presentationAsCss(node);
    adjustImage(node, images);
  });
  return {
    chapters: [...pages, ...chapters, imprint],
    titleXhtml: toXhtml(title.children),
    images: [...images.values()],
    toc: [...tocTree(document, files, mastheadFile, oneFile), { text: texts.imprintTitle, href: IMPRINT_FILE, children: [] }],
    landmarks: [
      { type: 'cover', href: COVER_FILE, text: texts.cover },
      ...(titlePage ? [{ type: 'titlepage', href: titlePage.filename, text: texts.titlePage }] : []),
      { type: 'toc', href: 'toc.xhtml', text: texts.tableOfContents },
      { type: 'bodymatter', href: bodyStart, text: texts.startOfContent },
    ],
    blockFiles,
    cover,
    mastheadFile,
    allImagesDescribed,
    describedImages,
  };
}

const IMPRINT_SLOT = 'imprint';

/**
 * Where a page-break marker may go: before each numbered block, and under the imprint's heading. The
 * slots are written into the chapters before the printed pages are known, so that the EPUB is made
 * while Chromium prints; `paginate` then makes the slot of the first block of each page its marker,
 * and drops the others.
 */
function pageBreakSlot(block: number | typeof IMPRINT_SLOT): Element {
  return { type: 'element', tagName: 'span', properties: { dataPageBlock: String(block) }, children: [] };
}

const pageBreakId = (page: number) => `print-page-${page}`;

/** An EPUB page-break marker: empty, named by its page number. */
function pageBreak(page: number): Element {
  return { type: 'element', tagName: 'span', properties: { 'epub:type': 'pagebreak', role: 'doc-pagebreak', id: pageBreakId(page), ariaLabel: String(page) }, children: [] };
}

const PAGE_BREAK_SLOT = /<span data-page-block="(\d+|imprint)"><\/span>/g;

export interface Pagination {
  /** An XHTML document of the ebook with a marker where each page begins, and no other slot. */
  paginate(xhtml: string): string;
  /** The printed edition's pages, in order; empty without one. */
  pageList: PageListEntry[];
}

/**
 * Each page's marker goes before the first block that starts on the page (a block that runs over a
 * page break belongs to the page it starts on). A page on which no block starts (one paragraph
 * fills it) is marked with the next; the imprint's pages open the imprint.
 */
export function pagination(content: Pick<EbookContent, 'blockFiles'>, printPages: PrintPages | undefined): Pagination {
  const byBlock = new Map<number, number[]>();
  const imprint: number[] = [];
  if (printPages) {
    const firstBlock = new Map<number, number>();
    printPages.blockPages.forEach((page, block) => {
      if (!firstBlock.has(page)) firstBlock.set(page, block);
    });
    let pending: number[] = [];
    for (let page = 1; page <= printPages.count; page++) {
      pending.push(page);
      const block = firstBlock.get(page);
      if (block !== undefined) byBlock.set(block, pending);
      else if (printPages.imprintPage === page) imprint.push(...pending);
      else continue;
      pending = [];
    }
    imprint.push(...pending);
  }
  const pageList = [
    ...[...byBlock].flatMap(([block, pages]) => pages.map((page) => ({ page, href: `${content.blockFiles[block]}#${pageBreakId(page)}` }))),
    ...imprint.map((page) => ({ page, href: `${IMPRINT_FILE}#${pageBreakId(page)}` })),
  ].sort((a, b) => a.page - b.page);
  const markers = (pages: number[] | undefined) => (pages?.length ? toXhtml(pages.map(pageBreak)) : '');
  return {
    paginate: (xhtml) => xhtml.replace(PAGE_BREAK_SLOT, (_, block: string) => markers(block === IMPRINT_SLOT ? imprint : byBlock.get(Number(block)))),
    pageList,
  };
}

/**
 * A block's page-break slot goes just before it, where a marker names no heading or link (whose
 * accessible name would take the page number in), or first inside it where nothing may stand
 * between blocks: in a list item, a definition, a table row's first cell.
 */
function insertPageBreakSlot(block: Element, parent: Element, slot: Element): void {
  const firstCell = block.children.find((child): child is Element => child.type === 'element' && (child.tagName === 'td' || child.tagName === 'th'));
  if (block.tagName === 'tr' && firstCell) firstCell.children.unshift(slot);
  else if (['li', 'dt', 'dd', 'summary'].includes(block.tagName) || ['ol', 'ul', 'menu', 'dl', 'details', 'tr'].includes(parent.tagName)) block.children.unshift(slot);
  else parent.children.splice(parent.children.indexOf(block), 0, slot);
}

/** `#id` in another file becomes `file.xhtml#id`. */
function adjustLink(node: Element, filename: string, fileOf: ReadonlyMap<string, string>): void {
  if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !node.properties.href.startsWith('#')) return;
  let id = node.properties.href.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch {
    return;
  }
  const target = fileOf.get(id);
  if (target && target !== filename) node.properties.href = `${target}#${node.properties.href.slice(1)}`;
}

/** `01-improves-circulation.xhtml`: the chapter's number and its heading's id, in ASCII (epub-gen-memory keeps no other characters). */
function chapterFileName(index: number, section: Element, title: string): string {
  let id = '';
  visit(section, 'element', (node) => {
    if (id || !/^h[1-6]$/.test(node.tagName) || node.properties.id === undefined) return;
    id = String(node.properties.id);
  });
  const name = asciiName(id).toLowerCase() || asciiName(title).toLowerCase() || 'chapter';
  return `${String(index).padStart(2, '0')}-${name}.xhtml`;
}

/**
 * Nested table of contents: the masthead (the title), then every other heading, nested by rank,
 * whatever order the ranks come in. Only a chapter's own heading points at its file alone; every
 * other heading, those of the opening too, at its id in its file: the NCX gives one target one
 * place in the reading order, so no two entries may share one.
 * In a book packed as one file (a short article), every entry points at its id.
 */
function tocTree(document: RenderedDocument, chapterFiles: string[], mastheadFile: string, oneFile: boolean): TocEntry[] {
  const root: TocEntry[] = [{ text: document.title.text, href: mastheadFile, children: [] }];
  const stack: { rank: number; children: TocEntry[] }[] = [{ rank: 0, children: root }];
  const chapterStarts = new Set(
    document.chapters
      .filter((chapter) => !chapter.opening)
      .map((chapter) => document.headings.find((h) => h.chapter === chapter.index && h.id !== document.title.id)),
  );
  for (const heading of document.headings) {
    if (heading.id === document.title.id) continue;
    const file = chapterFiles[heading.chapter]!;
    const entry: TocEntry = { text: heading.text, href: chapterStarts.has(heading) && !oneFile ? file : `${file}#${heading.id}`, children: [] };
    while (stack.length > 1 && stack[stack.length - 1]!.rank >= heading.rank) stack.pop();
    stack[stack.length - 1]!.children.push(entry);
    stack.push({ rank: heading.rank, children: entry.children });
  }
  return root;
}

function wordCount(document: RenderedDocument): number {
  return document.chapters.reduce((words, chapter) => words + (toString(chapter.tree).match(/\S+/g)?.length ?? 0), 0);
}

/** The cover's text alternative: what it says (title, subtitle, authors, publisher). */
function coverAlt(metadata: Metadata, authors: string[], texts: EbookTexts): string {
  return [fillIn(texts.coverOf, { title: metadata.title }), metadata.subtitle, authors.join(', '), metadata.publisher].filter(Boolean).join('. ');
}
