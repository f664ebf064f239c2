/**
 * rehype plugin: warn about what makes a handout hard to use with a screen
 * reader or a table of contents, without stopping the build (`--strict` does):
 * an image without alt text, a heading that skips a level (## then ####), an
 * empty heading (which is left out: it would be an empty entry in the contents
 * lists, and an empty heading to a screen reader), two headings with the same text under the same heading
 * (indistinguishable in the nested contents lists; "Exercises" in each chapter
 * of a book is not), a run of another script (Greek, Cyrillic, Hebrew, Japanese…)
 * with no `lang` to say which language a screen reader should speak it in, and
 * characters no font of the publication has. The "Footnotes" heading remark-rehype
 * adds is not the author's, and is not looked at.
 *
 * What keeps a publication from being accessible is also recorded in the file's
 * data (`accessibilityGaps`): the EPUB's and the PDF's claims are made only when
 * there is none (render/template.ts, outputs/pdf-structure.ts).
 *
 * The outline runs across the manuscript's files, so one `HeadingOutline` is
 * shared by the files of a build, which must be run through it in reading order.
 */
import { headingRank } from 'hast-util-heading-rank';
import { visitParents } from 'unist-util-visit-parents';
import { headingText } from '../heading-text.js';
import type { Element, Root, Text } from 'hast';
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

export interface AccessibilityGaps {
  /** Images with no description (no `alt`), by their `src`. */
  undescribedImages: string[];
  /** Runs of another script with no `lang`. */
  untaggedLanguageChanges: string[];
}

export const noAccessibilityGaps = (): AccessibilityGaps => ({ undescribedImages: [], untaggedLanguageChanges: [] });

export default function rehypeAccessibilityWarnings(options: { outline: HeadingOutline; lang: string }) {
  const { outline } = options;
  return (tree: Root, file: VFile) => {
    const gaps = (file.data.accessibilityGaps = noAccessibilityGaps());
    visitParents(tree, (node, ancestors) => {
      if (node.type === 'text') {
        // Text the build made (a note's "↩") has no place in the manuscript, and is not the author's to change.
        if (node.position && !ancestors.some((ancestor) => ancestor.type === 'element' && CODE.has(ancestor.tagName))) checkText(node, languageOf(ancestors, options.lang), file, gaps);
        return;
      }
      if (node.type !== 'element') return;
      const parent = ancestors.at(-1);
      const index = parent?.children.indexOf(node);
      const warn = (reason: string, ruleId: string, note: string) => {
        const message = file.message(reason, { place: node.position, ruleId, source: 'press' });
        message.note = note;
      };
      if (node.tagName === 'img' && isUndescribed(node)) {
        gaps.undescribedImages.push(String(node.properties.src ?? ''));
        warn(
          `image without alt text: ${String(node.properties.src ?? '')}`,
          'image-alt',
          'Describe the image for readers who cannot see it: ![what it shows](path). A purely decorative image is written in HTML, ' +
            '<img src="path" alt="">. Until then the PDF makes no PDF/UA claim and the EPUB no WCAG claim.',
        );
      }
      // The "Footnotes" heading remark-rehype adds is not the author's; the notes' own text and images are looked at.
      const inFootnotes = ancestors.some((ancestor) => ancestor.type === 'element' && ancestor.tagName === 'section' && ancestor.properties.dataFootnotes !== undefined);
      const rank = inFootnotes ? undefined : headingRank(node);
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

/** No `alt` at all (rehype-markdown-alt removes an empty Markdown one), or one of white space only; `alt=""` is decorative. */
const isUndescribed = (image: Element) => {
  const alt = image.properties.alt;
  return alt === undefined || alt === null || (String(alt) !== '' && !String(alt).trim());
};

/** Code is not language: its letters are read as typed. */
const CODE = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style']);

/** The scripts a language is written in, for the languages whose script is not Latin; any other is written in Latin. */
const SCRIPTS_OF_LANGUAGE: Readonly<Record<string, readonly string[]>> = {
  el: ['Greek'],
  ru: ['Cyrillic'], uk: ['Cyrillic'], bg: ['Cyrillic'], sr: ['Cyrillic'], mk: ['Cyrillic'], be: ['Cyrillic'], kk: ['Cyrillic'],
  he: ['Hebrew'], yi: ['Hebrew'],
  ar: ['Arabic'], fa: ['Arabic'], ur: ['Arabic'],
  ja: ['Han', 'Hiragana', 'Katakana'], zh: ['Han'], ko: ['Hangul', 'Han'],
  th: ['Thai'], hi: ['Devanagari'], mr: ['Devanagari'], ne: ['Devanagari'], hy: ['Armenian'], ka: ['Georgian'],
};
const OTHER_SCRIPTS = ['Greek', 'Cyrillic', 'Hebrew', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Thai', 'Devanagari', 'Armenian', 'Georgian'];
/** Two or more letters of one of those scripts (a lone "μ" in "μg" is a symbol, not a language), with the marks and spaces between them. */
const SCRIPT_RUN = new RegExp(OTHER_SCRIPTS.map((script) => `(?<${script}>\\p{Script=${script}}(?:[\\p{Script=${script}}\\p{M}]|\\s(?=\\p{Script=${script}}))+)`).join('|'), 'gu');

/** Any letter of those scripts: most text has none, and is not searched for runs. */
const ANY_OTHER_SCRIPT = new RegExp(`[${OTHER_SCRIPTS.map((script) => `\\p{Script=${script}}`).join('')}]`, 'u');

function languageOf(ancestors: readonly (Root | Element)[], fallback: string): string {
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const ancestor = ancestors[index]!;
    if (ancestor.type === 'element' && typeof ancestor.properties.lang === 'string') return ancestor.properties.lang;
  }
  return fallback;
}

function checkText(node: Text, lang: string, file: VFile, gaps: AccessibilityGaps): void {
  const expected = SCRIPTS_OF_LANGUAGE[lang.toLowerCase().split('-')[0]!] ?? [];
  for (const match of ANY_OTHER_SCRIPT.test(node.value) ? node.value.matchAll(SCRIPT_RUN) : []) {
    const script = Object.entries(match.groups ?? {}).find(([, value]) => value !== undefined)![0];
    if (expected.includes(script)) continue;
    gaps.untaggedLanguageChanges.push(match[0]);
    const message = file.message(`text in ${script === 'Han' || script === 'Hiragana' || script === 'Katakana' ? 'Japanese or Chinese' : script} script without a language: ${match[0]}`, {
      place: placeIn(node, match.index),
      ruleId: 'language-change',
      source: 'press',
    });
    message.note = `Mark its language, for screen readers to speak it right: <span lang="…">${match[0]}</span> (a BCP 47 code, such as el, ru, he, ja). Until then the EPUB makes no WCAG claim.`;
  }
}

/** Where the character at `index` of a text node is in the source, as near as the text node tells (smart quotes and entities change no line). */
function placeIn(node: Text, index: number) {
  const start = node.position?.start;
  if (!start) return undefined;
  const before = node.value.slice(0, index);
  const lines = before.split('\n');
  return lines.length === 1 ? { line: start.line, column: start.column + index } : { line: start.line + lines.length - 1, column: lines.at(-1)!.length + 1 };
}

declare module 'vfile' {
  interface DataMap {
    /** What keeps the file from being accessible, set by rehype-accessibility-warnings. */
    accessibilityGaps: AccessibilityGaps;
  }
}
