/**
 * The library's sitemap.xml, as a search engine reads it: every page by its full address, with the day
 * its leaflet was last built and, for a leaflet in several languages, each language's page as an
 * alternate of every other; none without the library's address. And its 404 page, served at any address.
 */
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { describe, expect, it } from 'vitest';
import { renderSitemap } from '../scripts/library/sitemap.js';
import { renderCataloguePages } from '../scripts/library/catalogue.js';
import type { CatalogueEntry } from '../scripts/library/entry.js';
import type { LibraryConfig } from '../scripts/library/config.js';

const config: LibraryConfig = { title: 'Riverside Clinic Leaflets', defaults: {}, downloadBaseUrl: 'https://clinic.example.org/leaflets/' };

/** A leaflet's entry, with its web page in each language (the first its source's), built when `updated` says. */
const entry = (slug: string, updated: string, pages: { lang: string; name: string }[]): CatalogueEntry => {
  const edition = ({ lang, name }: { lang: string; name: string }) => ({
    source: `${slug}.md`,
    slug,
    identifier: `urn:uuid:${slug}-${lang}`,
    title: slug,
    lang,
    authors: [],
    keywords: [],
    topic: 'feet',
    updated,
    webPage: { name, bytes: 1 },
    files: [],
    images: [],
  });
  const [source, ...translations] = pages.map(edition);
  return { ...source!, translations };
};

const entries = [
  entry('heel-pain', '2026-03-10T09:00:00.000Z', [
    { lang: 'en-GB', name: 'index.html' },
    { lang: 'es', name: 'heel-pain.es.html' },
  ]),
  entry('tired-feet', '2026-04-01T12:00:00.000Z', [{ lang: 'en-GB', name: 'index.html' }]),
];

describe('sitemap.xml', () => {
  it('lists the catalogue and each page by its address, its lastmod, and its languages as alternates', () => {
    const [file] = renderSitemap(config, entries);
    expect(file!.name).toBe('sitemap.xml');
    const xml = Buffer.from(file!.bytes).toString('utf8');
    const urls = [...xml.matchAll(/<url>([\s\S]*?)<\/url>/g)].map(([, body]) => ({
      loc: /<loc>(.*)<\/loc>/.exec(body!)![1],
      lastmod: /<lastmod>(.*)<\/lastmod>/.exec(body!)?.[1],
      alternates: [...body!.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map(([, lang, href]) => `${lang} ${href}`),
    }));
    const heelPain = ['en-GB https://clinic.example.org/leaflets/heel-pain/', 'es https://clinic.example.org/leaflets/heel-pain/heel-pain.es.html'];
    expect(urls).toEqual([
      { loc: 'https://clinic.example.org/leaflets/', lastmod: '2026-04-01', alternates: [] },
      { loc: 'https://clinic.example.org/leaflets/heel-pain/', lastmod: '2026-03-10', alternates: heelPain },
      { loc: 'https://clinic.example.org/leaflets/heel-pain/heel-pain.es.html', lastmod: '2026-03-10', alternates: heelPain },
      { loc: 'https://clinic.example.org/leaflets/tired-feet/', lastmod: '2026-04-01', alternates: [] },
    ]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9" xmlns:xhtml="http:\/\/www.w3.org\/1999\/xhtml">/);
  });

  it('is not made without the library’s address: a sitemap names pages by their full address', () => {
    expect(renderSitemap({ ...config, downloadBaseUrl: undefined }, entries)).toEqual([]);
  });
});

describe('the library’s 404 page', () => {
  it('leads to the catalogue from any address, by the library’s own <base>, which its policy allows', async () => {
    const files = await renderCataloguePages(config, entries);
    const page = fromHtml(Buffer.from(files.find((file) => file.name === '404.html')!.bytes).toString('utf8'));
    expect(select('base', page)!.properties.href).toBe('https://clinic.example.org/leaflets/');
    expect(select('main a', page)!.properties.href).toBe('index.html');
    const policy = String(select('meta[http-equiv="Content-Security-Policy"]', page)!.properties.content);
    expect(policy).toMatch(/^default-src 'self'; script-src 'none'; style-src 'sha256-[^']+'; object-src 'none'; base-uri 'self'; form-action 'none'$/);
    // Its fonts are the catalogue's, beside it.
    const fonts = selectAll('style', page).map((style) => String((style.children[0] as { value: string }).value).match(/url\("fonts\/[^"]+"\)/g) ?? []).flat();
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(files.map((file) => file.name)).toContain(font.slice(5, -2));
  });
});
