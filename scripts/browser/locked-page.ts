/**
 * Pages that are locked down: no JavaScript, no network, no file access — only the page's own
 * resources and `data:` URLs load.
 */
import os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Browser, Page, Protocol } from 'puppeteer-core';
import { SHARED_RESOURCES, sharedResourceKey, sharedResourceUrl, type Resource } from '../base/resource.js';
import { renderersOf } from './launch.js';

/** The made-up origin print pages are served from; `.invalid` can never resolve to a real host. */
export const PAGE_ORIGIN = 'https://press.invalid';

/** A locked page, and what it serves now: a document of its own at each call. */
interface LockedPage {
  page: Page;
  /** Show `html`, served with its `resources` from a new folder (the last one's no longer served), once loaded. */
  show(html: string, resources: ReadonlyMap<string, Resource>): Promise<void>;
}

/**
 * Open `html` in a page that can load nothing but `resources` (fonts, images, by
 * path relative to the page) and `data:` URLs: no JavaScript, no network, no files.
 *
 * Each document has a folder of its own on the made-up origin. The pages share one renderer
 * process, and with it a cache of what it loaded by URL: an image another page decoded
 * first was embedded in the PDF in another form, and the builds were no longer byte-identical.
 * Fonts are the exception: named by shared URLs, one per content (base/resource.ts), they are
 * decoded once per renderer, not once per print, and the PDFs stay the same byte for byte.
 */
export async function openLockedPage(browser: Browser, html: string, resources: ReadonlyMap<string, Resource>): Promise<Page> {
  const locked = await lockPage(await browser.newPage());
  await locked.show(html, resources);
  return locked.page;
}

/**
 * `use` a locked page showing `html` (as openLockedPage), in a page kept from an earlier use when there is
 * one. Opening a page and closing it again cost Chromium about a fifth of a leaflet's print, and Node the
 * page's set-up over CDP (docs/performance.md); a page kept is shown its next document in place, with a
 * folder of its own as its base URL. Only for uses that leave the page as they found it (a print: no viewport, no tab
 * brought to the front). A page that failed is closed. A large document is not shown in a kept page: it
 * opens in a browser context of its own, closed after it, so that its renderer's memory goes with it; so
 * does a document asked to print `apart`, beside others (a part of a book).
 *
 * As many kept pages are in use at a time as the browser has renderer processes: the pages of a renderer are
 * laid out and printed one after another anyway, and a use that waits its turn is shown its document in a page
 * that is kept, where one that did not would open a page of its own and navigate it (a publication's three
 * editions: docs/performance.md). `alongside`: a use that itself waits on other prints (a book's margin sheet,
 * shown while the book's parts print) takes a page at once.
 */
export async function withLockedPage<T>(
  browser: Browser,
  html: string,
  resources: ReadonlyMap<string, Resource>,
  use: (page: Page) => Promise<T>,
  { apart = false, alongside = false }: { apart?: boolean; alongside?: boolean } = {},
): Promise<T> {
  if (apart || html.length > KEPT_DOCUMENT_SIZE) return inRendererOfItsOwn(browser, html, resources, use);
  if (alongside) return inKeptPage(browser, html, resources, use);
  let turns = keptPageTurns.get(browser);
  if (!turns) keptPageTurns.set(browser, (turns = pLimit(renderersOf(browser))));
  return turns(() => inKeptPage(browser, html, resources, use));
}

const keptPageTurns = new WeakMap<Browser, LimitFunction>();

/** `use` a kept page showing `html`, or a new one when none is idle. */
async function inKeptPage<T>(browser: Browser, html: string, resources: ReadonlyMap<string, Resource>, use: (page: Page) => Promise<T>): Promise<T> {
  const idle = keptPages.get(browser) ?? [];
  keptPages.set(browser, idle);
  const locked = idle.pop() ?? (await lockPage(await browser.newPage()));
  let keep = false;
  try {
    await locked.show(html, resources);
    const result = await use(locked.page);
    keep = idle.length < KEPT_PAGES && !locked.page.isClosed();
    return result;
  } finally {
    if (keep) idle.push(locked);
    else await locked.page.close().catch(() => undefined);
  }
}

/**
 * A large document in a browser context of its own, and so in a renderer process of its own, which ends with
 * it. In the shared renderer, the memory of a closed page's layout stayed with the process, and a long book's
 * editions, printed in turn, added up (docs/performance.md). As many at a time as the machine has cores: a
 * library of books would otherwise start a renderer, and a book's layout, for every print in flight.
 */
async function inRendererOfItsOwn<T>(browser: Browser, html: string, resources: ReadonlyMap<string, Resource>, use: (page: Page) => Promise<T>): Promise<T> {
  let limit = largeDocumentsAtOnce.get(browser);
  if (!limit) largeDocumentsAtOnce.set(browser, (limit = pLimit(os.availableParallelism())));
  return limit(async () => {
    const context = await browser.createBrowserContext();
    try {
      const locked = await lockPage(await context.newPage());
      await locked.show(html, resources);
      return await use(locked.page);
    } finally {
      await context.close().catch(() => undefined);
    }
  });
}

