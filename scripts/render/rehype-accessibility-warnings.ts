/**
 * rehype plugin: warn about what makes a handout hard to use with a screen
 * reader or a table of contents, without stopping the build (`--strict` does):
 * an image without alt text, a heading that skips a level (## then ####), an
 * empty heading (which is left out: it would be an empty entry in the contents
 * lists, and an empty heading to a screen reader), and two headings with the same text under the same heading
 * (indistinguishable in the nested contents lists; "Exercises" in each chapter
 * of a book is not). The "Footnotes" heading remark-rehype adds is not the
 * author's, and is not looked at.
 *
 * The outline runs across the manuscript's files, so one `HeadingOutline` is
 * shared by the files of a build, which must be run through it in reading order.
 */
import { headingRank } from 'hast-util-heading-rank';
import { SKIP, visit } from 'unist-util-visit';
import { headingText } from './heading-text.js';
import type { Root } from 'hast';
import type { VFile } from 'vfile';

export interface HeadingOutline {
  /** Rank of the last heading seen; the templates' masthead title is an h1. */
  previousRank: number;
  /** The headings the next one may nest under: rank and text, outermost first. */
  parents: { rank: number; text: string }[];
  /** Where each heading text was first used, under its parents. */
  seen: Map<string, string>;
}

export const newHeadingOutline = (): HeadingOutline => ({ previousRank: 1, parents: [], seen: new Map() });

export default function rehypeAccessibilityWarnings(options: { outline: HeadingOutline }) {
  const { outline } = options;
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node, index, parent) => {
      const warn = (reason: string, ruleId: string, note: string) => {
        const message = file.message(reason, { place: node.position, ruleId, source: 'press' });
        message.note = note;
      };
      if (node.tagName === 'img' && !String(node.properties.alt ?? '').trim()) {
        warn(`image without alt text: ${String(node.properties.src ?? '')}`, 'image-alt', 'Describe the image for readers who cannot see it: ![what it shows](path).');
      }
      if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) return SKIP;
      const rank = headingRank(node);
      if (!rank) return undefined;
      if (rank > outline.previousRank + 1) {
        warn(
          `heading level skipped: h${outline.previousRank} then h${rank}`,
          'heading-level',
          `Use ${'#'.repeat(outline.previousRank + 1)} here, or add the missing level above it.`,
        );
      }
      outline.previousRank = rank;
      const text = headingText(node);
      if (!text) {
        warn('empty heading left out: it would have no entry in the tables of contents', 'heading-empty', 'Write the heading’s text after the #, or remove the line.');
        if (!parent || index === undefined) return undefined;
        parent.children.splice(index, 1);
        return index;
      }
      while (outline.parents.length && outline.parents.at(-1)!.rank >= rank) outline.parents.pop();
      const key = [...outline.parents.map((parent) => parent.text), text].join('\u0000');
      outline.parents.push({ rank, text });
      const first = outline.seen.get(key);
      if (first) warn(`duplicate heading: ${text}`, 'heading-duplicate', `Also used at ${first}; give each heading its own words.`);
      else outline.seen.set(key, `${file.path}:${node.position?.start.line ?? '?'}`);
      return undefined;
    });
  };
}
