/**
 * Markdown to HTML: the manuscript's mdast tree through remark and rehype
 * plugins to one HTML body, split into chapters, with its heading outline.
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import { toHtml } from 'hast-util-to-html';
import { headingRank } from 'hast-util-heading-rank';
import { visit } from 'unist-util-visit';
import type { Element, ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import rehypeChapters from './plugins/rehype-chapters.js';
import remarkSmartPunctuation from './plugins/remark-smart-punctuation.js';
import rehypeCheckLinks from './plugins/rehype-check-links.js';
import rehypeLocalImages, { type Asset } from './plugins/rehype-local-images.js';
import rehypeFigures from './plugins/rehype-figures.js';
import rehypeHyphenate from './plugins/rehype-hyphenate.js';
import rehypePrintBlocks from './plugins/rehype-print-blocks.js';
import rehypePrintLinks from './plugins/rehype-print-links.js';
import rehypeSafeHtml from './plugins/rehype-safe-html.js';
import rehypeMarkdownAlt from './plugins/rehype-markdown-alt.js';
import rehypeAccessibilityWarnings, { newHeadingOutline, noAccessibilityGaps, type AccessibilityGaps, type HeadingOutline } from './plugins/rehype-accessibility-warnings.js';
import rehypeManuscriptLinks from './plugins/rehype-manuscript-links.js';
import rehypeNotes from './plugins/rehype-notes.js';
import rehypeIsolateBidi from './plugins/rehype-isolate-bidi.js';
import rehypeNativeDigits from './plugins/rehype-native-digits.js';
import { numeralsOf, type Numerals } from '../languages/numerals.js';
import { quotesFor } from '../languages/quotes.js';
import { messagesFor } from '../languages/fixed-texts.js';
import { languageOf } from '../languages/language.js';
import { numberPageBlocks } from './page-blocks.js';
import rehypePrintTags, { newPrintTagHints, type PrintTagHints } from './plugins/rehype-print-tags.js';
import remarkCloseRawHtml from './plugins/remark-close-raw-html.js';
import rehypeValidHtml from './plugins/rehype-valid-html.js';
import rehypeRemoteImages from './plugins/rehype-remote-images.js';
import rehypeHeadingIds from './plugins/rehype-heading-ids.js';
import { headingText } from './heading-text.js';
import rehypeCallouts from './plugins/rehype-callouts.js';
import rehypeReferences from './plugins/rehype-references.js';
import { withLeafletSections } from './leaflet-sections.js';
import { splitFrontPanel, type FrontPanelSplit } from './front-panel.js';
import { EDITIONS } from '../base/editions.js';
import type { Manuscript } from '../manuscript/load.js';
import { chapterLevelOf } from '../manuscript/metadata.js';
import { markChanges, type ChangeCount, type TextVersion } from './changes.js';
import { createHash } from 'node:crypto';

export interface Heading {
  rank: number;
  id: string;
  text: string;
  /** Index of the chapter the heading is in. */
  chapter: number;
}

export interface Chapter {
  index: number;
  title: string;
  /** Text before the first chapter heading (the title and the introduction), not a chapter of its own. */
  opening: boolean;
  /** The chapter's `<section>` element; each edition serializes it its own way. */
  tree: Element;
}

export interface RenderedDocument {
  /**
   * The publication's title heading, taken out of the text for the templates' masthead
   * (articles); books, split at `#`, take it from the front matter.
   */
  title: { id: string; html: string; text: string; nodes: ElementContent[] };
  /** Heading level that starts a chapter (front matter `chapterLevel`). */
  chapterLevel: number;
  /** The whole body without the title, chapters as `<section>` elements, as it prints (details open, link addresses, rehype-print-tags). */
  html: string;
  /** The same body with soft hyphens at the language's break points, for justified print (front matter `align: justify`). */
  hyphenatedHtml?: string;
  /** For a tri-fold (render/front-panel.ts): the key points for its front panel, and the body without them (hyphenated when justified). */
  frontPanel?: FrontPanelSplit;
  /** What the PDF's tag tree needs from the print page (both bodies are print markup: rehype-print-tags). */
  printTags: PrintTagHints;
  chapters: Chapter[];
  headings: Heading[];
  /** The images the text uses, keyed by the `src` they carry in `html` and `chapters`. */
  assets: Asset[];
  /** What keeps the publication from being accessible, over all its files (rehype-accessibility-warnings). */
  accessibilityGaps: AccessibilityGaps;
  /** A review copy's: what is marked changed since the version it was compared with (render/changes.ts). */
  changes?: ChangeCount;
}

export interface RenderOptions {
  /** An earlier version of the text: every change since is marked in this one (a review copy, render/changes.ts). */
  changesSince?: RenderedDocument;
}


