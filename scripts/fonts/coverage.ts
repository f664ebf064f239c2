/**
 * Which characters the publication's fonts cover, from the `unicode-range` of
 * each @fontsource subset (the ranges fontsource cuts from each font's own
 * character map). The build asks it which script faces a text needs
 * (scripts/script-fonts.ts); a check for characters no font covers can ask it
 * which characters those are.
 */

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
