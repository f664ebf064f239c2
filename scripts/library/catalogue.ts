/**
 * The library's catalogue page, dist/index.html: every leaflet built, grouped by language
 * (when there are several) and by topic, with its thumbnail, description, language, review
 * date, a link to its web edition, and each file with its size; and the library's 404 page.
 * Both are set in the project's typefaces, served from dist/fonts/ and cut down to what they
 * show, in the web editions' style (styles/web.css), light or dark; any web server (or none)
 * can serve them.
 *
 * Finding a leaflet works without JavaScript: the topic menu filters the list by CSS alone
 * (`:has()` on the selected option), and every group is a `<details>` that can be folded. A
 * small script adds a search box over titles, keywords and descriptions; the page's
 * Content-Security-Policy allows it, and its stylesheet, by their hashes, and nothing else.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { describeFile } from '../outputs/published-files.js';
import { contentSecurityPolicy, pageFontFiles, pageFonts } from '../outputs/web-edition.js';
import { fontFaceCss } from '../fonts/faces.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { formatDate } from '../render/leaflet.js';
import type { OutputFile } from '../base/write-outputs.js';
import { editionsOf, type CatalogueEntry, type ListedEdition } from './entry.js';
import { languageOf } from '../languages/language.js';
import type { LibraryConfig } from './config.js';
import { byLanguage, CATALOGUE_PAGE, catalogueLanguage, editionAnchor, FEED_TYPE, feedFileName, languageName, leafletHref, memoize } from './site.js';
import { THUMBNAIL_SIZE } from '../outputs/cover.js';

const formatDateOnce = memoize(formatDate);

export const NOT_FOUND_PAGE = '404.html';

/** The catalogue page, the 404 page, and the fonts they are set in. */
export async function renderCataloguePages(config: LibraryConfig, entries: readonly CatalogueEntry[]): Promise<OutputFile[]> {
  const [template, notFoundTemplate, baseCss, webCss, pageCss] = await Promise.all([
    readFile(path.join(PROJECT_ROOT, 'templates', 'library.html.ejs'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'templates', 'library-404.html.ejs'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'base.css'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'web.css'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'library.css'), 'utf8'),
  ]);
  const lang = catalogueLanguage(config, entries);
  // Each translation is listed in its own language, beside its source in the source's.
  const editions = editionsOf(entries);
  const topics = [...new Set(editions.map((entry) => entry.topic))].sort((a, b) => a.localeCompare(b, lang));
  const languages = byLanguage(editions, lang).map((language) => ({
    lang: language.lang,
    dir: languageOf(language.lang).dir,
    name: languageName(language.lang, lang),
    groups: topics
      .map((topic, index) => ({ topic, index, entries: language.entries.filter((entry) => entry.topic === topic).map((entry) => view(entry, lang)) }))
      .filter((group) => group.entries.length),
  }));
  // With no script, the topic menu hides every other topic's group.
  const topicFilterCss = topics.map((_, index) => `body:has(#topic-filter option[value="${index}"]:checked) .library-topic:not(.topic-${index}) { display: none; }`).join('\n');
  const values = {
    lang,
    title: config.title,
    description: config.description,
    count: entries.length,
    feed: { href: feedFileName(), type: FEED_TYPE },
    topics,
    languages,
    // A leaflet's title is a heading under its language's when there are several languages.
    titleLevel: languages.length > 1 ? 3 : 2,
    thumbnailSize: THUMBNAIL_SIZE,
    // The 404 page is served at any address: its links start from where the library is published, when that is known.
    base: config.downloadBaseUrl,
  };
  const pages = [
    { name: CATALOGUE_PAGE, template, css: [baseCss, webCss, pageCss, topicFilterCss] },
    { name: NOT_FOUND_PAGE, template: notFoundTemplate, css: [baseCss, webCss, pageCss] },
  ].map((page) => ({ ...page, ...pageFonts(ejs.render(page.template, { ...values, css: '', csp: '' }), lang) }));
  const fonts = pageFontFiles(pages);
  const files = pages.map((page) => {
    const css = [fontFaceCss(page.faces, { display: 'swap', ranges: fonts.ranges }), ...page.css].join('\n');
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.template)?.[1];
    const html = ejs.render(page.template, { ...values, css, csp: contentSecurityPolicy({ css, script, base: page.name === NOT_FOUND_PAGE && Boolean(values.base) }) });
    return { name: page.name, bytes: Buffer.from(html) };
  });
  return [...files, ...(await fonts.files)];
}

function view(entry: ListedEdition, catalogueLang: string) {
  const thumbnail = entry.images.find((image) => image.role === 'thumbnail');
  return {
    ...entry,
    page: entry.webPage && leafletHref(entry, entry.webPage.name),
    thumbnail: thumbnail && leafletHref(entry, thumbnail.name),
    anchor: editionAnchor(entry),
    languageName: languageName(entry.lang, catalogueLang),
    // The leaflet in its other languages, each named in itself.
    otherEditions: entry.otherEditions.map((other) => ({ href: `#${editionAnchor(other)}`, lang: other.lang, dir: languageOf(other.lang).dir, name: languageName(other.lang, other.lang) })),
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
