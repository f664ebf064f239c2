/**
 * The web edition, as a patient's phone and a screen reader meet it, in the project's own
 * Chromium: axe-core's WCAG 2.2 A/AA rules on the article, the clinic leaflet, the torture book,
 * the Arabic translation and the library's catalogue, with scripts on and off, light and dark;
 * reflow at 320 px and at 200% text; its weight and its fonts; its links, languages and metadata;
 * and the QR code on the printed handout that leads to it.
 */
import { readdir, readFile, stat, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import * as hb from 'harfbuzzjs';
import { convert } from 'fontverter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../scripts/browser/launch.js';
import { cli, fixture, tempDir } from './support/cli.js';
import { sharedBuild } from './support/shared-builds.js';
import { copyLibrary } from './support/library.js';
import { translatedArticle } from './support/languages.js';
import { decodeQr } from './support/qr.js';
import { pdfInfo } from './support/outputs.js';
import { axeViolations, openPage, sidewaysOverflow } from './support/web-page.js';

const SITE = 'https://clinic.example.org/leaflets/heel-pain/';
const article = path.join(sharedBuild('article').outDir, 'index.html');
const torture = path.join(sharedBuild('torture').outDir, 'index.html');
let leafletDir: string;
let arabic: string;
let translatedDir: string;
let catalogue: string;
let browser: Browser;

beforeAll(async () => {
  // The clinic leaflet, published at SITE; the article with its Arabic translation; the library.
  const leafletSource = path.join(await tempDir('press-web-leaflet-'), 'heel-pain.md');
  await cp(fixture('leaflet'), path.dirname(leafletSource), { recursive: true });
  await writeFile(leafletSource, (await readFile(leafletSource, 'utf8')).replace(/^---\n/, `---\nsiteUrl: ${SITE}\n`));
  leafletDir = path.join(path.dirname(leafletSource), 'dist');
  const translated = await translatedArticle();
  translatedDir = path.join(path.dirname(translated), 'dist');
  const { library, out } = await copyLibrary();
  const builds = await Promise.all([
    cli([leafletSource, '--out', leafletDir]),
    cli([translated, '--out', translatedDir, '--lang', 'en,ar,ja', '--format', 'epub,web']),
  ]);
  builds.push(await cli([library, '--out', out, '--format', 'epub,web']));
  for (const { code, stderr } of builds) expect(code, stderr).toBe(0);
  arabic = path.join(translatedDir, 'the-many-benefits-of-foot-massage.ar.html');
  catalogue = path.join(out, 'index.html');
  browser = await launchBrowser({ allowLoopback: true });
});

afterAll(async () => {
  await browser?.close();
});

const pages = () => ({ article, leaflet: path.join(leafletDir, 'index.html'), torture, arabic, catalogue });

describe('axe-core, WCAG 2.2 A and AA', () => {
  for (const name of ['article', 'leaflet', 'torture', 'arabic', 'catalogue'] as const) {
    it(`finds no violation on the ${name}'s page, with scripts on and off, light and dark`, async () => {
      for (const javaScript of [true, false]) {
        for (const scheme of ['light', 'dark'] as const) {
          const { page, failures } = await openPage(browser, pages()[name], { javaScript, scheme });
          expect(await axeViolations(page), `${name}, scripts ${javaScript ? 'on' : 'off'}, ${scheme}`).toEqual([]);
          expect(failures).toEqual([]);
          await page.close();
        }
      }
    });
  }
});

describe('reflow and text size', () => {
  for (const name of ['article', 'leaflet', 'torture', 'arabic', 'catalogue'] as const) {
    it(`the ${name}'s page never scrolls sideways at 320 px, nor at 200% text`, async () => {
      for (const view of [{ width: 320 }, { width: 320, textSize: 32 }, { width: 640, textSize: 32 }]) {
        const { page } = await openPage(browser, pages()[name], view);
        expect(await sidewaysOverflow(page), `${name} at ${JSON.stringify(view)}`).toBe(0);
        await page.close();
      }
    });
  }

  it('sets its text by the reader’s size: twice the size, twice the body text', async () => {
    const sizeAt = async (textSize?: number) => {
      const { page } = await openPage(browser, article, { width: 390, textSize });
      const size = await page.$eval('main p:not([class])', (p) => parseFloat(getComputedStyle(p).fontSize));
      await page.close();
      return size;
    };
    expect(await sizeAt(32)).toBeCloseTo(2 * (await sizeAt()), 5);
  });
});

describe('page weight', () => {
  for (const name of ['article', 'leaflet', 'torture', 'arabic', 'japanese'] as const) {
    it(`the ${name}'s page weighs under 150 kB before fonts, all it loads counted`, async () => {
      const file = name === 'japanese' ? arabic.replace('.ar.html', '.ja.html') : pages()[name];
      const { page, requests, failures } = await openPage(browser, file, { width: 390 });
      await page.close();
      expect(failures).toEqual([]);
      let bytes = 0;
      for (const url of new Set(requests.filter((request) => !request.endsWith('.woff2')))) bytes += (await stat(new URL(url).pathname)).size;
      expect(bytes).toBeGreaterThan(10_000);
      expect(bytes).toBeLessThan(150_000);
    });
  }
});

describe('the article’s page', () => {
  it('loads only its own files, in the project’s typefaces, each font cut down to the characters the page shows', async () => {
    const { page, requests, failures } = await openPage(browser, article, { width: 390 });
    expect(failures).toEqual([]);
    const folder = path.dirname(article);
    for (const url of requests) expect(url.startsWith(pathToFileURL(folder).href + '/'), url).toBe(true);
    const families = await page.evaluate(() => {
      const loaded: string[] = [];
      document.fonts.forEach((face) => face.status === 'loaded' && loaded.push(face.family.replaceAll('"', '')));
      return loaded;
    });
    expect(new Set(families)).toEqual(new Set(['Source Serif 4', 'Source Sans 3']));
    const fonts = requests.filter((url) => url.endsWith('.woff2')).map((url) => new URL(url).pathname);
    expect(fonts.length).toBeGreaterThan(0);
    // All the page shows, on a screen or printed (the note to print the PDF).
    const shown = await page.evaluate(() => document.body.textContent!);
    const characters = new Set([...shown, ...shown.toUpperCase()]);
    for (const font of fonts) {
      const bytes = await readFile(font);
      const original = await readFile(path.join('node_modules', '@fontsource', path.basename(font).replace(/-(latin|latin-ext|greek|cyrillic)-.*$/, ''), 'files', path.basename(font)));
      expect(bytes.length, font).toBeLessThan(original.length * 0.6);
      const covered = await fontCharacters(bytes);
      const extra = [...covered].filter((character) => !characters.has(character) && !'•◦▪–-‐0123456789.“”‘’…'.includes(character) && character.trim());
      expect(extra, `${path.basename(font)} has characters the page does not show`).toEqual([]);
    }
    // Every letter of the text is in a font of the page: none is set in a fallback face.
    const allCovered = new Set<string>();
    for (const font of fonts) for (const character of await fontCharacters(await readFile(font))) allCovered.add(character);
    expect([...characters].filter((character) => /\p{L}/u.test(character) && !allCovered.has(character))).toEqual([]);
    await page.close();
  });


  it('has the full text, the downloads at the top with their pages and sizes, and no script', async () => {
    const html = await readFile(article, 'utf8');
    const { page } = await openPage(browser, article, { javaScript: false });
    const text = await page.evaluate(() => document.querySelector('main')!.innerText);
    const manuscript = await readFile('manuscript/foot-massage.md', 'utf8');
    const lastParagraph = manuscript.trim().split('\n').at(-1)!.replace(/[’']/g, '’');
    expect(text.replace(/[’']/g, '’')).toContain(lastParagraph.slice(0, 80));
    const downloads = await page.$$eval('.downloads a', (links) => links.map((link) => ({ href: link.getAttribute('href')!, text: link.parentElement!.textContent! })));
    const outputs = (await readdir(path.dirname(article))).filter((name) => /\.(pdf|epub)$/.test(name));
    expect(downloads.map((link) => link.href).sort()).toEqual(outputs.sort());
    for (const link of downloads.filter((download) => download.href.endsWith('.pdf'))) {
      expect(link.text).toContain(`${(await pdfInfo(path.join(path.dirname(article), link.href)))['Pages']} pages`);
    }
    // The downloads come before the text.
    expect(await page.$eval('.downloads', (section) => section.compareDocumentPosition(document.querySelector('main section.opening, main section.chapter')!) & Node.DOCUMENT_POSITION_FOLLOWING)).toBeTruthy();
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.getAttribute('content'));
    expect(policy).toMatch(/^default-src 'self'; script-src 'none'; style-src 'sha256-[^']+'; object-src 'none'; base-uri 'none'; form-action 'none'$/);
    await page.close();
  });

  it('tells a reader who prints it to print the PDF, and links it', async () => {
    const { page } = await openPage(browser, article);
    await page.emulateMediaType('print');
    const note = await page.$eval('.print-note', (element) => ({ shown: element.checkVisibility(), text: (element as HTMLElement).innerText, href: element.querySelector('a')!.getAttribute('href') }));
    expect(note).toEqual({ shown: true, text: expect.stringContaining('To print it, print the PDF'), href: 'the-many-benefits-of-foot-massage-a4.pdf' });
    expect(await page.$eval('.downloads', (element) => element.checkVisibility())).toBe(false);
    await page.emulateMediaType('screen');
    expect(await page.$eval('.print-note', (element) => element.checkVisibility())).toBe(false);
    await page.close();
  });
});

describe('the clinic leaflet published at its siteUrl', () => {
  it('has the key points, call-outs, references, contact panel and review block', async () => {
    const { page } = await openPage(browser, path.join(leafletDir, 'index.html'));
    expect(await page.$$eval('.callout-keypoints li', (items) => items.length)).toBe(4);
    expect(await page.$$eval('.callout', (boxes) => boxes.length)).toBeGreaterThan(1);
    expect(await page.$eval('ol.references', (list) => list.children.length)).toBe(3);
    expect(await page.$eval('.contact-panel a[href^="tel:"]', (link) => link.getAttribute('href'))).toBe('tel:01234567890');
    expect(await page.$eval('.leaflet-review', (review) => review.textContent)).toMatch(/Last reviewed 15 September 2025.*Next review due 15 September 2027/);
    await page.close();
  });

  it('names its canonical address, and says what it is in schema.org MedicalWebPage, Open Graph and Twitter cards', async () => {
    const html = await readFile(path.join(leafletDir, 'index.html'), 'utf8');
    expect(html).toContain(`<link rel="canonical" href="${SITE}">`);
    const data = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'MedicalWebPage',
      name: 'Heel Pain (Plantar Fasciitis)',
      inLanguage: 'en-GB',
      url: SITE,
      datePublished: '2024-03-01',
      lastReviewed: '2025-09-15',
      reviewedBy: { '@type': 'Person', name: 'Dr Ana Ruiz, Consultant Podiatrist' },
      about: [{ '@type': 'Thing', name: 'plantar fasciitis' }, { '@type': 'Thing', name: 'heel pain' }, { '@type': 'Thing', name: 'stretching' }, { '@type': 'Thing', name: 'self-massage' }],
      image: `${SITE}cover.png`,
    });
    expect(html).toContain(`<meta property="og:url" content="${SITE}">`);
    expect(html).toContain(`<meta property="og:image" content="${SITE}cover.png">`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect((await stat(path.join(leafletDir, 'cover.png'))).size).toBeGreaterThan(1000);
  });

  it('prints a QR code on the A4 handout that leads to the web edition, its address in words beside it', async () => {
    const pdf = path.join(leafletDir, 'heel-pain-a4.pdf');
    const pages = Number((await pdfInfo(pdf))['Pages']);
    expect(await decodeQr(pdf, pages)).toEqual([SITE]);
    const { pdfPages } = await import('./support/outputs.js');
    expect((await pdfPages(pdf)).at(-1)!.replace(/\s+/g, ' ')).toContain('clinic.example.org/leaflets/heel-pain');
  });
});

describe('a translated publication', () => {
  it('has a page for each language, with lang and dir, linked to each other by hreflang', async () => {
    const source = path.join(translatedDir, 'index.html');
    const sourceHtml = await readFile(source, 'utf8');
    const arabicHtml = await readFile(arabic, 'utf8');
    expect(sourceHtml).toMatch(/^<!DOCTYPE html>\n<html lang="en" dir="ltr">/);
    expect(arabicHtml).toMatch(/^<!DOCTYPE html>\n<html lang="ar" dir="rtl">/);
    for (const html of [sourceHtml, arabicHtml]) {
      expect(html).toContain('<link rel="alternate" hreflang="en" href="index.html">');
      expect(html).toContain('<link rel="alternate" hreflang="ar" href="the-many-benefits-of-foot-massage.ar.html">');
      expect(html).toContain('<link rel="alternate" hreflang="ja" href="the-many-benefits-of-foot-massage.ja.html">');
    }
    const { page } = await openPage(browser, arabic, { javaScript: false });
    const switcher = await page.$$eval('.languages a', (links) => links.map((link) => [link.getAttribute('lang'), link.textContent, link.getAttribute('aria-current')]));
    expect(switcher).toEqual([['en', 'English', null], ['ar', 'العربية', 'page'], ['ja', '日本語', null]]);
    // Its downloads are its own language's files.
    expect(await page.$$eval('.downloads a', (links) => links.map((link) => link.getAttribute('href')))).toEqual(['the-many-benefits-of-foot-massage.ar.epub']);
    await page.click('.languages a[lang="en"]');
    expect(new URL(page.url()).pathname).toBe(source);
    await page.close();
  });
});

/** The characters a font's character map has. */
async function fontCharacters(woff2: Uint8Array): Promise<Set<string>> {
  const face = new hb.Face(new hb.Blob(await convert(Buffer.from(woff2), 'sfnt')));
  return new Set([...face.collectUnicodes()].map((codePoint) => String.fromCodePoint(codePoint)));
}
