/**
 * rehype plugin: insert soft hyphens (U+00AD) into running text, with Liang's
 * TeX patterns for the publication's language from the `hyphen` package.
 * Chromium's own `hyphens: auto` has no dictionaries in headless builds, so
 * justified print text needs the break points given to it.
 *
 * Headings, code, keyboard input, links, all-capital words and compounds that
 * already carry a hyphen (they break only there) are left whole, and no break
 * leaves fewer than three letters on either side of the line.
 *
 * Patterns break some words where a reader stumbles ("dis-ease", "the-rapist"):
 * an exceptions list, extended by the front matter's `hyphenationExceptions`,
 * says where such a word may break, or that it never does.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import createHyphenator from 'hyphen/hyphen.js';
import { SKIP, visit } from 'unist-util-visit';
import type { Root } from 'hast';

const SOFT_HYPHEN = '\u00ad';
/** The shortest word broken, and the fewest letters left on either side: CSS's `hyphenate-limit-chars: 6 3 3`. */
export const MIN_WORD = 6;
export const MIN_EDGE = 3;

/**
 * Words whose pattern breaks read as other words, misleading in a health text: each as it may
 * break (a hyphen at each place), or whole when it must never break.
 */
export const BUILT_IN_EXCEPTIONS = [
  'disease',
  'diseases',
  'diseased',
  'ther-a-pist',
  'ther-a-pists',
  'ther-a-py',
  'ther-a-pies',
  'manslaughter',
  'legend',
  'reinforce',
  'readjust',
  'nowhere',
];
const LEAVE_WHOLE = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'var', 'a', 'abbr', 'svg', 'script', 'style']);

const require = createRequire(import.meta.url);
const patternsFolder = path.join(path.dirname(require.resolve('hyphen/hyphen.js')), 'patterns');

/** Pattern file for a BCP 47 tag: the exact tag, then its language; English defaults to US patterns. */
export function hyphenationPatterns(lang: string): string | undefined {
  const tag = lang.toLowerCase();
  const primary = tag.split('-')[0]!;
  const candidates = [tag, primary === 'en' ? 'en-us' : primary === 'de' ? 'de-1996' : primary];
  return candidates.map((name) => path.join(patternsFolder, `${name}.js`)).find((file) => existsSync(file));
}

export interface HyphenateOptions {
  lang: string;
  /** More words as they may break (`ther-a-pist`), or written whole to keep them whole. */
  exceptions?: readonly string[];
}

/** Break positions (letters before each break) by lower-case word. */
function exceptionBreaks(exceptions: readonly string[]): Map<string, number[]> {
  return new Map(
    exceptions.map((exception) => {
      const breaks: number[] = [];
      exception.split('-').reduce((letters, part, index, parts) => {
        if (index < parts.length - 1) breaks.push(letters + part.length);
        return letters + part.length;
      }, 0);
      return [exception.replaceAll('-', '').toLowerCase(), breaks];
    }),
  );
}

export default function rehypeHyphenate(options: HyphenateOptions) {
  const patternsFile = hyphenationPatterns(options.lang);
  const hyphenateText = patternsFile ? createHyphenator(require(patternsFile)) : undefined;
  const exceptions = exceptionBreaks([...BUILT_IN_EXCEPTIONS, ...(options.exceptions ?? [])]);
  return (tree: Root) => {
    if (!hyphenateText) return;
    // Running text repeats its words: each distinct word is hyphenated once.
    const hyphenated = new Map<string, string>();
    const hyphenateOnce = (word: string) => {
      let result = hyphenated.get(word);
      if (result === undefined) hyphenated.set(word, (result = hyphenateWord(word, hyphenateText, exceptions)));
      return result;
    };
    visit(tree, (node) => {
      if (node.type === 'element' && LEAVE_WHOLE.has(node.tagName)) return SKIP;
      // A call-out's title line is its heading (render/rehype-callouts.ts).
      if (node.type === 'element' && Array.isArray(node.properties.className) && node.properties.className.includes('callout-title')) return SKIP;
      if (node.type === 'text') node.value = node.value.replace(/\p{L}[\p{L}\u2019'-]*/gu, hyphenateOnce);
      return undefined;
    });
  };
}

function hyphenateWord(word: string, hyphenateText: (text: string, options: { minWordLength: number }) => string, exceptions: Map<string, number[]>): string {
  if (word.length < MIN_WORD || word === word.toUpperCase() || word.includes('-')) return word;
  const exception = exceptions.get(word.toLowerCase());
  const parts = exception ? splitAt(word, exception) : hyphenateText(word, { minWordLength: MIN_WORD }).split(SOFT_HYPHEN);
  let result = parts[0]!;
  let before = result.length;
  for (const part of parts.slice(1)) {
    const after = word.length - before;
    result += (before >= MIN_EDGE && after >= MIN_EDGE ? SOFT_HYPHEN : '') + part;
    before += part.length;
  }
  return result;
}

function splitAt(word: string, breaks: number[]): string[] {
  return [0, ...breaks].map((start, index) => word.slice(start, breaks[index] ?? word.length));
}
