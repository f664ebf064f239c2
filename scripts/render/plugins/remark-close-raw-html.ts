/**
 * remark plugin: raw HTML that opens an element and never closes it is closed
 * where it was written, before rehype-raw parses the file's HTML as one stream.
 *
 * In that stream an unclosed `<div>` holds everything after it: every later
 * section of the file ends up inside it, where no chapter can start (CommonMark
 * example 150 left a whole manuscript in one chapter). An unclosed `<b>` is
 * worse: HTML parsers open it again in each later paragraph, and around the
 * next table. A browser forgives both; a book cannot. So an element opened in
 * an HTML block and not closed by the end of the file ends with that block, and
 * one opened inside a paragraph (or heading, or table cell) ends with it.
 * Elements closed later, as in `<details>` … Markdown … `</details>`, are left
 * as written, and so are those whose end tag HTML makes optional (`<p>`, `<li>`).
 */
import { htmlVoidElements } from 'html-void-elements';
import type { Html, Nodes, Parent, Root } from 'mdast';

const VOID = new Set(htmlVoidElements);
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'rb', 'rt', 'rp', 'rtc', 'colgroup', 'caption', 'html', 'head', 'body']);
const FLOW_CONTAINERS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);
const PHRASING_BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?\/?>/g;
/** Comments, CDATA, declarations and processing instructions open nothing. */
const NOT_TAGS = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?/g;

interface Open {
  name: string;
  /** The HTML node that opened it. */
  at: Html;
}

export default function remarkCloseRawHtml() {
  return (tree: Root) => {
    const walk = (node: Nodes) => {
      if (FLOW_CONTAINERS.has(node.type)) closeFlow(node as Parent);
      if (PHRASING_BLOCKS.has(node.type)) return closePhrasing(node as Parent);
      if ('children' in node) node.children.forEach(walk);
    };
    walk(tree);
  };
}

/** HTML blocks among a container's children: what is still open at its end is closed in the block that opened it. */
function closeFlow(container: Parent): void {
  const open: Open[] = [];
  for (const child of container.children) if (child.type === 'html') track(child, open);
  for (const element of open.reverse()) element.at.value += `</${element.name}>`;
}

/** Inline HTML in a paragraph: what is still open at its end is closed there. */
function closePhrasing(block: Parent): void {
  const open: Open[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'html') track(node, open);
    else if ('children' in node) node.children.forEach(walk);
  };
  block.children.forEach(walk);
  if (open.length) {
    const closing: Html = { type: 'html', value: open.reverse().map((element) => `</${element.name}>`).join('') };
    (block.children as Nodes[]).push(closing);
  }
}

/** Follow the tags of one HTML node: push what opens, pop what closes (and whatever its end tag closes with it). */
function track(node: Html, open: Open[]): void {
  for (const match of node.value.replace(NOT_TAGS, '').matchAll(TAG)) {
    const name = match[2]!.toLowerCase();
    if (VOID.has(name) || OPTIONAL_END.has(name)) continue;
    if (!match[1]) {
      open.push({ name, at: node });
      continue;
    }
    const index = open.findLastIndex((element) => element.name === name);
    if (index !== -1) open.length = index;
  }
}
