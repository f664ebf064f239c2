/**
 * Typefaces for the scripts the three Source families do not cover, from
 * @fontsource's Noto packages (SIL Open Font License, like the Source families):
 * Arabic (Naskh; Nastaliq for Urdu), Hebrew, Devanagari, Gurmukhi, Bengali,
 * Gujarati, Tamil, Ethiopic, Hangul, and Han with kana in the forms of Japan,
 * mainland China, Taiwan and Hong Kong.
 *
 * Each script face is declared under the name of the Source family it stands
 * beside ("Source Serif 4", "Source Sans 3", "Source Code Pro"), limited by its
 * `unicode-range`, so that every rule of the stylesheets that names a family
 * (text, headings, large print, the running heads) sets Latin in Source and
 * Devanagari or kanji in Noto without listing fonts per script. The script faces
 * are declared before the Source ones: where ranges overlap (Noto's own Latin),
 * the later Source face wins.
 *
 * Which family sets a script follows the text's language as well as its
 * characters: Urdu is set in Nastaliq, the style its readers expect, Arabic and
 * Persian in Naskh; Han characters take the forms of the language's region
 * (Noto Sans JP, SC, TC, HK or KR), and in a text of another language Japanese
 * forms when it has kana, Korean ones when it has Hangul, mainland Chinese
 * otherwise. Only the subsets the text touches are declared: the CJK packages
 * are cut into about a hundred slices of a few hundred characters each, so a
 * leaflet carries a few dozen slices, not the whole face.
 *
 * A large package may be left out of `npm install` (Noto Sans HK, the Hong Kong
 * forms; docs/languages.md has the sizes): a language that needs it is then
 * refused with the command that installs it (MissingFontPackage).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontFace } from './coverage.js';
import { distinctCharacters, rangeTest } from './coverage.js';
import { languageOf } from '../languages/language.js';

const require = createRequire(import.meta.url);

/** A @fontsource package that sets one script, and which of its subsets hold that script. */
export interface ScriptPackage {
  pkg: string;
  /** The family's own name, for reports; the faces are declared under the Source names. */
  name: string;
  /** Subsets holding the script (CJK packages: their numbered slices). */
  subsets: (subset: string) => boolean;
  /** Not installed by `npm install`: the version range `npm install` is told to add, when a language needs it. */
  optional?: string;
}

const NUMBERED = (subset: string) => /^\[\d+\]$/.test(subset);
const named = (name: string) => (subset: string) => subset === name;
const noto = (pkg: string, name: string, subsets: (subset: string) => boolean, optional?: string): ScriptPackage => ({ pkg, name, subsets, optional });

const NASKH_ARABIC = noto('noto-naskh-arabic', 'Noto Naskh Arabic', named('arabic'));
const SANS_ARABIC = noto('noto-sans-arabic', 'Noto Sans Arabic', named('arabic'));
const NASTALIQ_URDU = noto('noto-nastaliq-urdu', 'Noto Nastaliq Urdu', named('arabic'));
const SANS_HEBREW = noto('noto-sans-hebrew', 'Noto Sans Hebrew', named('hebrew'));
const SANS_DEVANAGARI = noto('noto-sans-devanagari', 'Noto Sans Devanagari', named('devanagari'));
const SANS_GURMUKHI = noto('noto-sans-gurmukhi', 'Noto Sans Gurmukhi', named('gurmukhi'));
const SANS_BENGALI = noto('noto-sans-bengali', 'Noto Sans Bengali', named('bengali'));
const SANS_GUJARATI = noto('noto-sans-gujarati', 'Noto Sans Gujarati', named('gujarati'));
const SANS_TAMIL = noto('noto-sans-tamil', 'Noto Sans Tamil', named('tamil'));
const SANS_ETHIOPIC = noto('noto-sans-ethiopic', 'Noto Sans Ethiopic', named('ethiopic'));
const SANS_JP = noto('noto-sans-jp', 'Noto Sans JP', NUMBERED);
const SANS_SC = noto('noto-sans-sc', 'Noto Sans SC', NUMBERED);
const SANS_TC = noto('noto-sans-tc', 'Noto Sans TC', NUMBERED);
const SANS_HK = noto('noto-sans-hk', 'Noto Sans HK', NUMBERED, '^5.3.0');
const SANS_KR = noto('noto-sans-kr', 'Noto Sans KR', NUMBERED);

/** A script, the characters that call for it, and the package that sets it in serif text and in sans-serif text. */
interface ScriptFonts {
  script: string;
  characters: RegExp;
  serif: ScriptPackage;
  sans: ScriptPackage;
}

const same = (script: string, characters: RegExp, pkg: ScriptPackage): ScriptFonts => ({ script, characters, serif: pkg, sans: pkg });

