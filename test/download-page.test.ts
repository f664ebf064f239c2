import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser/launch.js';
import { fileLabel, renderDownloadPage } from '../scripts/outputs/download-page.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { applyTemplates } from '../scripts/render/publication.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { formatSize } from '../scripts/base/progress.js';
import { pdfInfo } from './support/outputs.js';

const outDir = inject('articleOutDir');
const indexFile = path.join(outDir, 'index.html');

describe('the download page, in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser({ allowLoopback: true });
    page = await browser.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('requestfailed', (request) => failures.push(request.url()));
    page.on('pageerror', (error) => failures.push(String(error)));
    const response = await page.goto(pathToFileURL(indexFile).href, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads by itself: nothing but the page is requested, nothing fails', async () => {
    expect(failures).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('data:'))).toEqual([pathToFileURL(indexFile).href]);
    expect(await page.title()).toBe('The Many Benefits of Foot Massage');
    expect(await page.$eval('h1', (h1) => h1.textContent)).toBe('The Many Benefits of Foot Massage');
    expect(await page.$eval('.download-description', (p) => p.textContent)).toMatch(/^A patient handout on how foot massage/);
  });

  it('links every edition the build wrote, each resolving to its file in dist/ with its true size and pages', async () => {
    const links = await page.$$eval('a[href]', (anchors) =>
      anchors.map((anchor) => ({ href: anchor.href, label: anchor.textContent!.trim(), details: anchor.parentElement!.textContent! })),
    );
    const editions = (await readdir(outDir)).filter((name) => /\.(pdf|epub)$/.test(name));
    expect(links.map((link) => path.basename(new URL(link.href).pathname)).sort()).toEqual(editions.sort());
    for (const link of links) {
      const file = new URL(link.href).pathname;
      expect(path.dirname(file), link.href).toBe(outDir);
      const size = (await stat(file)).size;
      expect(link.details, link.href).toContain(formatSize(size));
      expect(link.label).toBe(fileLabel(path.basename(file), 'the-many-benefits-of-foot-massage'));
      if (file.endsWith('.pdf')) expect(link.details).toContain(`${(await pdfInfo(file))['Pages']} pages`);
    }
  });
});

describe('the download page with a cover', () => {
  it('shows the cover from inside the page, described for screen readers', async () => {
    const browser = await launchBrowser({ allowLoopback: true });
    try {
      // Any real PNG will do: Chromium draws one.
      const shot = await browser.newPage();
      await shot.setViewport({ width: 60, height: 90 });
      await shot.setContent('<body style="margin:0;background:#1f6670"></body>');
      const cover = { mediaType: 'image/png', bytes: await shot.screenshot({ type: 'png' }) };
      const publication = await renderedArticle();
      const { bytes } = await renderDownloadPage(publication, [], cover);
      const page = await browser.newPage();
      await page.setContent(new TextDecoder().decode(bytes), { waitUntil: 'load' });
      const image = await page.$eval('img.download-cover', (img) => ({ width: img.naturalWidth, height: img.naturalHeight, alt: img.alt, src: img.src.slice(0, 22) }));
      expect(image).toEqual({ width: 60, height: 90, alt: 'Cover of The Many Benefits of Foot Massage', src: 'data:image/png;base64,' });
    } finally {
      await browser.close();
    }
  });
});

async function renderedArticle() {
  const manuscript = await loadManuscript(path.join(PROJECT_ROOT, 'manuscript'));
  return applyTemplates(await renderMarkdown(manuscript), manuscript.metadata, new Date(0));
}

describe('edition labels', () => {
  it('name each kind of file the build can write', () => {
    const slug = 'leaflet';
    expect(fileLabel('leaflet.pdf', slug)).toBe('PDF handout');
    expect(fileLabel('leaflet-a4.pdf', slug)).toBe('PDF handout, A4');
    expect(fileLabel('leaflet-letter.pdf', slug)).toBe('PDF handout, US Letter');
    expect(fileLabel('leaflet-large-print.pdf', slug)).toBe('PDF handout, Large print (A4)');
    expect(fileLabel('leaflet.epub', slug)).toBe('EPUB ebook');
    expect(fileLabel('leaflet.zh-Hans-large-print.pdf', slug, 'zh-Hans')).toBe('PDF handout, Large print (A4)');
    expect(fileLabel('leaflet.es.epub', slug, 'es')).toBe('EPUB ebook');
    expect(fileLabel('leaflet.docx', slug)).toBe('Word document');
  });
});
