/**
 * The web edition: each language of a publication as one page a phone opens at once
 * (`index.html` for the source, `<slug>.<lang>.html` for a translation, base/web-pages.ts), the
 * downloads at its top, beside them in the same folder; with its images, its fonts cut down to the
 * characters its pages show, and the cover that link previews show.
 *
 * A page needs no JavaScript and runs none: its Content-Security-Policy (`default-src 'self'`, its
 * one stylesheet allowed by hash, no script, no form, no plug-in, no `<base>`) stands behind the
 * sanitizer (render/plugins/rehype-safe-html.ts), so that even markup that slipped through could
 * load nothing from elsewhere. Every link is relative: the folder works from the disk and under any
 * path of any host. Where it is published (`siteUrl`) gives it a canonical address, addresses for
 * its languages, and what search engines and health portals read: schema.org `MedicalWebPage`,
 * Open Graph and Twitter cards.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import subsetFont from 'subset-font';
import type { OutputFile } from '../base/write-outputs.js';
import { readCharacterReferences } from '../base/html-text.js';
import { CACHE_ROOT, keptFile } from '../base/kept-files.js';
import { webAddress } from '../base/web-pages.js';
import { fontFaceCss, fontFacesFor } from '../fonts/faces.js';
import { coveredRange, distinctCharacters, type FontFace } from '../fonts/coverage.js';
import { languageOf } from '../languages/language.js';
import type { Publication } from '../render/publication.js';
import { isolatedHtml } from '../render/plugins/rehype-isolate-bidi.js';
import { coverFileName, type CoverImage } from './cover.js';
import { describeFile, fileLabel, MEDIA_TYPES, type PublishedFile } from './published-files.js';

/** One language of the publication, with the files it was published as. */
export interface WebLanguage {
  publication: Publication;
  files: readonly PublishedFile[];
}

/** The library a leaflet's page belongs to: its title, its catalogue page from the leaflet's folder, and its address. */
export interface WebLibrary {
  title: string;
  /** The catalogue page, relative to the leaflet's folder (`../index.html`). */
  href: string;
  /** Where the library is published, when known. */
  url?: string;
}

/**
 * Characters a page shows that are in no text of it: list markers, the quotation marks of `<q>`,
 * the hyphen a browser adds where it breaks a word. Its fonts keep them, and the capitals of its
 * text (the publisher and the call-outs' kinds are set in capitals by the stylesheet).
 */
const GENERATED_TEXT = '•◦▪–-‐0123456789.“”‘’…';

export async function renderWebEdition(languages: readonly WebLanguage[], cover: CoverImage | undefined, library?: WebLibrary): Promise<OutputFile[]> {
  const coverFile = cover && { name: coverFileName(cover.mediaType), mediaType: cover.mediaType, bytes: cover.bytes };
  const files = new Map<string, OutputFile>();
  const add = (file: OutputFile) => {
    const before = files.get(file.name);
    if (before && !Buffer.from(before.bytes).equals(Buffer.from(file.bytes))) throw new Error(`two files of the web edition would be ${file.name}`);
    files.set(file.name, file);
  };
  // Each page is drafted to learn what it shows; its fonts are cut down to what every page of the folder shows with them.
  const drafts = languages.map((language) => draftPage(language, languages, coverFile, library));
  const fonts = pageFontFiles(drafts);
  for (const [index, language] of languages.entries()) {
    add({ name: language.publication.web.page, bytes: new TextEncoder().encode(finishPage(drafts[index]!, fonts.ranges)) });
    const { web } = language.publication;
    for (const image of web.content.images) add({ name: image.href, bytes: image.bytes });
    if (web.logo) add({ name: web.logo.href, bytes: web.logo.asset.bytes });
  }
  if (coverFile) add(coverFile);
  return [...files.values(), ...(await fonts.files)];
}

/**
 * A face cut down to the characters of `text`. Cutting takes milliseconds; compressing the result as WOFF2
 * (Brotli, in WebAssembly) takes 0.2–2 s a face: each cut is kept, named by the file and the characters, so
 * a page built again (a rebuild, the preview, a library's leaflet forced) takes its fonts from the cache.
 */