const ARABIC: ScriptFonts = { script: 'Arabic', characters: /\p{Script=Arabic}/u, serif: NASKH_ARABIC, sans: SANS_ARABIC };
/** Nastaliq has no sans-serif: Urdu headings are Nastaliq too, as Urdu print sets them. */
const ARABIC_NASTALIQ = same('Arabic (Nastaliq)', /\p{Script=Arabic}/u, NASTALIQ_URDU);
/**
 * The scripts set by one family each, in the order they are declared. A character shared by several (the danda
 * U+0964 of Devanagari, Bengali and Gurmukhi text) is Common, not any one's: it is set by the face of the script
 * around it, whose range has it too.
 */
const ONE_FAMILY_SCRIPTS: readonly ScriptFonts[] = [
  same('Hebrew', /\p{Script=Hebrew}/u, SANS_HEBREW),
  same('Devanagari', /\p{Script=Devanagari}/u, SANS_DEVANAGARI),
  same('Gurmukhi', /\p{Script=Gurmukhi}/u, SANS_GURMUKHI),
  same('Bengali', /\p{Script=Bengali}/u, SANS_BENGALI),
  same('Gujarati', /\p{Script=Gujarati}/u, SANS_GUJARATI),
  same('Tamil', /\p{Script=Tamil}/u, SANS_TAMIL),
  same('Ethiopic', /\p{Script=Ethiopic}/u, SANS_ETHIOPIC),
];

/** Han, kana, Hangul, CJK punctuation and full-width forms. */
const CJK_CHARACTERS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const CJK = {
  Japanese: same('Japanese', CJK_CHARACTERS, SANS_JP),
  'Simplified Chinese': same('Simplified Chinese', CJK_CHARACTERS, SANS_SC),
  'Traditional Chinese': same('Traditional Chinese', CJK_CHARACTERS, SANS_TC),
  'Traditional Chinese (Hong Kong)': same('Traditional Chinese (Hong Kong)', CJK_CHARACTERS, SANS_HK),
  Korean: same('Korean', CJK_CHARACTERS, SANS_KR),
};
type CjkName = keyof typeof CJK;

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/** Which CJK family sets Han characters in a text of `lang`: by the language's script and region, then by the text's kana or Hangul. */
function cjkFamilyOf(text: string, lang: string): CjkName {
  const locale = new Intl.Locale(lang).maximize();
  if (locale.script === 'Jpan') return 'Japanese';
  if (locale.script === 'Kore') return 'Korean';
  if (locale.script === 'Hant') return locale.region === 'HK' || locale.region === 'MO' ? 'Traditional Chinese (Hong Kong)' : 'Traditional Chinese';
  if (locale.script === 'Hans') return 'Simplified Chinese';
  return KANA.test(text) ? 'Japanese' : HANGUL.test(text) ? 'Korean' : 'Simplified Chinese';
}

/**
 * The CJK families that set what the chosen one lacks (a Chinese language-assistance line in a Japanese leaflet:
 * 费, 务, 请; Hangul in a Chinese one), nearest first; never a package that is not installed.
 */
const CJK_FALLBACKS: Record<CjkName, CjkName[]> = {
  Japanese: ['Simplified Chinese', 'Traditional Chinese', 'Korean'],
  'Simplified Chinese': ['Traditional Chinese', 'Japanese', 'Korean'],
  'Traditional Chinese': ['Traditional Chinese (Hong Kong)', 'Simplified Chinese', 'Japanese', 'Korean'],
  'Traditional Chinese (Hong Kong)': ['Traditional Chinese', 'Simplified Chinese', 'Japanese', 'Korean'],
  Korean: ['Traditional Chinese', 'Simplified Chinese', 'Japanese'],
};

/**
 * The script families a text in `lang` needs, one per script it uses, Han by its language; for CJK, the families
 * that set the characters the chosen one lacks (`fallbacks`).
 */
export function scriptFontsFor(text: string, lang: string): (ScriptFonts & { fallbacks?: ScriptFonts[] })[] {
  const locale = new Intl.Locale(lang).maximize();
  const arabic = languageOf(lang).nastaliq ? ARABIC_NASTALIQ : ARABIC;
  const cjk = cjkFamilyOf(text, lang);
  const han = { ...CJK[cjk], fallbacks: CJK_FALLBACKS[cjk].map((name) => CJK[name]).filter((fonts) => installed(fonts.serif)) };
  const found = [arabic, ...ONE_FAMILY_SCRIPTS, han].filter((fonts) => fonts.characters.test(text));
  // The language's own script last: declared last, its face sets what its range shares with the others' (the danda).
  const own = found.findIndex((fonts) => fonts.characters.test(locale.script === 'Hani' ? '漢' : scriptSample(locale.script)));
  return own === -1 ? found : [...found.slice(0, own), ...found.slice(own + 1), found[own]!];
}