/** Per manuscript file, so that every message names the file it is about. */
const perFile = (root: string, outline: HeadingOutline, lang = 'en') =>
  unified()
    .use(remarkCloseRawHtml)
    .use(remarkSmartPunctuation, { dashes: 'oldschool', ...quotesFor(lang) })
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeMarkdownAlt)
    .use(rehypeSafeHtml)
    .use(rehypeValidHtml)
    .use(rehypeRemoteImages)
    .use(rehypeCallouts, { lang })
    .use(rehypeReferences, { lang })
    .use(rehypeFigures)
    .use(rehypeLocalImages, { root })
    .use(rehypeAccessibilityWarnings, { outline, lang });

/** On the whole publication: ids must be unique across files, links may cross them, and chapters may span them. */
const whole = (parts: { file: VFile; tree: Root }[], chapterLevel: number, root: string, dir: 'ltr' | 'rtl', numerals: Numerals | undefined) =>
  unified()
    .use(rehypeHeadingIds, { parts })
    .use(rehypeManuscriptLinks, { files: parts.map(({ file }) => file.path), root })
    .use(rehypeCheckLinks, { parts, root })
    .use(rehypeChapters, { rank: chapterLevel })
    .use(rehypeNotes)
    .use(rehypeNativeDigits, { numerals })
    .use(rehypeIsolateBidi, { dir });

export async function renderMarkdown(manuscript: Manuscript, options: RenderOptions = {}): Promise<RenderedDocument> {
  const transformFile = perFile(manuscript.root, newHeadingOutline(), manuscript.metadata.lang);
  // In reading order, one file after the other: the heading outline runs across files.
  // structuredClone: the transforms rewrite trees in place and the manuscript stays reusable.
  const parts: Root[] = [];
  for (const { file, tree } of withLeafletSections(manuscript)) parts.push((await transformFile.run(structuredClone(tree), file)) as Root);
  parts.forEach((part, index) => {
    if (parts.length > 1) namespaceFootnotes(part, index);
    for (const node of part.children) if (node.type === 'element') node.data = { ...node.data, sourceFile: index } as Element['data'];
  });
  const merged: Root = { type: 'root', children: parts.flatMap((part) => part.children) };
  const chapterLevel = chapterLevelOf(manuscript.metadata);
  const { dir } = languageOf(manuscript.metadata.lang);
  const tree = (await whole(parts.map((part, index) => ({ file: manuscript.files[index]!.file, tree: part })), chapterLevel, manuscript.root, dir, numeralsOf(manuscript.metadata)).run(merged)) as Root;
  // Every stage has recorded its problems on the files and gone on: with an error among them, nothing is made.
  const error = manuscript.files.flatMap(({ file }) => file.messages).find((message) => message.fatal);
  if (error) throw error;
  const assets = manuscript.files.flatMap(({ file }) => file.data.assets ?? []);
  // Marked before the title is taken out of the text, so that a changed title is marked in the masthead.
  const changes = options.changesSince ? markChanges(textVersion(options.changesSince), { tree, imageIdentity: imageIdentities(assets) }, manuscript.metadata.lang) : undefined;
  const sections = tree.children.filter((node): node is Element => node.type === 'element');

  const headings = collectHeadings(sections);
  // Articles open with the title as `#`; in books every `#` is a chapter and the title is the front matter's,
  // set in the masthead above the first chapter (so it heads the PDF's outline all the same).
  const title = chapterLevel > 1 ? takeTitleHeading(sections[0], manuscript.metadata.title) : metadataTitle(manuscript.metadata.title);
  const pageBlocks = numberPageBlocks(tree);
  if (chapterLevel === 1) headings.unshift({ rank: 1, id: title.id, text: title.text, chapter: 0 });
  linkTopToTitle(tree, title.id);
  const chapters = sections.map((section, index) => ({
    index,
    title: section.data?.title || manuscript.metadata.title,
    opening: String(section.properties.className ?? '').includes('opening'),
    tree: section,
  }));
  // The print editions' own changes, on a copy: the ebook's chapters keep the tree as it is. The tags' hints
  // are read last, from the markup as it prints.
  const printTags = { ...newPrintTagHints(), pageBlocks };
  const printed = (await unified().use(rehypePrintBlocks).use(rehypePrintLinks).use(rehypePrintTags, { hints: printTags, lang: manuscript.metadata.lang, changeLabels: messagesFor(manuscript.metadata.lang).review }).run(structuredClone(tree))) as Root;
  const html = toHtml(printed);
  const { lang, align, hyphenationExceptions } = manuscript.metadata;
  const hyphenated = align === 'justify' ? ((await unified().use(rehypeHyphenate, { lang, exceptions: hyphenationExceptions }).run(printed)) as Root) : undefined;
  const gaps = manuscript.files.map(({ file }) => file.data.accessibilityGaps ?? noAccessibilityGaps());
  return {
    title,
    chapterLevel,
    html,
    hyphenatedHtml: hyphenated && toHtml(hyphenated),
    frontPanel: manuscript.metadata.editions.some((id) => EDITIONS[id].fold?.kind === 'trifold') ? splitFrontPanel(hyphenated ?? printed) : undefined,
    printTags,
    chapters,
    headings,
    assets: assets.filter((asset, index) => assets.findIndex((other) => other.key === asset.key) === index),
    accessibilityGaps: {
      undescribedImages: gaps.flatMap((gap) => gap.undescribedImages),
      untaggedLanguageChanges: gaps.flatMap((gap) => gap.untaggedLanguageChanges),
    },
    ...(changes ? { changes } : {}),
  };
}

