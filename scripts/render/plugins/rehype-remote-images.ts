/**
 * rehype plugin: a remote image (`http(s)://…`, `//host/…`) is left out with a
 * warning at its place, and its alt text stands where it was.
 *
 * The build never downloads anything, yet Markdown from the wild is full of
 * remote images: a README opens with a row of badges, a guide links its
 * screenshots from a CDN. Refusing the whole document for them helps nobody;
 * what the image said in words (its alt text) is kept, and a badge with an
 * empty alt leaves nothing. A link or paragraph that held nothing but such
 * images is removed with them, so no empty link (which a screen reader
 * announces as "link") is left behind. `--strict` makes each warning an error.
 *
 * Other schemes (`file:`, `data:`) and paths outside the manuscript folder
 * are not remote: rehype-local-images refuses them as errors.
 */
import { toString } from 'hast-util-to-string';
import { CONTINUE, EXIT, visit } from 'unist-util-visit';
import { whitespace } from 'hast-util-whitespace';
import type { Element, ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import { fileProblem } from '../../base/problems.js';

const REMOTE = /^(https?:)?\/\//i;

/** Elements removed with the last of their images: they would be empty otherwise. */
const EMPTIED_AWAY = new Set(['a', 'p', 'picture', 'span', 'sup', 'sub', 'strong', 'em', 'b', 'i', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

export default function rehypeRemoteImages() {
  return (tree: Root, file: VFile) => {
    // Most files have none: the tree is rebuilt only for one that has.
    let any = false;
    visit(tree, 'element', (node) => {
      any = node.tagName === 'img' && REMOTE.test(String(node.properties.src ?? '').trim());
      return any ? EXIT : CONTINUE;
    });
    if (!any) return;
    const walk = (parent: Root | Element): boolean => {
      let dropped = false;
      parent.children = parent.children.flatMap((child): ElementContent[] => {
        if (child.type !== 'element') return [child as ElementContent];
        if (child.tagName === 'img' && REMOTE.test(String(child.properties.src ?? '').trim())) {
          dropped = true;
          fileProblem(file, `remote image left out: ${String(child.properties.src)}`, {
            place: child.position,
            ruleId: 'remote-image',
            hint: 'The build never downloads anything: its alt text stands in its place. To show it, save the image into the manuscript folder and link it by its relative path.',
          });
          const alt = String(child.properties.alt ?? '').trim();
          return alt ? [{ type: 'text', value: alt }] : [];
        }
        if (!walk(child)) return [child];
        dropped = true;
        return EMPTIED_AWAY.has(child.tagName) && child.properties.id === undefined && isEmpty(child) ? [] : [child];
      });
      return dropped;
    };
    walk(tree);
  };
}

/** No text and no element that shows something (an image, a line break, a rule). */
function isEmpty(node: Element): boolean {
  if (toString(node).trim()) return false;
  return node.children.every((child) => child.type === 'comment' || (child.type === 'text' && whitespace(child)) || (child.type === 'element' && isEmpty(child) && !['img', 'br', 'hr', 'input', 'svg', 'math'].includes(child.tagName)));
}
