/**
 * Markdown to HTML: the manuscript's mdast tree through remark and rehype
 * plugins to one HTML body, split into chapters, with its heading outline.
 */
import { unified } from 'unified';
import remarkSmartypants from 'remark-smartypants';
import remarkRehype from 'remark-rehype';
import rehypeSlug from 'rehype-slug';
import { toHtml } from 'hast-util-to-html';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import rehypeChapters from './rehype-chapters.js';
import rehypeCheckLinks from './rehype-check-links.js';
import rehypeLocalImages, { type Asset } from './rehype-local-images.js';
import rehypeFigures from './rehype-figures.js';
import rehypeHyphenate from './rehype-hyphenate.js';
import rehypeSafeHtml from './rehype-safe-html.js';
import rehypeAccessibilityWarnings, { newHeadingOutline, type HeadingOutline } from './rehype-accessibility-warnings.js';
import type { Manuscript } from '../manuscript/load.js';

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
  /** The chapter's HTML (its content, without the `<section>` wrapper). */
  html: string;
  /** Every id in the chapter (the title's in the opening one): where an EPUB link must point. */
  ids: string[];
}

export interface RenderedDocument {
  /** The publication's title heading, taken out of the text for the templates' masthead. */
  title: { id: string; html: string; text: string };
  /** The whole body without the title, chapters as `<section>` elements. */
  html: string;
  /** The same body with soft hyphens at the language's break points, for justified print. */
  hyphenatedHtml: string;
  chapters: Chapter[];
  headings: Heading[];
  /** The images the text uses, keyed by the `src` they carry in `html` and `chapters`. */
  assets: Asset[];
}

/** Per manuscript file, so that every message names the file it is about. */
const perFile = (root: string, outline: HeadingOutline) =>
  unified()
    .use(remarkSmartypants, { dashes: 'oldschool' })
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeSafeHtml)
    .use(rehypeFigures)
    .use(rehypeLocalImages, { root })
    .use(rehypeAccessibilityWarnings, { outline });

/** On the whole publication: ids must be unique across files, links may cross them, and chapters may span them. */
const whole = (parts: { file: VFile; tree: Root }[]) =>
  unified().use(rehypeSlug).use(rehypeCheckLinks, { parts }).use(rehypeChapters, { rank: 2 });

export async function renderMarkdown(manuscript: Manuscript): Promise<RenderedDocument> {
  const transformFile = perFile(manuscript.root, newHeadingOutline());
  // In reading order, one file after the other: the heading outline runs across files.
  // structuredClone: the transforms rewrite trees in place and the manuscript stays reusable.
  const parts: Root[] = [];
  for (const { file, tree } of manuscript.files) parts.push((await transformFile.run(structuredClone(tree), file)) as Root);
  const merged: Root = { type: 'root', children: parts.flatMap((part) => part.children) };
  const tree = (await whole(parts.map((part, index) => ({ file: manuscript.files[index]!.file, tree: part }))).run(merged)) as Root;
  const sections = tree.children.filter((node): node is Element => node.type === 'element');

  const headings = collectHeadings(sections);
  const chapterIds = sections.map(collectIds);
  const title = takeTitleHeading(sections[0], manuscript.metadata.title);
  const chapters = sections.map((section, index) => ({
    index,
    title: section.data?.title || manuscript.metadata.title,
    html: toHtml(section.children),
    ids: chapterIds[index]!,
  }));
  const hyphenated = (await unified().use(rehypeHyphenate, { lang: manuscript.metadata.lang }).run(structuredClone(tree))) as Root;
  const assets = manuscript.files.flatMap(({ file }) => file.data.assets ?? []);
  return {
    title,
    html: toHtml(tree),
    hyphenatedHtml: toHtml(hyphenated),
    chapters,
    headings,
    assets: assets.filter((asset, index) => assets.findIndex((other) => other.key === asset.key) === index),
  };
}

function collectHeadings(sections: Element[]): Heading[] {
  const headings: Heading[] = [];
  sections.forEach((section, chapter) =>
    visit(section, 'element', (node) => {
      const rank = headingRank(node);
      if (rank) headings.push({ rank, id: String(node.properties.id ?? ''), text: toString(node), chapter });
    }),
  );
  return headings;
}

function collectIds(section: Element): string[] {
  const ids: string[] = [];
  visit(section, 'element', (node) => {
    if (node.properties.id) ids.push(String(node.properties.id));
  });
  return ids;
}

/** The leading `#` heading is the title: the templates set it in a masthead. Without one, the metadata title is used. */
function takeTitleHeading(opening: Element | undefined, fallback: string): RenderedDocument['title'] {
  const first = opening?.children.find((node) => node.type === 'element');
  if (opening && first && first.type === 'element' && first.tagName === 'h1') {
    opening.children.splice(opening.children.indexOf(first), 1);
    return { id: String(first.properties.id ?? 'title'), html: toHtml(first.children), text: toString(first) };
  }
  return { id: 'title', html: toHtml({ type: 'text', value: fallback }), text: fallback };
}
