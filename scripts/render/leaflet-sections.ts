/**
 * The leaflet's front-matter `keyPoints` and `references` become Markdown of
 * the manuscript before it is rendered: a `> [!KEYPOINTS]` block under the
 * title and a `## References` section with a numbered list at the end. Written
 * as Markdown, they go through every later step (smart quotes, links, heading
 * ids, chapters, the EPUB's table of contents) like the writer's own blocks.
 *
 * The writer may give either in the text instead; given both ways, the text
 * wins and the front matter's list is left out with a warning.
 */
import { VFile } from 'vfile';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { BlockContent, Heading, List, Node, Root, RootContent } from 'mdast';
import type { Manuscript, ManuscriptFile } from '../manuscript/load.js';
import { parseMarkdown } from '../manuscript/parse.js';
import { chapterLevelOf } from '../manuscript/metadata.js';
import { leafletLabels } from '../languages/fixed-texts.js';
import { CALLOUT_MARKER } from './plugins/rehype-callouts.js';

export function withLeafletSections(manuscript: Manuscript): ManuscriptFile[] {
  const { keyPoints, references, lang } = manuscript.metadata;
  const chapterLevel = chapterLevelOf(manuscript.metadata);
  if (!keyPoints && !references) return manuscript.files;
  const labels = leafletLabels(lang);
  const files = manuscript.files.map((part) => ({ ...part }));

  if (keyPoints) {
    const written = findInText(files, (node) => node.type === 'blockquote' && /^keypoints$/i.test(CALLOUT_MARKER.exec(toString(node))?.[1] ?? ''));
    if (written) {
      leftOut(written, 'keyPoints', 'a [!KEYPOINTS] block', 'the block');
    } else {
      const first = files[0]!;
      const tree = structuredClone(first.tree);
      const titleAt = tree.children.findIndex((node) => node.type !== 'html');
      const afterTitle = chapterLevel > 1 && tree.children[titleAt]?.type === 'heading' && (tree.children[titleAt] as Heading).depth === 1 ? titleAt + 1 : 0;
      tree.children.splice(afterTitle, 0, keyPointsBlock(keyPoints));
      first.tree = tree;
    }
  }

  if (references) {
    const heading = findInText(files, (node) => node.type === 'heading' && toString(node).trim().toLowerCase() === labels.references.toLowerCase());
    if (heading) {
      leftOut(heading, 'references', `a "${labels.references}" section`, 'that section');
    } else {
      const last = files.at(-1)!;
      const tree = structuredClone(last.tree);
      tree.children.push(
        { type: 'heading', depth: chapterLevel as Heading['depth'], children: [{ type: 'text', value: labels.references }] },
        { type: 'list', ordered: true, start: 1, spread: false, children: references.map((item) => ({ type: 'listItem', spread: false, children: inlineMarkdown(item) })) },
      );
      last.tree = tree;
    }
  }
  return files;
}

/** The key points as the writer would write them: `> [!KEYPOINTS]` over a bulleted list. */
function keyPointsBlock(points: string[]): RootContent {
  const list: List = { type: 'list', ordered: false, spread: false, children: points.map((point) => ({ type: 'listItem', spread: false, children: inlineMarkdown(point) })) };
  return { type: 'blockquote', children: [{ type: 'paragraph', children: [{ type: 'text', value: '[!KEYPOINTS]' }] }, list] };
}

/** A front-matter item read as Markdown (links, emphasis), without positions: they would point into the wrong file. */
function inlineMarkdown(text: string): BlockContent[] {
  const tree = parseMarkdown(new VFile({ value: text }));
  visit(tree, (node: Node) => {
    delete node.position;
  });
  return tree.children as BlockContent[];
}

interface FoundNode {
  part: ManuscriptFile;
  node: RootContent;
}

function findInText(files: ManuscriptFile[], test: (node: RootContent) => boolean): FoundNode | undefined {
  for (const part of files) {
    const node = (part.tree as Root).children.find(test);
    if (node) return { part, node };
  }
  return undefined;
}

function leftOut(found: FoundNode, key: string, what: string, kept: string): void {
  const message = found.part.file.message(`front matter \`${key}\` left out: the text has ${what}`, {
    place: found.node.position,
    ruleId: `leaflet-${key}`,
    source: 'press',
  });
  message.note = `Give them once: remove \`${key}:\` from the front matter, or ${kept} from the text.`;
}
