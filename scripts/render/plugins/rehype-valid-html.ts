/**
 * rehype plugin, after rehype-safe-html: the tree is HTML5 whatever raw HTML
 * the Markdown carried, so that the EPUB's XHTML is valid (epubcheck rejects
 * what a browser forgives) and the print edition gets the same structure.
 *
 * READMEs write HTML 4 and unbalanced HTML:
 * - Attributes HTML5 has dropped: presentational ones CSS can say (`align`,
 *   `valign`, a cell's `width`) are kept for the EPUB to write as CSS (see
 *   presentational-attributes.ts); the others are removed with a warning.
 *   `<a name="x">` is an anchor, written `<a id="x">` in HTML5; `target` on a
 *   link means nothing in a PDF or an ebook and goes without a word.
 * - `<strike>` and `<tt>` become `<s>` and `<code>`.
 * - A phrasing element (`<b>`, `<span>`, `<a>`, a paragraph) cannot hold a
 *   table, list or other block: an unclosed `<b>` before a `<table>` wraps it
 *   when parsed. It is closed before the block and opened again after it. A
 *   heading's blocks give their text to the heading.
 * - A list holds only list items, and list items and definition terms stand
 *   in a list: strays are wrapped in one.
 *
 * Markdown alone makes valid HTML5: a file with no `<` before a letter has no
 * raw HTML, and is not walked (a book's files are most often such).
 */
import { phrasing } from 'hast-util-phrasing';
import { toHtml } from 'hast-util-to-html';
import { whitespace } from 'hast-util-whitespace';
import { visit } from 'unist-util-visit';
import type { Element, ElementContent, Properties, Root } from 'hast';
import type { VFile } from 'vfile';
import { fileProblem } from '../../base/problems.js';
import { isHtml5Attribute, presentationalCss } from '../presentational-attributes.js';

const RENAMED_ELEMENTS: Record<string, string> = { strike: 's', tt: 'code' };

