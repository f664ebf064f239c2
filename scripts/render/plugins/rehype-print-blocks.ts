/**
 * rehype plugin, print editions only: nothing the reader of the screen edition
 * can open is hidden on paper, and no introduction is parted from what it
 * introduces.
 * - A `<details>` element prints open: closed, Chromium prints only its
 *   summary, which in real READMEs hid up to 40% of the words.
 * - A paragraph that ends with a colon ("A fenced block with a language:") is
 *   a lead-in (`class="lead-in"`), which print.css keeps on the page of the
 *   block after it.
 */
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';

export default function rehypePrintBlocks() {
  return (tree: Root) => {
    visit(tree, 'element', (node, index, parent) => {
      if (node.tagName === 'details') node.properties.open = true;
      if (node.tagName !== 'p' || index === undefined || !parent) return;
      const next = parent.children.slice(index + 1).find((sibling): sibling is Element => sibling.type === 'element');
      const last = node.children.findLast((child) => child.type !== 'text' || child.value.trim());
      // Its words end with the colon: not a paragraph that ends with a picture after a colon.
      if (next && last && /:\s*$/.test(toString(last))) node.properties.className = [...classNames(node), 'lead-in'];
    });
  };
}

function classNames(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : value ? String(value).split(/\s+/) : [];
}
