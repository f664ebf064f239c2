/**
 * How the library's site is laid out, for the catalogue page and the OPDS feeds alike: the
 * names of its pages and feeds, the links from them into each leaflet's folder, and the
 * languages its leaflets are grouped by.
 */
import type { CatalogueEdition, CatalogueEntry } from './entry.js';
import type { LibraryConfig } from './config.js';

export const CATALOGUE_PAGE = 'index.html';

/** A link from dist/ to a file in a leaflet's folder. */
export const leafletHref = (entry: Pick<CatalogueEntry, 'slug'>, name: string) => encodeURI(`${entry.slug}/${name}`);

/** The catalogue's own language: the library's, else the one most of its leaflets are written in. */
export function catalogueLanguage(config: LibraryConfig, entries: readonly CatalogueEntry[]): string {
  if (typeof config.defaults.lang === 'string') return config.defaults.lang;
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.lang, (counts.get(entry.lang) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'en';
}

/** Languages, the catalogue's first, then by name; each with its editions sorted by title. */
export function byLanguage<Edition extends CatalogueEdition>(entries: readonly Edition[], lang: string): { lang: string; entries: Edition[] }[] {
  const languages = [...new Set(entries.map((entry) => entry.lang))].sort((a, b) => Number(b === lang) - Number(a === lang) || a.localeCompare(b));
  return languages.map((language) => ({
    lang: language,
    entries: entries.filter((entry) => entry.lang === language).sort((a, b) => a.title.localeCompare(b.title, language) || a.slug.localeCompare(b.slug)),
  }));
}

/** `de` in English is "German"; made once per pair (Intl's objects are slow to make, and leaflets share languages). */
export const languageName = memoize((lang: string, inLanguage: string): string => {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
});

export const OPDS_PROFILE = 'application/atom+xml;profile=opds-catalog';
export const FEED_TYPE = `${OPDS_PROFILE};kind=acquisition`;

/** The id of an edition's item on the catalogue page, for the links between a leaflet's languages. */
export const editionAnchor = (edition: Pick<CatalogueEdition, 'slug' | 'lang'>) => `leaflet-${edition.slug}-${edition.lang}`;

/** The file of an edition a link to it in another language leads to: its EPUB, else its first file. */
export const editionFile = (edition: Pick<CatalogueEdition, 'files'>) => edition.files.find((file) => file.mediaType === 'application/epub+zip') ?? edition.files[0];

/** catalog.xml, the feed apps are given; catalog-<lang>.xml for one language of several. */
export const feedFileName = (lang?: string) => (lang ? `catalog-${lang}.xml` : 'catalog.xml');

/** One value per distinct arguments, made on first use. */
export function memoize<A extends string[]>(make: (...args: A) => string): (...args: A) => string {
  const made = new Map<string, string>();
  return (...args) => {
    const key = args.join('\n');
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(...args)));
    return value;
  };
}