/** Elements whose content must be phrasing: split around a block inside them. */
const PHRASING_ONLY = new Set(['p', 'pre', 'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** What any raw HTML starts with; Markdown alone makes valid HTML5, so a file without it is left as it is. */
const MAY_HOLD_HTML = /<[a-z!?/]/i;

export default function rehypeValidHtml() {
  return (tree: Root, file: VFile) => {
    if (!MAY_HOLD_HTML.test(String(file.value ?? ''))) return;
    visit(tree, 'element', (node) => {
      node.tagName = RENAMED_ELEMENTS[node.tagName] ?? node.tagName;
      const removed = removeObsoleteAttributes(node);
      if (Object.keys(removed).length) {
        const count = Object.keys(removed).length;
        fileProblem(file, `obsolete HTML attribute${count > 1 ? 's' : ''} removed: ${toHtml({ ...node, properties: removed, children: [] }).replace(/<\/\w+>$/, '')}`, {
          place: node.position,
          ruleId: 'obsolete-html',
          hint: 'HTML5, which an EPUB is written in, has no such attribute: leave it out, or write the Markdown without HTML.',
        });
      }
    });
    repairContent(tree);
  };
}

/** Removes, and returns, the properties HTML5 has dropped and CSS cannot say. */
function removeObsoleteAttributes(node: Element): Properties {
  const removed: Properties = {};
  for (const [property, value] of Object.entries(node.properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (isHtml5Attribute(node.tagName, property, value) || presentationalCss(node.tagName, property, value)) continue;
    delete node.properties[property];
    if (node.tagName === 'a' && property === 'name') {
      if (node.properties.id === undefined) node.properties.id = String(value);
    } else if (!(node.tagName === 'a' && property === 'target')) {
      removed[property] = value;
    }
  }
  return removed;
}

/** Children first, so that a block set free inside moves up until it stands where blocks may. */
function repairContent(parent: Root | Element): void {
  for (const child of parent.children) if (child.type === 'element') repairContent(child);
  const tagName = parent.type === 'element' ? parent.tagName : '';
  let children = parent.children as ElementContent[];
  // Most elements need nothing: each repair looks before it copies.
  if (children.some((child) => child.type === 'element' && PHRASING_ONLY.has(child.tagName) && holdsBlocks(child))) {
    children = children.flatMap((child) => (child.type === 'element' && PHRASING_ONLY.has(child.tagName) && holdsBlocks(child) ? splitAroundBlocks(child) : [child]));
  }
  if (HEADINGS.has(tagName) && children.some(isBlock)) children = children.flatMap(asPhrasing);
  if (tagName === 'ul' || tagName === 'ol') {
    if (children.some((child) => !isElement(child, 'li') && !isBlank(child))) children = wrapRuns(children, (node) => isElement(node, 'li'), 'li', true);
  } else if (tagName === 'dl') {
    const inDl = (node: ElementContent) => isElement(node, 'dt') || isElement(node, 'dd') || isElement(node, 'div');
    if (children.some((child) => !inDl(child) && !isBlank(child))) children = wrapRuns(children, inDl, 'dd', true);
  } else {
    if (children.some((child) => isElement(child, 'li'))) children = wrapRuns(children, (node) => !isElement(node, 'li'), 'ul', false);
    if (tagName !== 'div' && children.some((child) => isElement(child, 'dt') || isElement(child, 'dd'))) {
      children = wrapRuns(children, (node) => !isElement(node, 'dt') && !isElement(node, 'dd'), 'dl', false);
    }
  }
  parent.children = children as typeof parent.children;
}

const isBlank = (node: ElementContent) => node.type === 'comment' || (node.type === 'text' && whitespace(node));
const isElement = (node: ElementContent, tagName: string): node is Element => node.type === 'element' && node.tagName === tagName;
const isBlock = (node: ElementContent) => node.type === 'element' && !phrasing(node);

const holdsBlocks = (node: Element) => node.children.some(isBlock);

/** `<b>a<table/>b</b>` as `<b>a</b><table/><b>b</b>`; only the first piece keeps the id. */
function splitAroundBlocks(node: Element): ElementContent[] {
  const pieces: ElementContent[] = [];
  let run: ElementContent[] = [];
  const flush = () => {
    if (run.some((child) => !(child.type === 'text' && whitespace(child)))) {
      const first = !pieces.some((piece) => piece.type === 'element' && piece.tagName === node.tagName);
      const properties = { ...node.properties };
      if (!first) delete properties.id;
      pieces.push({ ...node, properties, children: run });
    }
    run = [];
  };
  for (const child of node.children) {
    if (isBlock(child)) {
      flush();
      pieces.push(child);
    } else {
      run.push(child);
    }
  }
  flush();
  return pieces;
}

/** A block inside a heading gives it its content, a space apart from what comes before and after. */
function asPhrasing(node: ElementContent): ElementContent[] {
  if (!isBlock(node)) return [node];
  return [{ type: 'text', value: ' ' }, ...(node as Element).children.flatMap(asPhrasing), { type: 'text', value: ' ' }];
}

/**
 * Each run of children that `belongs` does not accept goes into a new `tagName` element: with
 * `belongs` true for what the parent may hold, strays are wrapped (a paragraph in a list becomes a
 * list item); with it true for what may stand anywhere, the items standing alone are (a list item
 * outside a list gets one). White space alone is left where it is.
 */
function wrapRuns(children: ElementContent[], belongs: (node: ElementContent) => boolean, tagName: string, strays: boolean): ElementContent[] {
  const out: ElementContent[] = [];
  let run: ElementContent[] = [];
  const flush = () => {
    if (run.length) out.push({ type: 'element', tagName, properties: {}, children: run });
    run = [];
  };
  for (const child of children) {
    const blank = isBlank(child);
    const wrap = strays ? !belongs(child) : !belongs(child) && child.type === 'element';
    if (blank && run.length === 0) out.push(child);
    else if (blank || wrap) run.push(child);
    else {
      flush();
      out.push(child);
    }
  }
  flush();
  return out;
}
