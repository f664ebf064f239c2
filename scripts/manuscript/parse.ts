/**
 * The Markdown dialect of a manuscript: CommonMark with GitHub's extensions (the
 * parsing half of remark-gfm) and YAML front matter. Parsing only; the transforms
 * live in render/.
 *
 * Literal autolinks (`www.example.com`, `https://example.com`, `nurse@example.com`)
 * are looked for only in files that could hold one. micromark tries an email address
 * at the start of every word, and mdast-util-gfm-autolink-literal searches every text
 * node again: a quarter of the parse of a book that has none. Without `www.`, `://` or
 * `@` in a file, neither can find anything, and the tree is the same.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';

/** What every literal autolink has: the `www.` or `://` of a web address, or the `@` of an email address. */
const MAY_HOLD_LITERAL_AUTOLINK = /www\.|:\/\/|@/i;

/** GitHub's extensions to the syntax, in remark-gfm's order, with or without literal autolinks. */
function remarkGfmSyntax(this: Processor, options: { literalAutolinks: boolean }) {
  const data = this.data();
  const autolinks = options.literalAutolinks;
  (data.micromarkExtensions ??= []).push(
    ...(autolinks ? [gfmAutolinkLiteral()] : []),
    gfmFootnote(),
    gfmStrikethrough(),
    gfmTable(),
    gfmTaskListItem(),
  );
  (data.fromMarkdownExtensions ??= []).push([
    ...(autolinks ? [gfmAutolinkLiteralFromMarkdown()] : []),
    gfmFootnoteFromMarkdown(),
    gfmStrikethroughFromMarkdown(),
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
  ]);
}

const parser = (literalAutolinks: boolean, frontMatter = true) =>
  unified()
    .use(remarkParse)
    .use(frontMatter ? [[remarkFrontmatter, ['yaml']]] : [])
    .use(remarkGfmSyntax, { literalAutolinks });
const withLiteralAutolinks = parser(true);
const withoutLiteralAutolinks = parser(false);

/**
 * Parse one manuscript file into an mdast tree. `frontMatter: false` reads a leading `---` block as
 * CommonMark does (a thematic break, or a setext heading's underline), for a file whose block is no front matter.
 */
export function parseMarkdown(file: VFile, options: { frontMatter?: boolean } = {}): Root {
  const literalAutolinks = MAY_HOLD_LITERAL_AUTOLINK.test(file.toString());
  if (options.frontMatter === false) return parser(literalAutolinks, false).parse(file);
  return (literalAutolinks ? withLiteralAutolinks : withoutLiteralAutolinks).parse(file);
}
