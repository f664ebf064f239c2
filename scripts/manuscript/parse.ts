/**
 * The Markdown dialect of a manuscript: CommonMark with GitHub extensions and
 * YAML front matter. Parsing only; the transforms live in render/.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** Parse one manuscript file into an mdast tree. */
export function parseMarkdown(file: VFile): Root {
  return parser.parse(file);
}

