/**
 * The library as an OPDS 1.2 catalogue (dist/catalog.xml), the Atom feed that reading
 * apps (Thorium, KOReader, Calibre, Aldiko) subscribe to. One language: an acquisition
 * feed listing every leaflet, with its EPUB and PDFs as acquisition links (with their
 * types and sizes), its cover and thumbnail, summary, language, dates and identifier.
 * Several languages: catalog.xml is a navigation feed with one entry per language, each
 * leading to that language's acquisition feed, catalog-<lang>.xml. A leaflet's translations
 * are entries of their own, each with its `dc:language` and an `alternate` link (with
 * `hreflang`) to each of the leaflet's other editions.
 *
 * Every link is relative to the feed, so dist/ can be served from anywhere, and every
 * date comes from the leaflets themselves, so a build that changed nothing writes the
 * same bytes.
 */
import type { Element, ElementContent, Root } from 'xast';
import { toXml } from 'xast-util-to-xml';
import { uuidUrnOf } from '../manuscript/identity.js';
import type { OutputFile } from '../base/write-outputs.js';
import { byLanguage, CATALOGUE_PAGE, catalogueLanguage, editionFile, FEED_TYPE, feedFileName, languageName, leafletHref, OPDS_PROFILE } from './site.js';
import { editionsOf, type CatalogueEdition, type CatalogueEntry, type ListedEdition } from './entry.js';
import type { LibraryConfig } from './config.js';

const NAVIGATION_TYPE = `${OPDS_PROFILE};kind=navigation`;
const ACQUISITION = 'http://opds-spec.org/acquisition';

type Attributes = Record<string, string | number | undefined>;

function x(name: string, attributes: Attributes = {}, children: (ElementContent | string | undefined | false)[] = []): Element {
  return {
    type: 'element',
    name,
    attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)])),
    children: children.filter((child): child is ElementContent | string => Boolean(child)).map((child) => (typeof child === 'string' ? { type: 'text', value: child } : child)),
  };
}

const link = (attributes: Attributes) => x('link', attributes);

