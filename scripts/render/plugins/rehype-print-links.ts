/**
 * rehype plugin, print editions only: paper cannot be clicked, so an external
 * link carries the address a reader would type (`data-print-address`, printed
 * after the link text by print.css). The address drops what a reader need not
 * type (`https://`, `mailto:`, a trailing slash). A link whose text already is
 * its address (an autolink, a bare `www.` address) gets none: it prints once.
 */
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Root } from 'hast';

export default function rehypePrintLinks() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
      const address = printedAddress(node.properties.href);
      if (address && printedAddress(toString(node).trim()) !== address) node.properties.dataPrintAddress = address;
    });
  };
}

/** The address as a reader types it; undefined for a link inside the publication. */
export function printedAddress(href: string): string | undefined {
  if (!/^(https?:\/\/|mailto:|www\.)/i.test(href)) return undefined;
  return href.replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '');
}
