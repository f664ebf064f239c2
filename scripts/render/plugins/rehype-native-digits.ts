/**
 * rehype plugin: the numbers of the text in the language's own digits, when the
 * front matter asks for them (`numerals: native`, languages/numerals.ts): "۱۵
 * دقیقه", not "15 دقیقه", in a Persian leaflet. Code, keyboard input and sample
 * output keep what was typed, and so do web and email addresses, whose digits a
 * reader types as they are.
 */
import { SKIP, visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import { inNumerals, type Numerals } from '../../languages/numerals.js';

const AS_TYPED = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'script', 'style', 'svg', 'math']);
/** A web or email address: its digits stay 0–9. */
const ADDRESS = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

export default function rehypeNativeDigits({ numerals }: { numerals?: Numerals }) {
  return (tree: Root) => {
    if (!numerals) return;
    visit(tree, (node) => {
      if (node.type === 'element' && AS_TYPED.has((node as Element).tagName)) return SKIP;
      if (node.type !== 'text') return undefined;
      let at = 0;
      let value = '';
      for (const address of node.value.matchAll(ADDRESS)) {
        value += inNumerals(node.value.slice(at, address.index), numerals) + address[0];
        at = address.index + address[0].length;
      }
      node.value = value + inNumerals(node.value.slice(at), numerals);
      return undefined;
    });
  };
}
