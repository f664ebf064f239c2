/**
 * rehype plugin, run before raw HTML is parsed: a Markdown image with empty
 * brackets, `![](path)`, has no description, which is not the same as being
 * decorative. An empty `alt` tells a screen reader to skip the image, so the
 * attribute is removed: the image is then one without a description, as a raw
 * `<img>` without `alt` is — a warning, and neither edition claims to be
 * accessible. A purely decorative image says so in HTML, `<img src="…" alt="">`
 * (as markdownlint's MD045 advises), and is then an artifact in the PDF.
 */
import { visit } from 'unist-util-visit';
import type { Root } from 'hast';

export default function rehypeMarkdownAlt() {
  return (tree: Root) => {
    // Raw HTML is still `raw` text here: every `img` element is a Markdown image.
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img' && !String(node.properties.alt ?? '').trim()) delete node.properties.alt;
    });
  };
}
