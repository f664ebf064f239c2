/**
 * The digits a language prints its numbers in. Persian and Urdu print ۰۱۲۳, Arabic
 * (in much of the Arab world) ٠١٢٣, Hindi often ०१२३, Bengali ০১২৩: CLDR calls these
 * the language's native numbering system. Clinics differ in which their patients
 * read best, so a leaflet has the digits 0–9 unless its front matter says
 * `numerals: native`; then the numbers of its text, its list items, its dates and
 * its page numbers take the native digits (render/plugins/rehype-native-digits.ts,
 * and the counter style below for what the stylesheets number).
 */

/** CLDR's native decimal numbering system of each language that has one of its own (cldr-numbers: `otherNumberingSystems.native`). */
const NATIVE_SYSTEMS: Readonly<Record<string, string>> = {
  ar: 'arab', fa: 'arabext', ur: 'arabext', ps: 'arabext', ks: 'arabext', sd: 'arab', ckb: 'arab',
  hi: 'deva', mr: 'deva', ne: 'deva', bn: 'beng', as: 'beng', pa: 'guru', gu: 'gujr', ta: 'tamldec',
  te: 'telu', kn: 'knda', ml: 'mlym', or: 'orya', my: 'mymr', km: 'khmr', lo: 'laoo', th: 'thai', bo: 'tibt', dz: 'tibt',
};

export interface Numerals {
  /** The Unicode numbering system (`arabext`), as `-u-nu-` names it. */
  system: string;
  /** Its digits, zero to nine. */
  digits: string[];
}

/** The native digits of `lang`, or undefined where it prints 0–9 (Panjabi in Shahmukhi takes the Extended Arabic-Indic ones). */
export function nativeNumerals(lang: string): Numerals | undefined {
  const locale = new Intl.Locale(lang).maximize();
  const system = locale.language === 'pa' && locale.script === 'Arab' ? 'arabext' : NATIVE_SYSTEMS[locale.language];
  if (!system) return undefined;
  const format = new Intl.NumberFormat(`${locale.language}-u-nu-${system}`, { useGrouping: false });
  return { system, digits: Array.from({ length: 10 }, (_, digit) => format.format(digit)) };
}

/** The numerals a publication prints in: the language's own when its front matter asks for `native` and it has them. */
export const numeralsOf = ({ lang, numerals }: { lang: string; numerals?: 'native' | 'western' }): Numerals | undefined =>
  numerals === 'native' ? nativeNumerals(lang) : undefined;

/** `text` with its digits 0–9 written in `numerals`. */
export const inNumerals = (text: string, numerals: Numerals) => text.replace(/[0-9]/g, (digit) => numerals.digits[Number(digit)]!);

/** The locale that formats dates and numbers in the publication's language and digits (`fa-u-nu-arabext`). */
export const formattingLocale = (lang: string, numerals: Numerals | undefined) => (numerals ? `${lang}-u-nu-${numerals.system}` : lang);

/**
 * A counter style of the native digits, and the numbers the stylesheets make given it: the items of
 * numbered lists (those that ask for no other style) and, in print, the page numbers.
 */
export function numeralsCss(numerals: Numerals | undefined, { print }: { print: boolean }): string {
  if (!numerals) return '';
  const symbols = numerals.digits.map((digit) => `"${digit}"`).join(' ');
  return [
    `@counter-style native-digits { system: numeric; symbols: ${symbols}; }`,
    'ol:not([type]) { list-style-type: native-digits; }',
    ...(print ? ['@page { @bottom-center { content: counter(page, native-digits) " / " counter(pages, native-digits); } }'] : []),
  ].join('\n');
}