function feed(attributes: { id: string; title: string; updated: string; self: string; selfType: string; up?: boolean; description?: string }, config: LibraryConfig, entries: Element[]): Uint8Array {
  const root: Root = {
    type: 'root',
    children: [
      { type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' },
      x(
        'feed',
        { xmlns: 'http://www.w3.org/2005/Atom', 'xmlns:dc': 'http://purl.org/dc/terms/', 'xmlns:opds': 'http://opds-spec.org/2010/catalog' },
        [
          x('id', {}, [attributes.id]),
          x('title', {}, [attributes.title]),
          attributes.description && x('subtitle', {}, [attributes.description]),
          x('updated', {}, [attributes.updated]),
          typeof config.defaults.publisher === 'string' && x('author', {}, [x('name', {}, [config.defaults.publisher])]),
          link({ rel: 'self', href: attributes.self, type: attributes.selfType }),
          link({ rel: 'start', href: feedFileName(), type: attributes.up ? NAVIGATION_TYPE : attributes.selfType }),
          attributes.up && link({ rel: 'up', href: feedFileName(), type: NAVIGATION_TYPE }),
          link({ rel: 'alternate', href: CATALOGUE_PAGE, type: 'text/html', title: 'The catalogue as a web page' }),
          ...entries,
        ],
      ),
    ],
  };
  return Buffer.from(`${toXml(root, { closeEmptyElements: true })}\n`);
}

function acquisitionEntry(entry: ListedEdition): Element {
  const image = (role: 'cover' | 'thumbnail') => entry.images.find((candidate) => candidate.role === role);
  const cover = image('cover');
  const thumbnail = image('thumbnail');
  // The EPUB first: a reading app takes the first acquisition link it can open.
  const files = entry.files.toSorted((a, b) => Number(b.mediaType === 'application/epub+zip') - Number(a.mediaType === 'application/epub+zip'));
  return x('entry', {}, [
    x('title', {}, [entry.title]),
    x('id', {}, [entry.identifier]),
    x('updated', {}, [entry.updated]),
    ...entry.authors.map((name) => x('author', {}, [x('name', {}, [name])])),
    x('dc:identifier', {}, [entry.identifier]),
    x('dc:language', {}, [entry.lang]),
    entry.publisher && x('dc:publisher', {}, [entry.publisher]),
    entry.reviewDate && x('dc:issued', {}, [entry.reviewDate]),
    entry.rights && x('rights', {}, [entry.rights]),
    ...entry.keywords.map((keyword) => x('category', { term: keyword, label: keyword })),
    x('summary', { type: 'text' }, [entry.description ?? entry.subtitle ?? entry.title]),
    cover && link({ rel: 'http://opds-spec.org/image', href: leafletHref(entry, cover.name), type: cover.mediaType }),
    thumbnail && link({ rel: 'http://opds-spec.org/image/thumbnail', href: leafletHref(entry, thumbnail.name), type: thumbnail.mediaType }),
    ...files.map((file) => link({ rel: ACQUISITION, href: leafletHref(entry, file.name), type: file.mediaType, title: file.label, length: file.bytes })),
    entry.webPage && link({ rel: 'alternate', href: leafletHref(entry, entry.webPage.name), type: 'text/html', title: 'Web edition' }),
    // The same leaflet in its other languages (RFC 4287: an alternate version, in the language `hreflang` names).
    ...entry.otherEditions.flatMap((other) => {
      const file = editionFile(other);
      return file ? [link({ rel: 'alternate', href: leafletHref(other, file.name), type: file.mediaType, hreflang: other.lang, title: languageName(other.lang, other.lang) })] : [];
    }),
  ]);
}

const latest = (entries: readonly CatalogueEdition[]) => entries.map((entry) => entry.updated).sort().at(-1) ?? new Date(0).toISOString();

/** catalog.xml, and with several languages one acquisition feed per language. */
export function renderFeeds(config: LibraryConfig, entries: readonly CatalogueEntry[]): OutputFile[] {
  const id = config.identifier ?? uuidUrnOf(`library ${config.title}`);
  const lang = catalogueLanguage(config, entries);
  // Each translation is an entry of its own, in its language's feed.
  const languages = byLanguage(editionsOf(entries), lang);
  const base = { title: config.title, description: config.description };
  if (languages.length <= 1) {
    const bytes = feed({ ...base, id, updated: latest(entries), self: feedFileName(), selfType: FEED_TYPE }, config, languages.flatMap((language) => language.entries.map(acquisitionEntry)));
    return [{ name: feedFileName(), bytes }];
  }
  const perLanguage = languages.map((language) => ({
    ...language,
    id: uuidUrnOf(`${id} ${language.lang}`),
    name: languageName(language.lang, language.lang),
    file: feedFileName(language.lang),
  }));
  const navigation = feed(
    { ...base, id, updated: latest(entries), self: feedFileName(), selfType: NAVIGATION_TYPE },
    config,
    perLanguage.map((language) =>
      x('entry', {}, [
        x('title', {}, [language.name]),
        x('id', {}, [language.id]),
        x('updated', {}, [latest(language.entries)]),
        x('dc:language', {}, [language.lang]),
        x('content', { type: 'text' }, [`${language.entries.length} leaflet${language.entries.length === 1 ? '' : 's'} in ${languageName(language.lang, lang)}`]),
        link({ rel: 'subsection', href: language.file, type: FEED_TYPE }),
      ]),
    ),
  );
  return [
    { name: feedFileName(), bytes: navigation },
    ...perLanguage.map((language) => ({
      name: language.file,
      bytes: feed(
        { ...base, title: `${config.title}: ${language.name}`, id: language.id, updated: latest(language.entries), self: language.file, selfType: FEED_TYPE, up: true },
        config,
        language.entries.map(acquisitionEntry),
      ),
    })),
  ];
}
