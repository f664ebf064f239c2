/**
 * Typefaces for the scripts the three Source families do not cover: Arabic,
 * Hebrew, Japanese and Chinese, from @fontsource's Noto packages (SIL Open
 * Font License, like the Source families).
 *
 * Each script face is declared under the name of the Source family it stands
 * beside ("Source Serif 4", "Source Sans 3", "Source Code Pro"), limited by its
 * `unicode-range`, so that every rule of the stylesheets that names a family
 * (text, headings, large print, the running heads) sets Latin in Source and
 * Arabic or kanji in Noto without listing fonts per script. The script faces
 * are declared before the Source ones: where ranges overlap (Noto's own Latin),
 * the later Source face wins.
 *
 * Which family sets a script follows the text's language as well as its
 * characters: Han characters take Japanese forms (Noto Sans JP) in a Japanese
 * text, or in any text with kana, and Simplified Chinese forms (Noto Sans SC)
 * otherwise. Only the subsets the text touches are declared: the CJK packages
 * are cut into about a hundred slices of a few hundred characters each, so a
 * leaflet carries a few dozen slices, not the whole face.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontFace } from './coverage.js';
import { rangeTest } from './coverage.js';

const require = createRequire(import.meta.url);

/** A @fontsource package that sets one script, and which of its subsets hold that script. */
interface ScriptPackage {
  pkg: string;
  /** The family's own name, for reports; the faces are declared under the Source names. */
  name: string;
  /** Subsets holding the script (CJK packages: their numbered slices). */
  subsets: (subset: string) => boolean;
}

const NUMBERED = (subset: string) => /^\[\d+\]$/.test(subset);

const NASKH_ARABIC: ScriptPackage = { pkg: 'noto-naskh-arabic', name: 'Noto Naskh Arabic', subsets: (s) => s === 'arabic' };
const SANS_ARABIC: ScriptPackage = { pkg: 'noto-sans-arabic', name: 'Noto Sans Arabic', subsets: (s) => s === 'arabic' };
const SANS_HEBREW: ScriptPackage = { pkg: 'noto-sans-hebrew', name: 'Noto Sans Hebrew', subsets: (s) => s === 'hebrew' };
const SANS_JP: ScriptPackage = { pkg: 'noto-sans-jp', name: 'Noto Sans JP', subsets: NUMBERED };
const SANS_SC: ScriptPackage = { pkg: 'noto-sans-sc', name: 'Noto Sans SC', subsets: NUMBERED };

/** A script, the characters that call for it, and the package that sets it in serif text and in sans-serif text. */
interface ScriptFonts {
  script: string;
  characters: RegExp;
  serif: ScriptPackage;
  sans: ScriptPackage;
}

const ARABIC: ScriptFonts = { script: 'Arabic', characters: /\p{Script=Arabic}/u, serif: NASKH_ARABIC, sans: SANS_ARABIC };
const HEBREW: ScriptFonts = { script: 'Hebrew', characters: /\p{Script=Hebrew}/u, serif: SANS_HEBREW, sans: SANS_HEBREW };
/** Han, kana, CJK punctuation and full-width forms. */
const CJK_CHARACTERS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const JAPANESE: ScriptFonts = { script: 'Japanese', characters: CJK_CHARACTERS, serif: SANS_JP, sans: SANS_JP };
const CHINESE: ScriptFonts = { script: 'Simplified Chinese', characters: CJK_CHARACTERS, serif: SANS_SC, sans: SANS_SC };

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The script families a text in `lang` needs, one per script it uses, Han by its language: Japanese forms in
 * Japanese, Chinese forms in Chinese, and in any other language Japanese when the text has kana. A text may hold
 * Han characters the chosen family lacks (a Chinese language-assistance line in a Japanese leaflet: 费, 务, 请):
 * the other CJK family, `fallback`, sets those.
 */