/** A letter of an ISO 15924 script, to find which of the script fonts is the language's own. */
function scriptSample(script: string | undefined): string {
  const samples: Record<string, string> = {
    Arab: 'ا', Hebr: 'א', Deva: 'क', Guru: 'ਕ', Beng: 'ক', Gujr: 'ક', Taml: 'க', Ethi: 'ሀ', Jpan: 'あ', Kore: '가', Hans: '汉', Hant: '漢',
  };
  return samples[script ?? ''] ?? '';
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

/** A language needs a font package that `npm install` left out: what to run is in the message. */
export class MissingFontPackage extends Error {
  constructor(
    readonly pkg: ScriptPackage,
    readonly script: string,
  ) {
    super(`${script} text needs the font package @fontsource/${pkg.pkg} (${pkg.name}), which is not installed`);
  }

  /** The command that installs it. */
  get command(): string {
    return `npm install @fontsource/${this.pkg.pkg}@${this.pkg.optional ?? 'latest'}`;
  }
}

/** Where a package's file is; for tests, a package can be made to look missing. */
export const fontPackageFiles = {
  resolve: (specifier: string): string => require.resolve(specifier),
};

function installed(pkg: ScriptPackage): boolean {
  try {
    fontPackageFiles.resolve(`@fontsource/${pkg.pkg}/unicode.json`);
    return true;
  } catch {
    return false;
  }
}

const slicesOf = new Map<ScriptPackage, Slice[]>();
function slices(pkg: ScriptPackage, script: string): Slice[] {
  let found = slicesOf.get(pkg);
  if (!found) {
    if (!installed(pkg)) throw new MissingFontPackage(pkg, script);
    const ranges = JSON.parse(readFileSync(fontPackageFiles.resolve(`@fontsource/${pkg.pkg}/unicode.json`), 'utf8')) as Record<string, string>;
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
 * These scripts have no italics: an italic Source face gets the upright script face. Throws MissingFontPackage
 * when a package the text needs is not installed.
 */
export function scriptFacesFor(uncoveredText: string, lang: string, sourceFaces: readonly SourceFace[]): FontFace[] {
  const characters = distinctCharacters(uncoveredText).join('');
  const faces: FontFace[] = [];
  for (const fonts of scriptFontsFor(characters, lang)) {
    // The fallbacks' faces come first, the farthest first: where slices overlap, the later declared wins.
    let lacking = charactersOutside(characters, fonts);
    const fallbackFaces: FontFace[][] = [];
    for (const fallback of fonts.fallbacks ?? []) {
      if (!lacking) break;
      fallbackFaces.unshift(facesOf(fallback, lacking, sourceFaces));
      lacking = charactersOutside(lacking, fallback);
    }
    faces.push(...fallbackFaces.flat(), ...facesOf(fonts, characters, sourceFaces));
  }
  return faces;
}

/** The characters of `text` that no slice of `fonts` holds. */
function charactersOutside(text: string, fonts: ScriptFonts): string {
  const covered = (char: string) => [fonts.serif, fonts.sans].every((pkg) => slices(pkg, fonts.script).some((slice) => slice.test.test(char)));
  return [...text].filter((char) => fonts.characters.test(char) && !covered(char)).join('');
}

/** For each Source face, the slices of `fonts` that `characters` touch, declared under the Source name. */
function facesOf(fonts: ScriptFonts, characters: string, sourceFaces: readonly SourceFace[]): FontFace[] {
  return sourceFaces.flatMap((source) => {
    const pkg = source.serif ? fonts.serif : fonts.sans;
    const weight = nearestWeight(source.weight);
    return slices(pkg, fonts.script)
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
          path: fontPackageFiles.resolve(`@fontsource/${pkg.pkg}/files/${fileName}`),
        };
      });
  });
}

const PACKAGES = [NASKH_ARABIC, SANS_ARABIC, NASTALIQ_URDU, SANS_HEBREW, SANS_DEVANAGARI, SANS_GURMUKHI, SANS_BENGALI, SANS_GUJARATI, SANS_TAMIL, SANS_ETHIOPIC, SANS_JP, SANS_SC, SANS_TC, SANS_HK, SANS_KR];
/** Every family this module can bring, for reports; those not installed say so. */
export const SCRIPT_FAMILIES = PACKAGES.map((pkg) => pkg.name);
export const scriptFamiliesInstalled = () => PACKAGES.filter(installed).map((pkg) => pkg.name);
export { SCRIPT_WEIGHTS };