const largeDocumentsAtOnce = new WeakMap<Browser, LimitFunction>();

/** Pages kept per browser: enough for a library's prints in flight (build-library.ts's jobs × editions). */
const KEPT_PAGES = 16;
/** The largest document (HTML, in characters) whose page is kept: eight times a four-page leaflet's; a book's page is closed. */
const KEPT_DOCUMENT_SIZE = 200_000;
const keptPages = new WeakMap<Browser, LockedPage[]>();

/**
 * JavaScript off, and every request answered by the page itself. Requests are answered over the DevTools
 * protocol's Fetch domain directly rather than through puppeteer's request interception, which encodes each
 * body to base64 in JavaScript: for a print page's fonts and HTML about 10 ms of Node's one thread a print,
 * against 0.03 ms for Node's own encoder (docs/performance.md). The session serves the page's whole frame
 * tree: a frame from another site could only come from another origin, which is refused, and the browser's
 * proxy (browser/launch.ts) reaches nothing.
 */
async function lockPage(page: Page): Promise<LockedPage> {
  await page.setJavaScriptEnabled(false);
  const session = await page.createCDPSession();
  let folder = '';
  let shown = { html: '', resources: new Map() as ReadonlyMap<string, Resource> };
  session.on('Fetch.requestPaused', ({ requestId, request: { url } }: Protocol.Fetch.RequestPausedEvent) => {
    const shared = sharedResource(url, shown.resources);
    const resource =
      url === folder ? { mediaType: 'text/html; charset=utf-8', bytes: Buffer.from(shown.html, 'utf8') } : url.startsWith(folder) ? shown.resources.get(resourceKey(url, folder)) : shared;
    const reply = url.startsWith('data:')
      ? session.send('Fetch.continueRequest', { requestId })
      : resource
        ? session.send('Fetch.fulfillRequest', {
            requestId,
            responseCode: 200,
            // A shared URL names one content for good: the renderer may keep what it made of it.
            responseHeaders: [{ name: 'Content-Type', value: resource.mediaType }, ...(resource === shared ? [{ name: 'Cache-Control', value: 'max-age=31536000, immutable' }] : [])],
            body: Buffer.from(resource.bytes.buffer, resource.bytes.byteOffset, resource.bytes.byteLength).toString('base64'),
          })
        : session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    // A page closed while its request was answered has nothing left to answer.
    reply.catch(() => undefined);
  });
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
  // Its load events, for a document set without a navigation.
  await session.send('Page.enable');
  const { frameTree } = await session.send('Page.getFrameTree');
  return {
    page,
    /**
     * A page's first document is navigated to; a kept page's next one replaces it in place. For a leaflet's
     * print, a navigation cost Chromium two to three times the CPU time of the rest of the print (docs/performance.md).
     */
    async show(html, resources) {
      const showing = folder !== '';
      folder = `${PAGE_ORIGIN}/${(openedDocuments += 1)}/`;
      shown = { html: withBase(html, folder), resources };
      if (showing) {
        const loaded = new Promise((resolve) => session.once('Page.loadEventFired', resolve));
        await session.send('Page.setDocumentContent', { frameId: frameTree.frame.id, html: shown.html });
        await loaded;
        return;
      }
      // No time limit (puppeteer's default is 30 s): the page and all it loads are in memory, and laying out a
      // 5 MB manuscript on a busy machine took longer ("Navigation timeout of 30000 ms exceeded").
      await page.goto(folder, { waitUntil: 'load', timeout: 0 });
    },
  };
}

/**
 * `html` with `folder` as its base URL, ahead of anything in its head: its relative URLs are the folder's
 * whether the page was navigated there or shown it in place (a kept page's next document keeps the URL of
 * the first, but not its base).
 */
function withBase(html: string, folder: string): string {
  const base = `<base href="${folder}">`;
  const head = /<head(?:\s[^>]*)?>/i.exec(html) ?? /<html(?:\s[^>]*)?>/i.exec(html);
  if (head) return `${html.slice(0, head.index + head[0].length)}${base}${html.slice(head.index + head[0].length)}`;
  const doctype = /^\s*<!DOCTYPE[^>]*>/i.exec(html);
  return doctype ? `${doctype[0]}${base}${html.slice(doctype[0].length)}` : `${base}${html}`;
}

/** The resource a URL in the page's folder names: its path below the folder, decoded. */
const resourceKey = (url: string, folder: string) => decodeURIComponent(new URL(url).pathname.slice(new URL(folder).pathname.length));

/** One of the document's resources that a shared URL names (base/resource.ts), when the URL is the one its content has. */
function sharedResource(url: string, resources: ReadonlyMap<string, Resource>): Resource | undefined {
  if (!url.startsWith(`${PAGE_ORIGIN}${SHARED_RESOURCES}`)) return undefined;
  const pathname = decodeURIComponent(new URL(url).pathname);
  const key = sharedResourceKey(pathname);
  const resource = key === undefined ? undefined : resources.get(key);
  return resource && sharedResourceUrl(key!, resource) === pathname ? resource : undefined;
}

let openedDocuments = 0;
