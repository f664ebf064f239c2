/**
 * rehype plugin: bidirectional isolation of left-to-right runs in a right-to-left
 * text. Latin words, numbers, codes and addresses inside Arabic or Hebrew text
 * are each wrapped in `<span dir="ltr">`, which isolates them (HTML's
 * `unicode-bidi: isolate` for `[dir]`): without it, the Unicode bidirectional
 * algorithm decides the order of a number and the Latin word after it, or of
 * the parts of an address, from the characters around them, and
 * "© 2026 Home Massage Health Library" can come out as "Home Massage Health
 * Library 2026 ©" read from the right. Isolated, each run reads as written, and
 * the PDF's glyphs for it are painted as one left-to-right piece, in order.
 *
 * Code and keyboard input are marked `dir="ltr"` as a whole; elements that
 * already say their direction are left as they are. W3C's advice is markup rather than control characters: the
 * isolates stay visible to stylesheets and out of the text.
 */
import ejs from 'ejs';
import { SKIP, visit } from 'unist-util-visit';
import type { Element, ElementContent, Root, Text } from 'hast';

/**
 * A left-to-right run: from a Latin, Greek or Cyrillic letter or a digit to the last such character before any
 * right-to-left letter, taking spaces and the punctuation of numbers, codes and addresses in between.
 */
const LEFT_TO_RIGHT_RUN =
  /(?:\+(?=\d))?[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}](?:[\s\p{P}\p{S}\p{M}]*[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}%])*/gu;
const RIGHT_TO_LEFT_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const CODE = new Set(['code', 'pre', 'kbd', 'samp']);
const LEAVE_AS_IS = new Set(['var', 'svg', 'math', 'script', 'style']);

/** `text` split into its left-to-right runs (`ltr: true`) and the rest, in order. */
export function splitLeftToRightRuns(text: string): { text: string; ltr: boolean }[] {
  const parts: { text: string; ltr: boolean }[] = [];
  let at = 0;
  for (const match of text.matchAll(LEFT_TO_RIGHT_RUN)) {
    // A bracket or quote that opens inside the run without closing stays outside it.
    let run = match[0];
    while (/[([{«“‘"']$/u.test(run)) run = run.slice(0, -1);
    if (match.index > at) parts.push({ text: text.slice(at, match.index), ltr: false });
    parts.push({ text: run, ltr: true });
    at = match.index + run.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), ltr: false });
  return parts;
}

export default function rehypeIsolateBidi(options: { dir: 'ltr' | 'rtl' }) {
  return (tree: Root) => {
    if (options.dir !== 'rtl') return;
    visit(tree, (node, index, parent) => {
      if (node.type === 'element' && CODE.has(node.tagName) && node.properties.dir === undefined) {
        // Code reads left to right (as markup: EPUB style sheets may not set `direction`).
        node.properties.dir = 'ltr';
        return SKIP;
      }
      if (node.type === 'element' && (LEAVE_AS_IS.has(node.tagName) || node.properties.dir !== undefined)) return SKIP;
      if (node.type !== 'text' || !parent || index === undefined) return undefined;
      // A text with no right-to-left letter in an element of its own needs no isolating from anything.
      const siblingsRtl = parent.children.some((child) => child.type === 'text' && RIGHT_TO_LEFT_LETTER.test(child.value));
      if (!RIGHT_TO_LEFT_LETTER.test(node.value) && !siblingsRtl && parent.type === 'element' && parent.children.length === 1) return undefined;
      const parts = splitLeftToRightRuns((node as Text).value);
      if (!parts.some((part) => part.ltr)) return undefined;
      const replacement: ElementContent[] = parts.map((part) =>
        part.ltr ? ({ type: 'element', tagName: 'span', properties: { dir: 'ltr' }, children: [{ type: 'text', value: part.text }] } satisfies Element) : { type: 'text', value: part.text },
      );
      parent.children.splice(index, 1, ...replacement);
      return [SKIP, index + replacement.length];
    });
  };
}

/** `text` as HTML for a template, its left-to-right runs isolated when the document is right-to-left. */
export function isolatedHtml(text: string, dir: 'ltr' | 'rtl'): string {
  if (dir !== 'rtl' || !RIGHT_TO_LEFT_LETTER.test(text)) return ejs.escapeXML(text);
  return splitLeftToRightRuns(text)
    .map((part) => (part.ltr ? `<span dir="ltr">${ejs.escapeXML(part.text)}</span>` : ejs.escapeXML(part.text)))
    .join('');
}
