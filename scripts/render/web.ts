/**
 * The web edition of a rendered document: the whole text on one page, from the same tree the
 * ebook is made from (not the print's: no link addresses written out, details folded), as HTML.
 *
 * What the ebook does to the tree for a screen, the page does too (render/reading-markup.ts): notes
 * with their DPUB roles, header cells with their scope, labelled task boxes, images pointed at their
 * copies under `images/`. Two things are the page's own:
 * - its content security policy lets no `style` attribute apply, so HTML 4's presentational
 *   attributes (a table column's `align`) become classes of the page's stylesheet;
 * - a table wider than a phone scrolls inside a focusable region of its own, so that the page itself
 *   never scrolls sideways (WCAG 1.4.10, reflow) and a keyboard can scroll the table.
 */
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, ElementContent } from 'hast';
import type { RenderedDocument } from './markdown.js';
import { presentationAsClass } from './presentational-attributes.js';
import { adjustImage, adjustNotes, adjustTableHeaders, adjustTaskItem, imageFiles, type ImageFile } from './reading-markup.js';

export interface WebContent {
  /** The text without its title, each chapter a `<section>`. */
  html: string;
  /** The title heading's content, its images pointing at their copies. */
  titleHtml: string;
  /** The images the text shows, under `images/` beside the page. */
  images: ImageFile[];
  /** Rules for the classes the presentational attributes became (`.presentation-1 { text-align: right }`). */
  css: string;
  /** The page's table of contents: the headings that start its chapters. */
  contents: { text: string; href: string }[];
}

export function webContent(document: RenderedDocument, tableLabel: string): WebContent {
  const images = imageFiles(document.assets);
  const rules = new Map<string, string>();
  const adjust = (root: Element) => {
    const tables: [Element, Element][] = [];
    visit(root, 'element', (node, _, parent) => {
      adjustNotes(node, { epub: false });
      presentationAsClass(node, rules);
      adjustTableHeaders(node);
      adjustTaskItem(node);
      adjustImage(node, images);
      if (node.tagName === 'table' && parent?.type === 'element') tables.push([node, parent]);
    });
    for (const [table, parent] of tables) parent.children.splice(parent.children.indexOf(table), 1, scrollingRegion(table, tableLabel));
    return root;
  };
  const sections = adjust({ type: 'element', tagName: 'div', properties: {}, children: document.chapters.map((chapter) => structuredClone(chapter.tree)) });
  const title = adjust({ type: 'element', tagName: 'span', properties: {}, children: structuredClone(document.title.nodes) });
  const contents = document.chapters.flatMap((chapter) => {
    const heading = document.headings.find((candidate) => candidate.chapter === chapter.index && candidate.id !== document.title.id);
    return !chapter.opening && heading ? [{ text: heading.text, href: `#${encodeURIComponent(heading.id)}` }] : [];
  });
  return {
    html: toHtml(sections.children),
    titleHtml: toHtml(title.children),
    images: [...images.values()],
    css: [...rules].map(([name, css]) => `.${name} { ${css}; }`).join('\n'),
    contents,
  };
}

/** A table in a region that scrolls sideways, named by the table's caption (or "Table") and reachable by keyboard. */
function scrollingRegion(table: Element, tableLabel: string): Element {
  const caption = table.children.find((child): child is Element => child.type === 'element' && child.tagName === 'caption');
  const label = caption ? toString(caption).trim() : '';
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['table-scroll'], role: 'region', tabIndex: 0, ariaLabel: label || tableLabel },
    children: [table as ElementContent],
  };
}