async function fontSubset(face: FontFace, text: string): Promise<Uint8Array> {
  const bytes = await readFile(face.path);
  const characters = distinctCharacters(text).sort().join('');
  const key = createHash('sha256').update(bytes).update('\n').update(characters).digest('hex');
  return keptFile(WEB_FONT_CACHE, `${key}.woff2`, async () => new Uint8Array(await subsetFont(bytes, characters, { targetFormat: 'woff2' })), KEPT_WEB_FONTS);
}

/** Where cut-down web fonts are kept. */
const WEB_FONT_CACHE = path.join(CACHE_ROOT, 'web-fonts');
/** A few libraries' worth of pages, at 5–30 kB a font. */
const KEPT_WEB_FONTS = 2000;

function draftPage(language: WebLanguage, all: readonly WebLanguage[], cover: { name: string; mediaType: string } | undefined, library: WebLibrary | undefined) {
  const { publication, files } = language;
  const { metadata, web } = publication;
  const { texts } = publication.language.messages;
  const siteUrl = metadata.siteUrl;
  const canonical = siteUrl ? webAddress(siteUrl, web.page) : undefined;
  const absolute = (name: string) => (siteUrl ? webAddress(siteUrl, name) : undefined);
  // Labels of files are English (base/editions.ts): on a page in another language they say so.
  const inEnglish = (text: string) => (languageOf(metadata.lang).tag.split('-')[0] === 'en' ? ejs.escapeXML(text) : `<span lang="en" dir="ltr">${ejs.escapeXML(text)}</span>`);
  const downloads = files.map((file) => {
    const extension = path.extname(file.name).toLowerCase();
    return {
      href: encodeURI(file.name),
      label: inEnglish(fileLabel(file.name, publication.slug, metadata.lang)),
      mediaType: MEDIA_TYPES[extension] ?? 'application/octet-stream',
      // A PDF opens in the browser; an EPUB is for a reading app, so it downloads.
      download: extension === '.epub',
      details: inEnglish(describeFile(file)),
    };
  });
  const pdf = files.find((file) => file.name.endsWith('-a4.pdf')) ?? files.find((file) => file.name.endsWith('.pdf'));
  const languages = all.map((other) => {
    const { page } = other.publication.web;
    const tag = languageOf(other.publication.metadata.lang);
    return { lang: tag.tag, dir: tag.dir, name: tag.nativeName, link: encodeURI(page), href: absolute(page) ?? encodeURI(page), current: other === language };
  });
  const image = cover && absolute(cover.name);
  const openGraph: [string, string][] = [
    ['og:type', 'article'],
    ['og:title', metadata.title],
    ...pair('og:description', metadata.description),
    ['og:locale', metadata.lang.replace('-', '_')],
    ...languages.filter((other) => !other.current).map((other): [string, string] => ['og:locale:alternate', other.lang.replace('-', '_')]),
    ...pair('og:site_name', library?.title ?? metadata.publisher),
    ...pair('og:url', canonical),
    ...pair('og:image', image),
    ...(image ? ([['og:image:alt', fillInCover(texts.downloadCoverOf, metadata.title)]] as [string, string][]) : []),
  ];
  const twitter: [string, string][] = [['twitter:card', image ? 'summary_large_image' : 'summary'], ['twitter:title', metadata.title], ...pair('twitter:description', metadata.description), ...pair('twitter:image', image)];
  const values = {
    metadata,
    authors: publication.authors,
    dir: publication.language.dir,
    texts,
    web,
    titleId: web.titleId,
    canonical,
    languages,
    openGraph,
    twitter,
    jsonLd: jsonLd(publication, { canonical, image, library }),
    library: library && { href: library.href },
    downloads,
    printPdf: pdf && { href: encodeURI(pdf.name), address: absolute(pdf.name) ?? pdf.name },
    isolate: (text: string) => isolatedHtml(text, publication.language.dir),
  };
  // The fonts are chosen for what the page shows.
  const { faces, text } = pageFonts(ejs.render(web.template, { ...values, csp: '', css: '' }), metadata.lang);
  return { values, template: web.template, css: web.css, faces, text };
}

type DraftPage = ReturnType<typeof draftPage>;

/** The page with its fonts declared in its stylesheet, whose hash its policy allows. */
function finishPage({ values, template, css: pageCss, faces }: DraftPage, ranges: ReadonlyMap<string, string>): string {
  const css = [fontFaceCss(faces, { display: 'swap', ranges }), pageCss].join('\n');
  return ejs.render(template, { ...values, css, csp: contentSecurityPolicy({ css }) });
}

