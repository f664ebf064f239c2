/**
 * remark plugin: typographic quotes, apostrophes, dashes and ellipses, by
 * remark-smartypants, but only in the blocks that have something to change.
 *
 * remark-smartypants parses the text of every block with retext; on a book
 * that was half of the time spent turning Markdown into HTML, and most
 * paragraphs (typed with curly quotes already, or with no quote, double
 * hyphen or three dots at all) come out unchanged. Each block is handled on
 * its own, as remark-smartypants itself treats each block's start as fresh.
 *
 * A quote the author escaped (`\"`, `\'`) asked to stay straight, as it does on
 * GitHub: the parser has dropped the backslash, so such quotes are found in
 * the source at their text's place, kept out of SmartyPants's sight, then put back.
 */
import remarkSmartypants from 'remark-smartypants';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { Parent, Root, Text } from 'mdast';
import type { VFile } from 'vfile';

type Options = Parameters<typeof remarkSmartypants>[0];

/** What SmartyPants rewrites: straight quotes, backticks, `--` and `---`, `...`. */
const REWRITTEN = /["'`]|--|\.\.\./;
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

/** Private-use stand-ins for escaped quotes while SmartyPants runs. */
const KEPT: Record<string, string> = { '"': '\uE000', "'": '\uE001' };
const PUT_BACK = /[\uE000\uE001]/g;
const ESCAPED_QUOTE = /\\["']/;
/** CommonMark's backslash escapes: any ASCII punctuation. */
const ESCAPABLE = /[!-/:-@[-`{-~]/;

export default function remarkSmartPunctuation(options?: Options) {
  const smarten = (remarkSmartypants as unknown as (options?: Options) => (tree: Root) => void)(options);
  return (tree: Root, file: VFile) => {
    const source = String(file.value ?? '');
    visit(tree, (node) => {
      if (!BLOCKS.has(node.type)) return undefined;
      if (!REWRITTEN.test(toString(node))) return SKIP;
      const kept = keepEscapedQuotes(node as Parent, source);
      smarten({ type: 'root', children: [node as Root['children'][number]] });
      if (kept) putBackQuotes(node as Parent);
      return SKIP;
    });
  };
}

/** Replace each quote the source escapes with its stand-in; whether any was. */
function keepEscapedQuotes(block: Parent, source: string): boolean {
  let kept = false;
  visit(block, 'text', (node: Text) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const written = source.slice(start, end);
    if (!ESCAPED_QUOTE.test(written)) return;
    // Walk the source and the text together: `\"` in the one is `"` in the other. Where they part
    // (an entity, a line's indent), the rest of the text is left as it is.
    let value = '';
    let at = 0;
    let index = 0;
    while (index < node.value.length && at < written.length) {
      const char = node.value[index]!;
      if (written[at] === '\\' && written[at + 1] === char && ESCAPABLE.test(char)) {
        value += KEPT[char] ?? char;
        kept ||= char in KEPT;
        at += 2;
      } else if (written[at] === char) {
        value += char;
        at += 1;
      } else {
        break;
      }
      index += 1;
    }
    node.value = value + node.value.slice(index);
  });
  return kept;
}

function putBackQuotes(block: Parent): void {
  visit(block, 'text', (node: Text) => {
    node.value = node.value.replace(PUT_BACK, (char) => (char === KEPT['"'] ? '"' : "'"));
  });
}
