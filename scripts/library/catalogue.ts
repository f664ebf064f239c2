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
import { describeFile } from '../outputs/published-files.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { formatDate } from '../render/leaflet.js';
import type { OutputFile } from '../base/write-outputs.js';
import type { CatalogueEntry } from './entry.js';
import type { LibraryConfig } from './config.js';
import { byLanguage, CATALOGUE_PAGE, catalogueLanguage, FEED_TYPE, feedFileName, languageName, leafletHref, memoize } from './site.js';
import { THUMBNAIL_SIZE } from './thumbnail.js';

const formatDateOnce = memoize(formatDate);

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
    page: entry.webPages[0] && leafletHref(entry, entry.webPages[0].name),
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