/** The faces a page needs for what its markup shows, and that text, which its fonts are cut down to. */
export function pageFonts(html: string, lang: string): { faces: FontFace[]; text: string } {
  const shown = shownText(html);
  const text = `${shown}${shown.toUpperCase()}${GENERATED_TEXT}`;
  const faces = fontFacesFor(text, /<(code|pre|kbd|samp)[\s>]/.test(html), lang, {
    italic: /<(em|i|cite|dfn|var|address)[\s>]/.test(html),
    bold: /<(strong|b|th)[\s>]/.test(html),
  });
  return { faces, text };
}

/**
 * The font files of pages served from one folder, `fonts/<file>`: each face once, cut down to the texts of the
 * pages that use it; and the characters each file has, as the `unicode-range` its pages declare it with.
 */
export function pageFontFiles(pages: readonly { faces: readonly FontFace[]; text: string }[]): { files: Promise<OutputFile[]>; ranges: Map<string, string> } {
  const texts = new Map<string, { face: FontFace; text: string[] }>();
  for (const { faces, text } of pages) {
    for (const face of faces) {
      const entry = texts.get(face.fileName) ?? { face, text: [] };
      entry.text.push(text);
      texts.set(face.fileName, entry);
    }
  }
  const ranges = new Map([...texts.values()].map(({ face, text }) => [face.fileName, coveredRange(face, text.join('\n')) || face.unicodeRange]));
  const files = Promise.all([...texts.values()].map(async ({ face, text }) => ({ name: `fonts/${face.fileName}`, bytes: await fontSubset(face, text.join('\n')) })));
  return { files, ranges };
}

const pair = (name: string, value: string | undefined): [string, string][] => (value ? [[name, value]] : []);
const fillInCover = (text: string, title: string) => text.replace('{title}', title);

/**
 * Everything from the page's own site, nothing from elsewhere: no script but those given (a
 * leaflet's page has none), each by its hash, as the page's one `<style>` (so no `style` attribute,
 * which the sanitizer drops anyway); no form, no plug-in, no `<base>` that would send its relative
 * links elsewhere (unless `base` says the page has one of its own: a 404 page, served at any address).
 */
export function contentSecurityPolicy({ css, script, base }: { css: string; script?: string; base?: boolean }): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  return `default-src 'self'; script-src ${script ? hash(script) : "'none'"}; style-src ${hash(css)}; object-src 'none'; base-uri ${base ? "'self'" : "'none'"}; form-action 'none'`;
}

/** The characters a page shows: its markup without tags, styles and data, entities read. */
function shownText(html: string): string {
  const markup = html
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<[^>]+>/g, ' ');
  return readCharacterReferences(markup);
}

/**
 * schema.org's `MedicalWebPage`, as health portals and search engines read a page of patient
 * information: what it is about, in which language, when it was published and last reviewed, by
 * whom, and the library it is part of. `<` is escaped, so no text can close the script element.
 */
function jsonLd(publication: Publication, { canonical, image, library }: { canonical?: string; image?: string; library?: WebLibrary }): string {
  const { metadata } = publication;
  const organization = (name: string | undefined) => name && { '@type': 'Organization', name };
  const data = {
    '@context': 'https://schema.org',
    '@type': 'MedicalWebPage',
    name: metadata.title,
    headline: metadata.title,
    alternativeHeadline: metadata.subtitle,
    description: metadata.description,
    inLanguage: metadata.lang,
    url: canonical,
    identifier: publication.identifier,
    datePublished: metadata.published ?? metadata.date,
    lastReviewed: metadata.reviewed,
    reviewedBy: metadata.reviewedBy && { '@type': 'Person', name: metadata.reviewedBy },
    author: publication.authors.length ? publication.authors.map((name) => ({ '@type': 'Person', name })) : undefined,
    publisher: organization(metadata.publisher),
    about: metadata.keywords?.map((name) => ({ '@type': 'Thing', name })),
    keywords: metadata.keywords?.join(', '),
    audience: { '@type': 'MedicalAudience', audienceType: 'Patient' },
    image,
    copyrightNotice: metadata.rights,
    isPartOf: library && { '@type': 'WebSite', name: library.title, url: library.url },
  };
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
