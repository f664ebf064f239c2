/**
 * rehype plugin, for the print page only: markup that makes Chromium's tagged PDF
 * what PDF/UA-1 asks, where the ebook's markup would not, and the facts about the
 * page that the PDF's post-processing needs (outputs/pdf-structure.ts).
 *
 * Chromium tags the PDF from its accessibility tree, so:
 * - an element with `lang` that the tree leaves out (a `<span>`, an `<i>`…) gets its
 *   own implicit role, `role="generic"`, said aloud: the tree then keeps it, and the
 *   PDF has the language change as an element with `/Lang`;
 * - a `<figure>` is a group: as a figure it was tagged `Figure` around its image's
 *   own `Figure`, the outer one with no `/Alt` (Matterhorn 13-004); as a group it is a
 *   `Div` holding the image's `Figure` and its `Caption`;
 * - a call-out box (render/rehype-callouts.ts) is `complementary`: its ARIA and DPUB
 *   roles (`note`, `doc-tip`, `doc-notice`, `doc-abstract`), right for the ebook, make
 *   Chromium tag it as a `NonStruct` with no meaning; as complementary it is an `Aside`
 *   (role-mapped to `Sect` in the PDF: outputs/pdf-structure.ts), set apart from the text;
 * - a review copy's marks (`<ins>`, `<del>`: render/changes.ts) are tagged by Chromium as
 *   `NonStruct`, like any other inline element, and their roles are lost: each is given the
 *   language in effect with a private-use subtag that numbers it (`en-GB-x-ins-3`), which
 *   Chromium writes as its `/Lang`; the post-processing finds it by that, puts the language
 *   back and gives it an `/ActualText` that says what it is ("inserted: twice a day").
 */
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import { visitParents } from 'unist-util-visit-parents';
import type { Element, Root } from 'hast';

export interface TableCellShape {
  header: boolean;
  /** No text: Chromium leaves such a cell out of the tag tree. */
  empty: boolean;
}

/** A table's rows, each a list of its cells, in the order Chromium tags them. */
export type TableShape = TableCellShape[][];

export interface PrintTagHints {
  /** The text of each link, by its `href` (and its URL as the browser writes it); a note's reference as "Note 1". */
  linkTexts: Map<string, string>;
  /** Every table of the page, in document order. */
  tables: TableShape[];
  /** How many blocks the page's tag tree has for the ebook's page list (render/page-blocks.ts). */
  pageBlocks: number;
  /** A review copy's marks, by the number in their private-use language subtag: what each says to a screen reader. */
  changeMarks: string[];
}

export const newPrintTagHints = (): PrintTagHints => ({ linkTexts: new Map(), tables: [], pageBlocks: 0, changeMarks: [] });

/** `en-GB-x-ins-3`: the language of a review copy's mark number 3, an insertion. */
export const CHANGE_MARK_LANG = /^(.*)-x-(ins|del)-(\d+)$/;

/** Elements whose implicit role is generic: Chromium leaves them out of the tag tree, and their `lang` with them. */
const UNTAGGED_INLINE = new Set(['span', 'i', 'b', 'u', 'small', 'bdi', 'bdo', 'data', 'q', 'samp', 'var', 'cite', 'abbr', 'kbd', 'time']);

export default function rehypePrintTags(options: { hints: PrintTagHints; lang: string; changeLabels: { inserted: string; deleted: string } }) {
  const { hints } = options;
  return (tree: Root) => {
    visitParents(tree, 'element', (node, ancestors) => {
      if (node.tagName !== 'ins' && node.tagName !== 'del') return;
      // The language in effect: the nearest ancestor's `lang`, else the document's.
      const holder = ancestors.findLast((ancestor): ancestor is Element => ancestor.type === 'element' && typeof ancestor.properties.lang === 'string');
      const lang = holder ? String(holder.properties.lang) : options.lang;
      const label = node.tagName === 'ins' ? options.changeLabels.inserted : options.changeLabels.deleted;
      node.properties.lang = `${lang}-x-${node.tagName}-${hints.changeMarks.length}`;
      hints.changeMarks.push(`${label} ${toString(node).replace(/\s+/g, ' ').trim()}`);
    });
    visit(tree, 'element', (node) => {
      if (node.properties.lang !== undefined && UNTAGGED_INLINE.has(node.tagName) && node.properties.role === undefined) node.properties.role = 'generic';
      if (node.tagName === 'figure' && node.properties.role === undefined) node.properties.role = 'group';
      if (isCallout(node)) node.properties.role = 'complementary';
      if (node.tagName === 'a' && typeof node.properties.href === 'string') recordLink(hints, node);
      if (node.tagName === 'table') hints.tables.push(tableShape(node));
    });
  };
}

const isCallout = (node: Element) => Array.isArray(node.properties.className) && node.properties.className.includes('callout');

function recordLink(hints: PrintTagHints, link: Element): void {
  const href = String(link.properties.href);
  let text = toString(link).replace(/\s+/g, ' ').trim();
  if (!text) {
    const images: string[] = [];
    visit(link, 'element', (node) => {
      if (node.tagName === 'img' && node.properties.alt) images.push(String(node.properties.alt));
    });
    text = images.join(' ');
  }
  if (link.properties.dataFootnoteRef !== undefined) text = `Note ${text}`;
  if (!text || hints.linkTexts.has(href)) return;
  hints.linkTexts.set(href, text);
  hints.linkTexts.set(normalUrl(href), text);
}

function tableShape(table: Element): TableShape {
  const rows: TableShape = [];
  visit(table, 'element', (node) => {
    if (node !== table && node.tagName === 'table') return 'skip';
    if (node.tagName !== 'tr') return;
    rows.push(
      node.children
        .filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'))
        .map((cell) => ({ header: cell.tagName === 'th', empty: isEmpty(cell) })),
    );
  });
  return rows;
}

function isEmpty(cell: Element): boolean {
  if (toString(cell).trim()) return false;
  let painted = false;
  visit(cell, 'element', (node) => {
    if (['img', 'svg', 'math', 'input', 'hr'].includes(node.tagName)) painted = true;
  });
  return !painted;
}

/** A URL as the browser writes it into the PDF (`https://example.org` → `https://example.org/`). */
export function normalUrl(href: string): string {
  try {
    return new URL(href).href;
  } catch {
    return href;
  }
}
