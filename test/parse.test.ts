import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../scripts/manuscript/parse.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import type { Link, Root } from 'mdast';
import { visit } from 'unist-util-visit';

const remarkGfmParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
const parse = (text: string) => parseMarkdown(new VFile({ path: 'test.md', value: text }));
const links = (tree: Root) => {
  const found: string[] = [];
  visit(tree, 'link', (link: Link) => void found.push(link.url));
  return found;
};

describe('the manuscript dialect', () => {
  it.each([
    'manuscript/foot-massage.md',
    'test/fixtures/torture/01-opening.md',
    'test/fixtures/torture/02-tables-and-code.md',
    'test/fixtures/torture/03-notes-and-html.md',
  ])('parses %s as remark-gfm does', async (file) => {
    const text = await readFile(path.join(PROJECT_ROOT, file), 'utf8');
    expect(parse(text)).toEqual(remarkGfmParser.parse(text));
  });

  it('parses a file with no web or email address as remark-gfm does, tables, notes, tasks and strikethrough included', () => {
    const text = [
      '# Zones', '', '| Zone | Organ |', '| --- | :-: |', '| heel | ~~back~~ |', '', '- [x] warm up', '- [ ] press[^1]', '',
      '[^1]: Gently, at first.', '', 'Plain words: wwwexample, http:example and at signs spelled out.',
    ].join('\n');
    const tree = parse(text);
    expect(tree).toEqual(remarkGfmParser.parse(text));
    expect(JSON.stringify(tree)).toContain('"type":"table"');
    expect(JSON.stringify(tree)).toContain('"type":"footnoteDefinition"');
    expect(JSON.stringify(tree)).toContain('"checked":true');
    expect(JSON.stringify(tree)).toContain('"type":"delete"');
  });

  it('links literal web and email addresses', () => {
    expect(links(parse('See www.example.net, HTTPS://example.org/feet and nurse@example.com.'))).toEqual([
      'http://www.example.net',
      'HTTPS://example.org/feet',
      'mailto:nurse@example.com',
    ]);
    expect(links(parse('Write to clinic@example.com.'))).toEqual(['mailto:clinic@example.com']);
  });
});
