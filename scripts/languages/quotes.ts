/**
 * The quotation marks of a language, from the Unicode CLDR (`cldr-misc-full`,
 * the data browsers and operating systems use): “…” and ‘…’ in English, „…“
 * in German, «…» in French, 「…」 in Japanese. Straight double quotes typed in
 * the manuscript become these (remark-smartypants' `openingQuotes` and
 * `closingQuotes`); a language CLDR does not know keeps the English ones.
 *
 * Single quotes stay ‘…’: SmartyPants makes every apostrophe a closing single
 * quote, and the apostrophe is ’ in every language (German `geht’s`, French
 * `l’eau`), where CLDR's closing single quote is ‘ in German and » in French.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const main = path.join(path.dirname(require.resolve('cldr-misc-full/package.json')), 'main');

export interface LanguageQuotes {
  openingQuotes: { double: string; single: string };
  closingQuotes: { double: string; single: string };
}

interface Delimiters {
  quotationStart: string;
  quotationEnd: string;
}

/** CLDR's locale for a tag: the tag itself, then its language and script (`zh-Hans`), then its language. */
function cldrLocale(lang: string): string | undefined {
  const locale = new Intl.Locale(lang);
  const candidates = [lang, `${locale.language}${locale.script ? `-${locale.script}` : ''}`, locale.language];
  return candidates.find((tag) => existsSync(path.join(main, tag, 'delimiters.json')));
}

export function quotesFor(lang: string): LanguageQuotes {
  const locale = cldrLocale(lang) ?? 'en';
  const data = JSON.parse(readFileSync(path.join(main, locale, 'delimiters.json'), 'utf8')) as { main: Record<string, { delimiters: Delimiters }> };
  const delimiters = Object.values(data.main)[0]!.delimiters;
  return {
    openingQuotes: { double: delimiters.quotationStart, single: '‘' },
    closingQuotes: { double: delimiters.quotationEnd, single: '’' },
  };
}
