/**
 * What the build needs to know about a publication's language, from its BCP 47
 * tag through the JavaScript Intl API (CLDR's data, as the browser has it):
 * its script and writing direction, its name in English and in itself, and the
 * stylesheets its script asks for (styles/scripts/).
 */
export interface Language {
  /** The tag as the manuscript gives it (`zh-Hans`, `ar`, `es`). */
  tag: string;
  /** ISO 15924 script, from the likely subtags (`ar` → `Arab`, `ja` → `Jpan`, `zh` → `Hans`). */
  script: string;
  dir: 'ltr' | 'rtl';
  /** "Arabic", "Simplified Chinese". */
  englishName: string;
  /** "العربية", "简体中文": how a reader finds their language in a list. */
  nativeName: string;
  /** Extra stylesheets from styles/scripts/, after the edition's own. */
  stylesheets: string[];
  /** How `<em>` is set: Arabic, Hebrew and CJK have no italics, and their stylesheets set it in bold. */
  emphasis: 'italic' | 'bold';
  /** Arabic-script text in Nastaliq, the style Urdu readers expect (and Panjabi's in Shahmukhi), not Naskh. */
  nastaliq: boolean;
}

/** Languages whose Arabic-script text is set in Nastaliq: Urdu, and Panjabi in Shahmukhi (`pa-Arab`, `pa-PK`). */
const NASTALIQ_LANGUAGES = new Set(['ur', 'pa']);

const CJK_SCRIPTS = new Set(['Jpan', 'Hans', 'Hant', 'Kore', 'Hani']);

export function languageOf(tag: string): Language {
  const locale = new Intl.Locale(tag).maximize();
  const script = locale.script ?? 'Latn';
  // Node 20 has the `textInfo` getter; later releases renamed it `getTextInfo()`.
  const info = locale as Intl.Locale & { textInfo?: { direction?: string }; getTextInfo?: () => { direction?: string } };
  const direction = info.getTextInfo?.().direction ?? info.textInfo?.direction;
  const dir = direction === 'rtl' ? 'rtl' : 'ltr';
  const nastaliq = script === 'Arab' && NASTALIQ_LANGUAGES.has(locale.language);
  return {
    tag,
    script,
    dir,
    englishName: new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag,
    nativeName: new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag,
    stylesheets: [...(dir === 'rtl' ? ['rtl.css'] : []), ...(nastaliq ? ['nastaliq.css'] : []), ...(CJK_SCRIPTS.has(script) ? ['cjk.css'] : [])],
    emphasis: dir === 'rtl' || CJK_SCRIPTS.has(script) ? 'bold' : 'italic',
    nastaliq,
  };
}

/** A tag's subtags, canonical (`ZH-hant` → zh, Hant) and lower-cased for comparing. */
const subtagsOf = (tag: string) => Intl.getCanonicalLocales(tag)[0]!.toLowerCase().split('-');
const startsWith = (tag: string[], prefix: string[]) => prefix.every((subtag, index) => tag[index] === subtag);

/**
 * Of two language tags that name the same language, the narrower (BCP 47: `zh-Hans` of `zh`, `pt-BR` of `pt`,
 * `sr-Latn` of `sr`, `zh-TW` of `zh-Hant` through its likely script); undefined when they name different languages
 * (`es` and `fr`, `zh-Hans` and `zh-TW`). Equal tags give the first.
 */
export function narrowerTag(first: string, second: string): string | undefined {
  const [a, b] = [subtagsOf(first), subtagsOf(second)];
  if (startsWith(b, a)) return second.length > first.length ? second : first;
  if (startsWith(a, b)) return first;
  const [maxA, maxB] = [subtagsOf(new Intl.Locale(first).maximize().toString()), subtagsOf(new Intl.Locale(second).maximize().toString())];
  if (startsWith(maxB, a)) return second;
  if (startsWith(maxA, b)) return first;
  return undefined;
}

/** Whether `tag` is a well-formed BCP 47 language tag (`es`, `zh-Hans`, `pt-BR`). */
export function isLanguageTag(tag: string): boolean {
  try {
    return new Intl.Locale(tag).language.length > 0;
  } catch {
    return false;
  }
}