export function scriptFontsFor(text: string, lang: string): (ScriptFonts & { fallback?: ScriptFonts })[] {
  const script = new Intl.Locale(lang).maximize().script;
  const japanese = script === 'Jpan' || (script !== 'Hans' && script !== 'Hant' && KANA.test(text));
  const han = japanese ? { ...JAPANESE, fallback: CHINESE } : { ...CHINESE, fallback: JAPANESE };
  return [ARABIC, HEBREW, han].filter((fonts) => fonts.characters.test(text));
}

/** The weights script faces are given: a Source weight in between takes the nearer of these (600 → 700). */
const SCRIPT_WEIGHTS = [400, 700] as const;
const nearestWeight = (weight: number) => (weight >= 550 ? 700 : 400);

interface Slice {
  pkg: ScriptPackage;
  subset: string;
  unicodeRange: string;
  test: RegExp;
}

const slicesOf = new Map<ScriptPackage, Slice[]>();
function slices(pkg: ScriptPackage): Slice[] {
  let found = slicesOf.get(pkg);
  if (!found) {
    const ranges = JSON.parse(readFileSync(require.resolve(`@fontsource/${pkg.pkg}/unicode.json`), 'utf8')) as Record<string, string>;
    found = Object.entries(ranges)
      .filter(([subset]) => pkg.subsets(subset))
      .map(([subset, unicodeRange]) => ({ pkg, subset, unicodeRange, test: rangeTest(unicodeRange) }));
    slicesOf.set(pkg, found);
  }
  return found;
}

/** The Source faces script faces are declared beside: family, weight, style, and whether it is a serif. */
export interface SourceFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  serif: boolean;
}

/**
 * The script faces for `text` (its characters outside the Source families' subsets): for each Source face, the
 * script package's slices the text touches, in the nearer of regular and bold, declared under the Source name.
 * Arabic, Hebrew and CJK have no italics: an italic Source face gets the upright script face.
 */
export function scriptFacesFor(uncoveredText: string, lang: string, sourceFaces: readonly SourceFace[]): FontFace[] {
  const characters = [...new Set(uncoveredText)].join('');
  const faces: FontFace[] = [];
  for (const fonts of scriptFontsFor(characters, lang)) {
    // The fallback's faces come first: where its slices overlap the chosen family's, the later declared wins.
    const lacking = fonts.fallback ? charactersOutside(characters, fonts) : '';
    if (lacking) faces.push(...facesOf(fonts.fallback!, lacking, sourceFaces));
    faces.push(...facesOf(fonts, characters, sourceFaces));
  }
  return faces;
}

/** The characters of `text` that no slice of `fonts` holds. */
function charactersOutside(text: string, fonts: ScriptFonts): string {
  const covered = (char: string) => [fonts.serif, fonts.sans].every((pkg) => slices(pkg).some((slice) => slice.test.test(char)));
  return [...text].filter((char) => fonts.characters.test(char) && !covered(char)).join('');
}

/** For each Source face, the slices of `fonts` that `characters` touch, declared under the Source name. */
function facesOf(fonts: ScriptFonts, characters: string, sourceFaces: readonly SourceFace[]): FontFace[] {
  return sourceFaces.flatMap((source) => {
    const pkg = source.serif ? fonts.serif : fonts.sans;
    const weight = nearestWeight(source.weight);
    return slices(pkg)
      .filter((slice) => slice.test.test(characters))
      .map((slice): FontFace => {
        const fileName = `${pkg.pkg}-${slice.subset.replace(/[[\]]/g, '')}-${weight}-normal.woff2`;
        return {
          family: source.family,
          weight: source.weight,
          style: source.style,
          subset: `${pkg.pkg}-${slice.subset}`,
          unicodeRange: slice.unicodeRange,
          fileName,
          path: require.resolve(`@fontsource/${pkg.pkg}/files/${fileName}`),
        };
      });
  });
}

/** Every family this module can bring, for reports: its name and the scripts it sets. */
export const SCRIPT_FAMILIES = [NASKH_ARABIC, SANS_ARABIC, SANS_HEBREW, SANS_JP, SANS_SC].map((pkg) => pkg.name);
export { SCRIPT_WEIGHTS };