/** A rendered document's text as it stood before its title was taken out for the masthead: what a later version is compared with. */
function textVersion(document: RenderedDocument): TextVersion {
  const sections = document.chapters.map((chapter) => chapter.tree);
  const titleTaken = document.chapterLevel > 1 && document.title.id !== METADATA_TITLE_ID && sections[0];
  const opening: Element | undefined = titleTaken
    ? { ...sections[0]!, children: [{ type: 'element', tagName: 'h1', properties: { id: document.title.id }, children: document.title.nodes }, ...sections[0]!.children] }
    : undefined;
  return { tree: { type: 'root', children: opening ? [opening, ...sections.slice(1)] : sections }, imageIdentity: imageIdentities(document.assets) };
}

/** A picture's identity beyond its name: a digest of its bytes, so that a picture replaced under the same name is a change. */
function imageIdentities(assets: readonly Asset[]): (src: string) => string | undefined {
  const digests = new Map(assets.map((asset) => [asset.key, createHash('sha256').update(asset.bytes).digest('hex').slice(0, 16)]));
  return (src) => digests.get(src);
}

/**
 * Footnote labels are per file (`[^1]` in two files are two notes): make the ids of a
 * file's footnotes, references and back links unique to it before files are merged.
 */
function namespaceFootnotes(tree: Root, fileIndex: number): void {
  const renamed = new Map<string, string>();
  const rename = (node: Element) => {
    const id = String(node.properties.id);
    renamed.set(id, `${id}-f${fileIndex + 1}`);
    node.properties.id = renamed.get(id);
  };
  visit(tree, 'element', (node) => {
    if (node.properties.dataFootnoteRef !== undefined && node.properties.id !== undefined) rename(node);
    if (node.tagName !== 'section' || node.properties.dataFootnotes === undefined) return;
    for (const list of node.children) {
      if (list.type !== 'element' || list.tagName !== 'ol') continue;
      for (const item of list.children) if (item.type === 'element' && item.tagName === 'li' && item.properties.id !== undefined) rename(item);
    }
  });
  visit(tree, 'element', (node) => {
    if (node.properties.dataFootnoteRef === undefined && node.properties.dataFootnoteBackref === undefined) return;
    const href = typeof node.properties.href === 'string' && node.properties.href.startsWith('#') ? renamed.get(node.properties.href.slice(1)) : undefined;
    if (href) node.properties.href = `#${href}`;
  });
}

/** `href="#"` is the top of the page: the title, in both editions. */
function linkTopToTitle(tree: Root, titleId: string): void {
  visit(tree, 'element', (node) => {
    if (node.tagName === 'a' && node.properties.href === '#') node.properties.href = `#${titleId}`;
  });
}

/** The headings the tables of contents list: an empty one has nothing to show there (and was warned about). */
function collectHeadings(sections: Element[]): Heading[] {
  const headings: Heading[] = [];
  sections.forEach((section, chapter) =>
    visit(section, 'element', (node) => {
      const rank = headingRank(node);
      const text = rank ? headingText(node) : '';
      if (rank && text && node.properties.id) headings.push({ rank, id: String(node.properties.id), text, chapter });
    }),
  );
  return headings;
}

/** The id of a title taken from the front matter, not from a heading of the text. */
const METADATA_TITLE_ID = 'publication-title';

function metadataTitle(text: string): RenderedDocument['title'] {
  const nodes: ElementContent[] = [{ type: 'text', value: text }];
  return { id: METADATA_TITLE_ID, html: toHtml(nodes), text, nodes };
}

/**
 * The opening's `#` heading, when no other heading comes before it, is the title: the templates set
 * it in a masthead (a README's logo or badges may stand above it). Without one, the metadata title is used.
 */
function takeTitleHeading(opening: Element | undefined, fallback: string): RenderedDocument['title'] {
  const first = opening?.children.find((node): node is Element => node.type === 'element' && headingRank(node) !== undefined);
  const text = first ? headingText(first) : '';
  if (!opening || first?.tagName !== 'h1' || !text) return metadataTitle(fallback);
  opening.children.splice(opening.children.indexOf(first), 1);
  return { id: String(first.properties.id ?? METADATA_TITLE_ID), html: toHtml(first.children), text, nodes: first.children };
}
