/**
 * Pages that are locked down: no JavaScript, no network, no file access — only the page's own
 * resources and `data:` URLs load.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Resource } from '../base/resource.js';

/** The made-up origin print pages are served from; `.invalid` can never resolve to a real host. */
export const PAGE_ORIGIN = 'https://press.invalid';

/**
 * Open `html` in a page that can load nothing but `resources` (fonts, images, by
 * path relative to the page) and `data:` URLs: no JavaScript, no network, no files.
 *
 * Each page has a folder of its own on the made-up origin. The pages share one renderer
 * process, and with it a cache of what it loaded by URL: an image another page decoded
 * first was embedded in the PDF in another form, and the builds were no longer byte-identical.
 */
export async function openLockedPage(browser: Browser, html: string, resources: ReadonlyMap<string, Resource>): Promise<Page> {
  const page = await browser.newPage();
  const folder = `${PAGE_ORIGIN}/${(openedPages += 1)}/`;
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (url.startsWith('data:')) return void request.continue();
    if (url === folder) return void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const resource = url.startsWith(folder) ? resources.get(decodeURIComponent(new URL(url).pathname.slice(new URL(folder).pathname.length))) : undefined;
    if (resource) return void request.respond({ status: 200, contentType: resource.mediaType, body: Buffer.from(resource.bytes) });
    void request.abort('blockedbyclient');
  });
  // No time limit (puppeteer's default is 30 s): the page and all it loads are in memory, and laying out a
  // 5 MB manuscript on a busy machine took longer ("Navigation timeout of 30000 ms exceeded").
  await page.goto(folder, { waitUntil: 'load', timeout: 0 });
  return page;
}

let openedPages = 0;
