/**
 * The library's sitemap.xml (sitemaps.org 0.9): the catalogue page and every leaflet's web edition,
 * each page with the date its leaflet was last built (`lastmod`) and, for a leaflet in several
 * languages, each language's page as an `hreflang` alternate, as search engines read them.
 * A sitemap names pages by their full address: it is made only when library.yaml says where the
 * library is published (`downloadBaseUrl`).
 */
import ejs from 'ejs';
import type { OutputFile } from '../base/write-outputs.js';
import { webAddress } from '../base/web-pages.js';
import type { CatalogueEntry } from './entry.js';
import type { LibraryConfig } from './config.js';
import { CATALOGUE_PAGE } from './site.js';

export const SITEMAP = 'sitemap.xml';

export function renderSitemap(config: LibraryConfig, entries: readonly CatalogueEntry[]): OutputFile[] {
  if (!config.downloadBaseUrl) return [];
  const base = config.downloadBaseUrl;
  const day = (iso: string) => iso.slice(0, 10);
  const latest = entries.map((entry) => entry.updated).sort().at(-1);
  const urls: string[] = [url(webAddress(base, CATALOGUE_PAGE), latest && day(latest), [])];
  for (const entry of entries) {
    const folder = webAddress(base, `${encodeURI(entry.slug)}/`);
    const pages = [entry, ...entry.translations].flatMap((edition) => (edition.webPage ? [{ lang: edition.lang, href: webAddress(folder, edition.webPage.name), updated: edition.updated }] : []));
    for (const page of pages) urls.push(url(page.href, day(page.updated), pages.length > 1 ? pages : []));
  }
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
  return [{ name: SITEMAP, bytes: Buffer.from(xml) }];
}

function url(loc: string, lastmod: string | undefined, alternates: readonly { lang: string; href: string }[]): string {
  return [
    '  <url>',
    `    <loc>${ejs.escapeXML(loc)}</loc>`,
    ...(lastmod ? [`    <lastmod>${lastmod}</lastmod>`] : []),
    ...alternates.map((page) => `    <xhtml:link rel="alternate" hreflang="${ejs.escapeXML(page.lang)}" href="${ejs.escapeXML(page.href)}"/>`),
    '  </url>',
  ].join('\n');
}
