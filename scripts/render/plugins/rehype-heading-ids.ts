/**
 * rehype plugin, run on the whole publication: every heading gets an id, the
 * slug of its text as GitHub makes it (what rehype-slug does), and every id in
 * the publication is unique and none is empty, as XHTML (and any link) requires.
 *
 * rehype-slug numbers the headings that share a slug among themselves, but
 * knows nothing of the ids an author wrote: pino's docs put `<a id="x"></a>`
 * before the heading whose slug is also `x`, which made the id twice. The
 * author's ids are what their links name, so they are taken first, and a
 * heading whose slug one of them uses gets the next number (`x-1`), as GitHub
 * numbers a second heading of the same text. An id an author wrote twice keeps
 * its first place; the later one is renamed, with a warning. A heading that
 * shows only an image is named after its alt text; an empty one gets no id.
 */
import GithubSlugger, { slug } from 'github-slugger';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { fileProblem } from '../../base/problems.js';
import { headingText } from '../heading-text.js';

export interface HeadingIdsOptions {
  /** The manuscript files, with the trees whose children make up the merged root: warnings name their file. */
  parts: readonly { file: VFile; tree: Root }[];
}

export default function rehypeHeadingIds(options: HeadingIdsOptions) {
  return (tree: Root) => {
    const fileOfNode = new Map<RootContent, VFile>();
    for (const { file, tree: part } of options.parts) for (const node of part.children) fileOfNode.set(node, file);

    const slugger = new GithubSlugger();
    visit(tree, 'element', (node) => {
      if (typeof node.properties.id === 'string' && node.properties.id) slugger.occurrences[node.properties.id] = 0;
    });
    const taken = new Set<string>();
    for (const top of tree.children) {
      if (top.type !== 'element') continue;
      visit(top, 'element', (node: Element) => {
        const written = node.properties.id === undefined || node.properties.id === null ? '' : String(node.properties.id);
        if (!written && headingRank(node)) {
          // The slugger counts every slug it makes: an empty one is never asked for.
          const text = slug(toString(node)) ? toString(node) : headingText(node);
          if (slug(text)) node.properties.id = slugger.slug(text);
          else delete node.properties.id;
        } else if (!written) {
          delete node.properties.id;
        } else if (taken.has(written)) {
          const renamed = slugger.slug(written, true);
          const file = fileOfNode.get(top);
          // Only an id the author wrote is worth a word: the ones made for them (a footnote section's) have no place.
          if (file && node.position) {
            fileProblem(file, `id used twice: ${written}`, {
              place: node.position,
              ruleId: 'duplicate-id',
              hint: `Links to #${written} go to its first place; this one is renamed ${renamed}. Give each anchor its own id.`,
            });
          }
          node.properties.id = renamed;
        }
        if (node.properties.id) taken.add(String(node.properties.id));
      });
    }
  };
}
