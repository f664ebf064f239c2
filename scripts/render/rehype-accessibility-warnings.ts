/**
 * rehype plugin: warn about what makes a handout hard to use with a screen
 * reader or a table of contents, without stopping the build (`--strict` does):
 * an image without alt text, a heading that skips a level (## then ####), and
 * two headings with the same text (indistinguishable in both contents lists).
 *
 * The outline runs across the manuscript's files, so one `HeadingOutline` is
 * shared by the files of a build, which must be run through it in reading order.
 */
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Root } from 'hast';
import type { VFile } from 'vfile';

export interface HeadingOutline {
  /** Rank of the last heading seen; the templates' masthead title is an h1. */
  previousRank: number;
  /** Where each heading text was first used. */
  seen: Map<string, string>;
}

export const newHeadingOutline = (): HeadingOutline => ({ previousRank: 1, seen: new Map() });

export default function rehypeAccessibilityWarnings(options: { outline: HeadingOutline }) {
  const { outline } = options;
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node) => {
      const warn = (reason: string, ruleId: string, note: string) => {
        const message = file.message(reason, { place: node.position, ruleId, source: 'press' });
        message.note = note;
      };
      if (node.tagName === 'img' && !String(node.properties.alt ?? '').trim()) {
        warn(`image without alt text: ${String(node.properties.src ?? '')}`, 'image-alt', 'Describe the image for readers who cannot see it: ![what it shows](path).');
      }
      const rank = headingRank(node);
      if (!rank) return;
      if (rank > outline.previousRank + 1) {
        warn(
          `heading level skipped: h${outline.previousRank} then h${rank}`,
          'heading-level',
          `Use ${'#'.repeat(outline.previousRank + 1)} here, or add the missing level above it.`,
        );
      }
      outline.previousRank = rank;
      const text = toString(node).trim().replace(/\s+/g, ' ');
      const first = outline.seen.get(text);
      if (first) warn(`duplicate heading: ${text}`, 'heading-duplicate', `Also used at ${first}; give each heading its own words.`);
      else outline.seen.set(text, `${file.path}:${node.position?.start.line ?? '?'}`);
    });
  };
}
