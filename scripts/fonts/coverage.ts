/**
 * Which characters the publication's fonts cover, from the `unicode-range` of
 * each @fontsource subset (the ranges fontsource cuts from each font's own
 * character map). The build asks it which script faces a text needs
 * (scripts/script-fonts.ts); a check for characters no font covers can ask it
 * which characters those are.
 */

import { charactersOf } from './font-files.js';

/** One face of a family, in one subset: a .woff2 file of @fontsource. */
export interface FontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  subset: string;
  /** The subset's code points, as CSS `unicode-range` writes them. */
  unicodeRange: string;
  /** Absolute path of the .woff2 file inside node_modules. */
  path: string;
  /** File name used inside the EPUB and on the print page. */
  fileName: string;
}

/** `U+0370-0377,U+038C` → the body of a regular-expression class of those code points. */
function rangeClass(unicodeRange: string): string {
  return unicodeRange
    .split(',')
    .map((part) => {
      const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
      return to ? `\\u{${from}}-\\u{${to}}` : `\\u{${from}}`;
    })
    .join('');
}

/** `U+0370-0377,U+038C` → a test for any of those code points. */
export function rangeTest(unicodeRange: string): RegExp {
  return new RegExp(`[${rangeClass(unicodeRange)}]`, 'u');
}

const outsideOf = new Map<string, RegExp>();

/**
 * The distinct characters of `text` (code points; a lone surrogate is one), in order of first use: what
 * `[...new Set(text)]` gives. Read one UTF-16 unit at a time into a table of seen units rather than
 * spread into a set a character at a time: a book's text runs to megabytes, and is read so before its
 * print can start (docs/performance.md).
 */
export function distinctCharacters(text: string): string[] {
  const seen = new Uint8Array(0x10000);
  const seenAstral = new Set<number>();
  const characters: string[] = [];
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const codePoint = text.codePointAt(index)!;
      if (codePoint > 0xffff) {
        index += 1;
        if (!seenAstral.has(codePoint)) {
          seenAstral.add(codePoint);
          characters.push(String.fromCodePoint(codePoint));
        }
        continue;
      }
    }
    if (!seen[unit]) {
      seen[unit] = 1;
      characters.push(String.fromCharCode(unit));
    }
  }
  return characters;
}

/**
 * The distinct characters of `text` that none of `faces` covers (white space and controls aside), in order of first
 * use. One pass of a regular expression: a book's text runs to megabytes, and is seldom anything but Latin.
 */
export function uncoveredCharacters(text: string, faces: readonly Pick<FontFace, 'unicodeRange'>[]): string[] {
  const ranges = [...new Set(faces.map((face) => face.unicodeRange))].sort();
  const key = ranges.join(' ');
  let outside = outsideOf.get(key);
  if (!outside) outsideOf.set(key, (outside = new RegExp(`[^${ranges.map(rangeClass).join('')}\\s\\p{Cc}\\p{Cf}]`, 'gu')));
  return [...new Set(text.match(outside) ?? [])];
}

/**
 * The distinct characters of `text` that no face of `faces` has (white space and controls aside), in order of first
 * use: those no face's `unicode-range` claims, and those the faces that claim them lack in their files (the browser
 * tries each, then sets the character in a font of its own). Latin-1 is in every Latin file, and not looked up.
 */
export async function charactersWithoutFont(text: string, faces: readonly Pick<FontFace, 'unicodeRange' | 'path'>[]): Promise<string[]> {
  const outside = new Set(uncoveredCharacters(text, faces));
  const characters = distinctCharacters(text);
  const claimed = characters.filter((char) => !outside.has(char) && char.codePointAt(0)! > 0xff && !/[\s\p{Cc}\p{Cf}]/u.test(char));
  const lacking = new Set<string>();
  if (claimed.length) {
    const files = [...new Map(faces.map((face) => [face.path, face])).values()].map((face) => ({ test: rangeTest(face.unicodeRange), characters: charactersOf(face.path) }));
    for (const char of claimed) {
      const claimants = files.filter((file) => file.test.test(char));
      const held = await Promise.all(claimants.map((file) => file.characters));
      if (!held.some((characters) => characters.has(char.codePointAt(0)!))) lacking.add(char);
    }
  }
  return characters.filter((char) => outside.has(char) || lacking.has(char));
}

/**
 * The characters of `text` that `face` covers, as a CSS `unicode-range` (`U+41-5A,U+E9`): the range of
 * the face cut down to them, as its file is (a CJK slice's full range is over a kilobyte of CSS).
 */
export function coveredRange(face: Pick<FontFace, 'unicodeRange'>, text: string): string {
  const test = rangeTest(face.unicodeRange);
  const codePoints = distinctCharacters(text).filter((character) => test.test(character)).map((character) => character.codePointAt(0)!).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const codePoint of codePoints) {
    const last = runs.at(-1);
    if (last && codePoint === last[1] + 1) last[1] = codePoint;
    else runs.push([codePoint, codePoint]);
  }
  const hex = (codePoint: number) => codePoint.toString(16).toUpperCase();
  return runs.map(([from, to]) => (from === to ? `U+${hex(from)}` : `U+${hex(from)}-${hex(to)}`)).join(',');
}
