/**
 * The typefaces of every edition, taken from @fontsource packages so that the
 * PDF and the EPUB embed the same files and no system font is used for any
 * script they cover. Fontsource splits each face into subsets by Unicode
 * range; a publication carries only the subsets its text uses (Latin always),
 * each declared with its `unicode-range`, and the code face only when there
 * is code, so an English article's EPUB does not grow by fonts it never shows.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

export const BODY_FAMILY = 'Source Serif 4';
export const HEADING_FAMILY = 'Source Sans 3';
export const CODE_FAMILY = 'Source Code Pro';

const require = createRequire(import.meta.url);

const FAMILIES = [
  { pkg: 'source-serif-4', family: BODY_FAMILY, faces: [[400, 'normal'], [400, 'italic'], [700, 'normal'], [700, 'italic']] },
  { pkg: 'source-sans-3', family: HEADING_FAMILY, faces: [[400, 'normal'], [600, 'normal'], [700, 'normal']] },
  { pkg: 'source-code-pro', family: CODE_FAMILY, faces: [[400, 'normal']] },
] as const;

/** The scripts the three families cover; Latin first, as every publication needs it. */
const SUBSETS = ['latin', 'latin-ext', 'greek', 'cyrillic'] as const;

const ALL_FACES: readonly FontFace[] = FAMILIES.flatMap(({ pkg, family, faces }) => {
  const ranges = JSON.parse(readFileSync(require.resolve(`@fontsource/${pkg}/unicode.json`), 'utf8')) as Record<string, string>;
  return faces.flatMap(([weight, style]) =>
    SUBSETS.map((subset): FontFace => {
      const fileName = `${pkg}-${subset}-${weight}-${style}.woff2`;
      return { family, weight, style, subset, unicodeRange: ranges[subset]!, fileName, path: require.resolve(`@fontsource/${pkg}/files/${fileName}`) };
    }),
  );
});

/** `U+0370-0377,U+038C` → a test for any of those code points. */
function rangeTest(unicodeRange: string): RegExp {
  const classes = unicodeRange.split(',').map((part) => {
    const [from, to] = part.replace(/^U\+/, '').split('-');
    return to ? `\\u{${from}}-\\u{${to}}` : `\\u{${from}}`;
  });
  return new RegExp(`[${classes.join('')}]`, 'u');
}

/** Elements set in the body face's italic (styles/base.css, and browsers' own defaults). */
const ITALIC_MARKUP = /<(em|i|cite|dfn|var|address)[\s>]/;
/** Elements set in the body face's bold: strong emphasis, and the ebook's table headers. */
const BOLD_MARKUP = /<(strong|b|th)[\s>]/;

/**
 * The faces a publication needs: the subsets whose characters its text uses, the code face only
 * with code, the body face's italic and bold only when the markup in `text` asks for them (an
 * article without emphasis carried 41.6 kB of italics in its EPUB).
 */
export function fontFacesFor(text: string, hasCode: boolean, bodyStyles?: { italic: boolean; bold: boolean }): FontFace[] {
  const italic = bodyStyles?.italic ?? ITALIC_MARKUP.test(text);
  const bold = bodyStyles?.bold ?? BOLD_MARKUP.test(text);
  const styleUsed = (face: FontFace) => face.family !== BODY_FAMILY || ((face.style === 'normal' || italic) && (face.weight === 400 || bold));
  const tests = new Map<string, boolean>();
  const used = (face: FontFace) => {
    if (face.subset === 'latin') return true;
    if (!tests.has(face.unicodeRange)) tests.set(face.unicodeRange, rangeTest(face.unicodeRange).test(text));
    return tests.get(face.unicodeRange)!;
  };
  return ALL_FACES.filter((face) => (face.family !== CODE_FAMILY || hasCode) && styleUsed(face) && used(face));
}

/** `@font-face` rules for the faces; both editions keep the files under `fonts/` beside their page. */
export function fontFaceCss(faces: readonly FontFace[]): string {
  return faces
    .map(
      (face) =>
        `@font-face { font-family: "${face.family}"; font-weight: ${face.weight}; font-style: ${face.style}; ` +
        `src: url("fonts/${face.fileName}") format("woff2"); unicode-range: ${face.unicodeRange}; }`,
    )
    .join('\n');
}

/**
 * Every character of the text faces' subsets, as one test; white space and invisible format
 * characters (which print nothing) count as covered.
 */
const COVERED = new RegExp(
  `[${ALL_FACES.filter((face) => face.family === BODY_FAMILY)
    .map((face) => rangeTest(face.unicodeRange).source.slice(1, -1))
    .join('')}\\s\\p{Cc}\\p{Cf}]`,
  'u',
);

const UNCOVERED = new RegExp(COVERED.source.replace('[', '[^'), 'gu');

/** The characters of `text` that no face of the publication has, each once, in order. */
export function charactersWithoutFont(text: string): string[] {
  return [...new Set(text.match(UNCOVERED) ?? [])];
}
