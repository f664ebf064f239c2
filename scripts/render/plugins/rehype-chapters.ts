/**
 * rehype plugin: group the document into chapters, one `<section>` per heading
 * of the chosen rank (h2 for articles), with whatever comes before the first
 * such heading (the title and the introduction) as the opening chapter.
 * The same sections make the PDF's structure and the EPUB's files.
 */
import { headingRank } from 'hast-util-heading-rank';
import { headingText } from '../heading-text.js';
import type { Element, ElementContent, Root, RootContent } from 'hast';

export interface ChapterOptions {
  /** Heading rank that starts a chapter (1–6). */
  rank?: number;
}

export default function rehypeChapters(options: ChapterOptions = {}) {
  const rank = options.rank ?? 2;
  return (tree: Root) => {
    const chapters: Element[] = [];
    let current: Element | undefined;
    for (const node of tree.children) {
      const startsChapter = node.type === 'element' && headingRank(node) === rank;
      if (!current || startsChapter) {
        current = chapterSection(chapters.length, startsChapter ? (node as Element) : undefined);
        chapters.push(current);
      }
      current.children.push(node as ElementContent);
    }
    // Text before the first chapter heading is the opening chapter; titled by its own top heading below.
    for (const chapter of chapters) {
      const heading = chapter.children.find((child): child is Element => child.type === 'element' && headingRank(child) !== undefined);
      chapter.data = { ...chapter.data, title: heading ? headingText(heading) : '' } as Element['data'];
      if (heading?.properties.id) chapter.properties['ariaLabelledBy'] = [String(heading.properties.id)];
    }
    tree.children = chapters as RootContent[];
  };
}

function chapterSection(index: number, heading: Element | undefined): Element {
  return {
    type: 'element',
    tagName: 'section',
    properties: { className: [heading ? 'chapter' : 'opening'], dataChapter: String(index) },
    children: [],
  };
}

declare module 'hast' {
  interface ElementData {
    /** Plain-text title of a chapter section, set by rehype-chapters. */
    title?: string;
  }
}
