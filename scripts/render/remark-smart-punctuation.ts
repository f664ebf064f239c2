/**
 * remark plugin: typographic quotes, apostrophes, dashes and ellipses, by
 * remark-smartypants, but only in the blocks that have something to change.
 *
 * remark-smartypants parses the text of every block with retext; on a book
 * that was half of the time spent turning Markdown into HTML, and most
 * paragraphs (typed with curly quotes already, or with no quote, double
 * hyphen or three dots at all) come out unchanged. Each block is handled on
 * its own, as remark-smartypants itself treats each block's start as fresh.
 */
import remarkSmartypants from 'remark-smartypants';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { Root } from 'mdast';

type Options = Parameters<typeof remarkSmartypants>[0];

/** What SmartyPants rewrites: straight quotes, backticks, `--` and `---`, `...`. */
const REWRITTEN = /["'`]|--|\.\.\./;
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

export default function remarkSmartPunctuation(options?: Options) {
  const smarten = (remarkSmartypants as unknown as (options?: Options) => (tree: Root) => void)(options);
  return (tree: Root) => {
    visit(tree, (node) => {
      if (!BLOCKS.has(node.type)) return undefined;
      if (REWRITTEN.test(toString(node))) smarten({ type: 'root', children: [node as Root['children'][number]] });
      return SKIP;
    });
  };
}
