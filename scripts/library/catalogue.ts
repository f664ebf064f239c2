/**
 * The library's catalogue page, dist/index.html: every leaflet built, grouped by language
 * (when there are several) and by topic, with its thumbnail, description, language, review
 * date, and each file with its size. Like the leaflets' download pages it is one
 * self-contained file that any web server (or none) can serve.
 *
 * Finding a leaflet works without JavaScript: the topic menu filters the list by CSS alone
 * (`:has()` on the selected option), and every group is a `<details>` that can be folded. A
 * small script adds a search box over titles, keywords and descriptions.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { describeFile } from '../outputs/download-page.js';
import { PROJECT_ROOT } from '../render/template.js';
import { formatDate } from '../render/leaflet.js';
import type { OutputFile } from '../write.js';
import type { CatalogueEntry } from './entry.js';
import type { LibraryConfig } from './load.js';
import { FEED_TYPE, feedFileName } from './opds.js';
import { THUMBNAIL_SIZE } from './thumbnail.js';

export const CATALOGUE_PAGE = 'index.html';

/** A link from dist/ to a file in a leaflet's folder. */
export const leafletHref = (entry: Pick<CatalogueEntry, 'slug'>, name: string) => encodeURI(`${entry.slug}/${name}`);

/** The catalogue's own language: the library's, else the one most of its leaflets are in. */
export function catalogueLanguage(config: LibraryConfig, entries: readonly CatalogueEntry[]): string {
  if (typeof config.defaults.lang === 'string') return config.defaults.lang;
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.lang, (counts.get(entry.lang) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'en';
}

/** Languages, the catalogue's first, then by name; each with its entries sorted by title. */
export function byLanguage(entries: readonly CatalogueEntry[], lang: string): { lang: string; entries: CatalogueEntry[] }[] {
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

const formatDateOnce = memoize(formatDate);

function memoize<A extends string[]>(make: (...args: A) => string): (...args: A) => string {
  const made = new Map<string, string>();
  return (...args) => {
    const key = args.join('\n');
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(...args)));
    return value;
  };
}

export async function renderCataloguePage(config: LibraryConfig, entries: readonly CatalogueEntry[]): Promise<OutputFile> {
  const [template, baseCss, pageCss] = await Promise.all([
    readFile(path.join(PROJECT_ROOT, 'templates', 'library.html.ejs'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'base.css'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'library.css'), 'utf8'),
  ]);
  const lang = catalogueLanguage(config, entries);
  const topics = [...new Set(entries.map((entry) => entry.topic))].sort((a, b) => a.localeCompare(b, lang));
  const languages = byLanguage(entries, lang).map((language) => ({
    lang: language.lang,
    name: languageName(language.lang, lang),
    groups: topics
      .map((topic, index) => ({ topic, index, entries: language.entries.filter((entry) => entry.topic === topic).map((entry) => view(entry, lang)) }))
      .filter((group) => group.entries.length),
  }));
  const html = ejs.render(template, {
    lang,
    title: config.title,
    description: config.description,
    count: entries.length,
    feed: { href: feedFileName(), type: FEED_TYPE },
    topics,
    // With no script, the topic menu hides every other topic's group.
    topicFilterCss: topics
      .map((_, index) => `body:has(#topic-filter option[value="${index}"]:checked) .library-topic:not(.topic-${index}) { display: none; }`)
      .join('\n'),
    languages,
    thumbnailSize: THUMBNAIL_SIZE,
    css: [baseCss, pageCss].join('\n'),
  });
  return { name: CATALOGUE_PAGE, bytes: Buffer.from(html) };
}

function view(entry: CatalogueEntry, catalogueLang: string) {
  const thumbnail = entry.images.find((image) => image.role === 'thumbnail');
  return {
    ...entry,
    page: leafletHref(entry, entry.page),
    thumbnail: thumbnail && leafletHref(entry, thumbnail.name),
    languageName: languageName(entry.lang, catalogueLang),
    reviewDateText: entry.reviewDate && formatDateOnce(entry.reviewDate, catalogueLang),
    search: [entry.title, entry.subtitle, entry.description, ...entry.keywords].filter(Boolean).join(' ').toLowerCase(),
    files: entry.files.map((file) => ({
      href: leafletHref(entry, file.name),
      label: file.label,
      mediaType: file.mediaType,
      // A PDF opens in the browser; an EPUB is for a reading app, so it downloads.
      download: file.mediaType === 'application/epub+zip',
      details: describeFile(file),
    })),
  };
}
