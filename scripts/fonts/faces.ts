/**
 * The typefaces of every edition, taken from @fontsource packages so that the
 * PDF and the EPUB embed the same files and no system font is used for any
 * script they cover. Fontsource splits each face into subsets by Unicode
 * range; a publication carries only the subsets its text uses (Latin always),
 * each declared with its `unicode-range`, and the code face only when there
 * is code, so an English article's EPUB does not grow by fonts it never shows.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { rangeTest, uncoveredCharacters, type FontFace } from './coverage.js';
import { scriptFacesFor } from './script-fonts.js';
import { languageOf } from '../languages/language.js';
import type { Resource } from '../base/resource.js';

export const BODY_FAMILY = 'Source Serif 4';
export const HEADING_FAMILY = 'Source Sans 3';
export const CODE_FAMILY = 'Source Code Pro';

const require = createRequire(import.meta.url);

const FAMILIES = [
  { pkg: 'source-serif-4', family: BODY_FAMILY, faces: [[400, 'normal'], [400, 'italic'], [700, 'normal'], [700, 'italic']] },
  { pkg: 'source-sans-3', family: HEADING_FAMILY, faces: [[400, 'normal'], [600, 'normal'], [700, 'normal']] },
  { pkg: 'source-code-pro', family: CODE_FAMILY, faces: [[400, 'normal']] },
] as const;

/**
 * Every subset each family has (Latin, Latin Extended, Vietnamese, Greek, Cyrillic…), Latin first, as every
 * publication needs it: a letter of a subset left out would be set in the browser's own fallback face.
 */
const subsetsOf = (ranges: Record<string, string>) => Object.keys(ranges).sort((a, b) => Number(b === 'latin') - Number(a === 'latin'));

const ALL_FACES: readonly FontFace[] = FAMILIES.flatMap(({ pkg, family, faces }) => {
  const ranges = JSON.parse(readFileSync(require.resolve(`@fontsource/${pkg}/unicode.json`), 'utf8')) as Record<string, string>;
  return faces.flatMap(([weight, style]) =>
    subsetsOf(ranges).map((subset): FontFace => {
      const fileName = `${pkg}-${subset}-${weight}-${style}.woff2`;
      return { family, weight, style, subset, unicodeRange: ranges[subset]!, fileName, path: require.resolve(`@fontsource/${pkg}/files/${fileName}`) };
    }),
  );
});

/** Elements set in the body face's italic (styles/base.css, and browsers' own defaults). */
const ITALIC_MARKUP = /<(em|i|cite|dfn|var|address)[\s>]/;
/** Elements set in the body face's bold: strong emphasis, and the ebook's table headers. */
const BOLD_MARKUP = /<(strong|b|th)[\s>]/;

/**
 * The faces a publication in `lang` needs: the subsets whose characters its text uses, the code face only with
 * code, the body face's italic and bold only when the markup in `text` asks for them (an article without emphasis
 * carried its italics in its EPUB for nothing), and for the characters these do not cover, the script faces of its
 * language (script-fonts.ts), first.
 */
export function fontFacesFor(text: string, hasCode: boolean, lang = 'en', bodyStyles?: { italic: boolean; bold: boolean }): FontFace[] {
  const italic = bodyStyles?.italic ?? ITALIC_MARKUP.test(text);
  // Scripts without italics set emphasis in bold (styles/scripts/).
  const bold = bodyStyles?.bold ?? (BOLD_MARKUP.test(text) || (italic && languageOf(lang).emphasis === 'bold'));
  const sourceFaces = sourceFacesFor(text, hasCode, italic, bold);
  const uncovered = uncoveredCharacters(text, ALL_FACES.filter((face) => face.family === BODY_FAMILY)).join('');
  if (!uncovered) return sourceFaces;
  const declared = [...new Map(sourceFaces.map((face) => [`${face.family} ${face.weight} ${face.style}`, face])).values()];
  const scriptFaces = scriptFacesFor(uncovered, lang, declared.map(({ family, weight, style }) => ({ family, weight, style, serif: family === BODY_FAMILY })));
  return [...scriptFaces, ...sourceFaces];
}

/** Each font file once: script faces stand in for several Source faces with the same file. */
export function distinctFontFiles(faces: readonly FontFace[]): FontFace[] {
  return [...new Map(faces.map((face) => [face.fileName, face])).values()];
}

function sourceFacesFor(text: string, hasCode: boolean, italic: boolean, bold: boolean): FontFace[] {
  const styleUsed = (face: FontFace) => face.family !== BODY_FAMILY || ((face.style === 'normal' || italic) && (face.weight === 400 || bold));
  const tests = new Map<string, boolean>();
  const used = (face: FontFace) => {
    if (face.subset === 'latin') return true;
    if (!tests.has(face.unicodeRange)) tests.set(face.unicodeRange, rangeTest(face.unicodeRange).test(text));
    return tests.get(face.unicodeRange)!;
  };
  return ALL_FACES.filter((face) => (face.family !== CODE_FAMILY || hasCode) && styleUsed(face) && used(face));
}

/**
 * `@font-face` rules for the faces; every edition keeps the files under `fonts/` beside its page. A web page
 * shows its text at once in a fallback face (`display: 'swap'`), where print and ebook wait for theirs, and
 * declares each file for the characters it was cut down to (`ranges`, by file name). A print page names its
 * files by another URL (`url`, from the file's `fonts/` key: base/resource.ts's shared URLs).
 */
export function fontFaceCss(
  faces: readonly FontFace[],
  { display, ranges, url = (key) => key }: { display?: 'swap'; ranges?: ReadonlyMap<string, string>; url?: (key: string) => string } = {},
): string {
  return faces
    .map(
      (face) =>
        `@font-face { font-family: "${face.family}"; font-weight: ${face.weight}; font-style: ${face.style}; ` +
        `src: url("${url(`fonts/${face.fileName}`)}") format("woff2"); unicode-range: ${ranges?.get(face.fileName) ?? face.unicodeRange};${display ? ` font-display: ${display};` : ''} }`,
    )
    .join('\n');
}

/** The font files, under the `fonts/` path the `@font-face` rules name. */
export const fontResources = (faces: readonly FontFace[]) =>
  Promise.all(distinctFontFiles(faces).map(async (face): Promise<[string, Resource]> => [`fonts/${face.fileName}`, { mediaType: 'font/woff2', bytes: await readFile(face.path) }]));

