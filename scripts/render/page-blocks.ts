/**
 * The blocks of the text that carry the ebook's page-break markers (paragraphs,
 * headings, list items, table rows), numbered once on the tree both editions are made
 * from. Chromium tags each such block, and only those, as `P`, `H1`…`H6`, `LI` or `TR`,
 * in the same order, under the print page's `<main>`; its tag tree then tells the page
 * each block starts on (outputs/pdf-page-blocks.ts), and the ebook puts each page's
 * marker before the first block that starts on it (render/ebook.ts). A block that runs
 * over a page break belongs to the page it starts on: the next page's marker comes
 * after it.
 */
import { toString } from 'hast-util-to-string';
import type { Element, Root } from 'hast';

/** The elements Chromium tags as a type of their own, and which type. */
const TAGGED_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr']);

/**
 * Number the blocks in document order (`data.pageBlock`, which no serializer writes); the count.
 * A block with nothing printed is left out, as Chromium leaves it out of the tag tree: no text
 * and no described image. A `<details>` element prints open (rehype-print-blocks), so its blocks count.
 */
export function numberPageBlocks(tree: Root): number {
  let next = 0;
  const walk = (parent: Root | Element) => {
    for (const child of parent.children) {
      if (child.type !== 'element') continue;
      if (child.properties.hidden !== undefined && child.properties.hidden !== false) continue;
      if (TAGGED_BLOCKS.has(child.tagName) && prints(child)) child.data = { ...child.data, pageBlock: next++ } as Element['data'];
      walk(child);
    }
  };
  walk(tree);
  return next;
}

function prints(block: Element): boolean {
  if (toString(block).trim()) return true;
  const described = (node: Element): boolean =>
    (['img', 'svg', 'math', 'input'].includes(node.tagName) && node.properties.alt !== '') ||
    node.children.some((child) => child.type === 'element' && described(child));
  return described(block);
}

export function pageBlockOf(node: Element): number | undefined {
  return (node.data as { pageBlock?: number } | undefined)?.pageBlock;
}

/** The pages of a printed edition, as the ebook's page list takes them. */
export interface PrintPages {
  /** What the page numbers are of, for the package's `dc:source` and the summary: "A4 print edition (….pdf)". */
  source: string;
  /** The number of pages. */
  count: number;
  /** The page each numbered block starts on (1-based), by block number. */
  blockPages: number[];
  /** The page the imprint starts on. */
  imprintPage: number | undefined;
}
