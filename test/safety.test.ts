/**
 * A manuscript someone else wrote cannot reach the network or the file system:
 * scripts never run, remote and outside files are never fetched or embedded.
 * The proof is the request log of a local server every hostile URL points at.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildOptions } from '../scripts/build.js';
import { launchBrowser } from '../scripts/browser/launch.js';
import { openLockedPage, withLockedPage } from '../scripts/browser/locked-page.js';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import { cli, fixture, tempDir } from './support/cli.js';
import { buildInProcess } from './support/in-process-build.js';
import { epubXhtml, expectEpubcheckClean, openEpub, pdfFonts, pdfPages, readableText } from './support/outputs.js';
import { pdfImages, uncompressedPdf } from './support/pdf-structure.js';
import { readPdfStructure } from './support/pdf-tags.js';
import { startRequestLogServer, type RequestLogServer } from './support/request-log-server.js';
import { openPage, type OpenedPage } from './support/web-page.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { SHARED_RESOURCES, sharedResourceUrl, type Resource } from '../scripts/base/resource.js';

let server: RequestLogServer;
/** A copy of test/fixtures/unsafe/ whose URLs point at the server, with a real file just outside it. */
let manuscripts: string;
const passwd = await readFile('/etc/passwd', 'utf8');
const passwdLine = passwd.split('\n')[0]!; // root:x:0:0:root:/root:/bin/bash

beforeAll(async () => {
  server = await startRequestLogServer();
  const dir = await tempDir();
  manuscripts = path.join(dir, 'manuscript');
  await cp(fixture('unsafe'), manuscripts, { recursive: true });
  for (const name of await readdir(manuscripts)) {
    if (!name.endsWith('.md')) continue;
    const file = path.join(manuscripts, name);
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('http://SERVER', server.origin));
  }
  await cp(fixture('unsafe/images/dot.png'), path.join(dir, 'outside.png'));
});

/** The file's builds, each in this process with one browser for them all, in both formats unless told. */
const browser = new SharedBrowser();
const buildIn = (input: string, outDir: string, options: Partial<BuildOptions> = {}) => buildInProcess({ input, outDir, formats: ['pdf', 'epub'], browser, ...options });

afterAll(async () => {
  await browser.close();
  await server.close();
});

/** A web page opened from its file, with scripts on, in a browser of its own. */
async function inBrowser(file: string, look: (opened: OpenedPage) => Promise<void>): Promise<void> {
  const browser = await launchBrowser({ allowLoopback: true });
  try {
    const opened = await openPage(browser, file);
    await look(opened);
    await opened.page.close();
  } finally {
    await browser.close();
  }
}

function expectNothingReachedTheServer() {
  expect(server.requests).toEqual([]);
  expect(server.connections).toBe(0);
}

describe('a manuscript with hostile HTML', () => {
  it('builds a PDF and an EPUB without running a script or fetching anything, warning about each removed element', async () => {
    const out = await tempDir();
    const { refused, report } = await buildIn(path.join(manuscripts, 'hostile.md'), out);
    expect(refused, report).toBe(false);
    expectNothingReachedTheServer();
    for (const element of ['script', 'style', 'link', 'iframe', 'object', 'embed', 'video', 'audio', 'svg', 'base', 'meta', 'form']) {
      expect(report).toMatch(new RegExp(`hostile\\.md:\\d+:\\d+: warning raw HTML <${element}> removed`));
    }
    expect(report).toMatch(/hostile\.md:13:1: warning HTML attributes removed: <p onclick="document\.write\([^"]*SCRIPT RAN[^"]*\)" style="background: url\(http:\/\/127\.0\.0\.1:\d+\/style-attribute\.png\)">/);
    expect(report).toMatch(/hostile\.md:\d+:\d+: warning HTML attribute removed: <a href="javascript:document\.write\([^"]*\)">/);
    expect(report).toMatch(/hostile\.md:\d+:\d+: warning HTML attribute removed: <a href="file:\/\/\/etc\/passwd">/);

    const pdfText = readableText((await pdfPages(path.join(out, 'a-hostile-handout-a4.pdf'))).join('\n'));
    expect(pdfText).toContain('Paragraph with an event handler and a style attribute.');
    expect(pdfText).toContain('The text after the hostile HTML is all there.');
    for (const effect of ['SCRIPT RAN', 'STYLE RAN', 'IFRAME FALLBACK', 'OBJECT FALLBACK', passwdLine]) expect(pdfText).not.toContain(effect);
    const uncompressed = await uncompressedPdf(path.join(out, 'a-hostile-handout-a4.pdf'));
    expect(uncompressed).toContain('/URI'); // the check below reads the links
    expect(uncompressed).not.toMatch(/javascript:|file:\/\/|\/JavaScript|\/JS\b|\/Launch/);

    const epub = path.join(out, 'a-hostile-handout.epub');
    await expectEpubcheckClean(epub, { allowWarnings: true });
    const zip = await openEpub(epub);
    const xhtml = (await epubXhtml(zip)).join('\n');
    expect(xhtml).toContain('The text after the hostile HTML is all there.');
    for (const trace of ['<script', 'onclick', 'style=', '<iframe', '<object', '<embed', '<link rel="stylesheet" href="http', '<base', 'http-equiv', 'javascript:', 'file:', server.origin, 'SCRIPT RAN', passwdLine]) {
      expect(xhtml).not.toContain(trace);
    }
    expect(Object.keys(zip.files).filter((name) => /passwd|\.(html|css|svg|mp4|mp3)$/.test(name) && !name.endsWith('style.css'))).toEqual([]);
  });

  it('publishes a web edition with no script, handler, form, frame or remote load, opened with scripts on', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([path.join(manuscripts, 'hostile.md'), '--out', out, '--format', 'web']);
    expect(code, stderr).toBe(0);
    const file = path.join(out, 'index.html');
    const html = await readFile(file, 'utf8');
    expect(html).toContain('The text after the hostile HTML is all there.');
    for (const trace of ['<script>', '<script src', ' on', '<form', '<iframe', '<object', '<embed', '<video', '<audio', '<base', 'http-equiv="refresh"', 'javascript:', 'file:', server.origin, 'SCRIPT RAN', passwdLine]) {
      expect(html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/, ''), trace).not.toMatch(trace === ' on' ? / on[a-z]+=/ : new RegExp(trace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    await inBrowser(file, async ({ page, requests }) => {
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('SCRIPT RAN');
      expect(requests.filter((url) => !url.startsWith(pathToFileURL(out).href + '/'))).toEqual([]);
    });
    expectNothingReachedTheServer();
  });

  it('keeps markup that got past the sanitizer from running or loading anything: the web page’s own policy blocks it', async () => {
    const out = await tempDir();
    const { code, stderr } = await cli([path.join(PROJECT_ROOT, 'manuscript'), '--out', out, '--format', 'web']);
    expect(code, stderr).toBe(0);
    // Hostile markup put straight into the built page, as if the sanitizer had missed all of it.
    const hostile = `<p id="marker">unchanged</p><script>document.getElementById('marker').textContent = 'SCRIPT RAN'; fetch('${server.origin}/fetch');</script>
      <script src="${server.origin}/script.js"></script><img src="${server.origin}/img.png" onerror="document.getElementById('marker').textContent = 'SCRIPT RAN'">
      <p style="background: url(${server.origin}/style-attribute.png)">styled</p><link rel="stylesheet" href="${server.origin}/link.css">
      <style>body { background: url("${server.origin}/style-element.png"); }</style><iframe src="${server.origin}/iframe.html"></iframe>
      <object data="${server.origin}/object.svg"></object><form action="${server.origin}/form" id="form"><button id="send">Send</button></form>`;
    const page = path.join(out, 'hostile.html');
    await writeFile(page, (await readFile(path.join(out, 'index.html'), 'utf8')).replace('<main>', `<main>${hostile}`));
    await inBrowser(page, async (opened) => {
      expect(await opened.page.$eval('#marker', (marker) => marker.textContent)).toBe('unchanged');
      expect(opened.console.join('\n')).toContain('Content Security Policy');
      // Sending the form is refused too: the browser says so, and the page stays.
      const refused = new Promise<string>((resolve) => opened.page.on('console', (message) => message.text().includes('form-action') && resolve(message.text())));
      await opened.page.click('#send');
      expect(await refused).toContain('Content Security Policy');
      expect(opened.page.url()).toBe(pathToFileURL(page).href);
    });
    expectNothingReachedTheServer();
  });

  it('keeps its local images but none of the sources they could fetch instead', async () => {
    const out = await tempDir();
    const { refused, report } = await buildIn(path.join(manuscripts, 'hostile-images.md'), out, { formats: ['pdf'] });
    expect(refused, report).toBe(false);
    expectNothingReachedTheServer();
    expect(report).toMatch(/hostile-images\.md:\d+:\d+: warning raw HTML <picture> removed/);
    const pdf = path.join(out, 'hostile-images-a4.pdf');
    expect(readableText((await pdfPages(pdf)).join('\n'))).toContain('The text after the images is all there.');
    expect((await pdfPages(pdf)).join('\n')).not.toContain(passwdLine);
    const images = (await pdfImages(pdf)).filter((image) => image.kind === 'image');
    expect(images.length).toBe(2); // the two dots, from the manuscript folder
    for (const image of images) expect([image.width, image.height]).toEqual([1, 1]); // 1×1 pixels: the dot, never the server's answer
  });
});

describe('a remote image', () => {
  it.each(['remote-image.md', 'raw-remote-image.md'])('%s is left out with a warning at its line and column, its alt text in its place, with nothing fetched', async (name) => {
    const out = await tempDir();
    const { refused, report } = await buildIn(path.join(manuscripts, name), out);
    expect(refused, report).toBe(false);
    expect(report).toMatch(new RegExp(`${name.replace('.', '\\.')}:8:1: warning remote image left out: http://127\\.0\\.0\\.1:\\d+/`));
    const slug = (await readdir(out)).find((file) => file.endsWith('.epub'))!.replace(/\.epub$/, '');
    expect(readableText((await pdfPages(path.join(out, `${slug}-a4.pdf`))).join('\n'))).toContain('A foot');
    const zip = await openEpub(path.join(out, `${slug}.epub`));
    const xhtml = (await epubXhtml(zip)).join('\n');
    expect(xhtml).toContain('A foot');
    expect(xhtml).not.toContain(server.origin);
    expect(Object.keys(zip.files).filter((file) => /\.(png|jpe?g|gif|svg)$/.test(file) && !/cover\.png$/.test(file))).toEqual([]);
    expectNothingReachedTheServer();
  });

  it('stops a --strict build before anything is written', async () => {
    const out = await tempDir();
    const { files, report } = await buildIn(path.join(manuscripts, 'remote-image.md'), out, { strict: true });
    expect(files).toEqual([]);
    expect(report).toMatch(/remote-image\.md:8:1: warning remote image left out/);
    expect(await readdir(out)).toEqual([]);
    expectNothingReachedTheServer();
  });

  it('kept for the next print, shows the next document in place, serving only it and its own resources', async () => {
    const dot = await readFile(fixture('unsafe/images/dot.png'));
    const html = (text: string) =>
      `<!DOCTYPE html><html><head><title>${text}</title></head><body><img src="images/dot.png" alt=""><p>${text}</p>` +
      `<p><a href="#end">To the end</a></p><p id="end" style="break-before: page">The end</p></body></html>`;
    const shown = async (page: import('puppeteer-core').Page) => {
      const pdf = path.join(await tempDir(), 'page.pdf');
      await writeFile(pdf, await page.pdf({ tagged: true }));
      const seen = await page.evaluate(() => ({ base: document.baseURI, text: document.body.innerText.trim().split('\n')[0], dotWidth: document.images[0]!.naturalWidth }));
      return { ...seen, links: (await readPdfStructure(pdf)).links.map(({ page, uri, dest }) => ({ page, uri, dest })) };
    };
    const ready = await browser.get();
    const first = await withLockedPage(ready, html('first'), new Map([['images/dot.png', { mediaType: 'image/png', bytes: dot }]]), async (page) => ({ page, ...(await shown(page)) }));
    const second = await withLockedPage(ready, html('second'), new Map(), async (page) => ({ page, ...(await shown(page)) }));
    // The same page, kept: in a folder of its own, it no longer serves the first document's image.
    expect(second.page).toBe(first.page);
    expect(first).toMatchObject({ text: 'first', dotWidth: 1 });
    expect(second).toMatchObject({ text: 'second', dotWidth: 0 });
    expect(second.base).not.toBe(first.base);
    // Shown in place, its link to a place in itself is still one in its PDF: a destination, not an address.
    expect(second.links).toEqual([{ page: 1, uri: undefined, dest: 'end' }]);
    expect(second.links).toEqual(first.links);
    expectNothingReachedTheServer();
  });

  it('lends as many kept pages at once as the browser has renderers: the next print waits, and is shown in the same page', async () => {
    const ready = await browser.get();
    let using = 0;
    let most = 0;
    const print = (text: string) =>
      withLockedPage(ready, `<!DOCTYPE html><p>${text}</p>`, new Map(), async (page) => {
        most = Math.max(most, (using += 1));
        const shown = await page.evaluate(() => document.body.innerText.trim());
        await sleep(50);
        using -= 1;
        return { page, shown };
      });
    const editions = await Promise.all(['A4', 'US Letter', 'large print'].map((text) => print(text)));
    // One renderer (a publication's browser): one page at a time, each shown its own document.
    expect(editions.map(({ shown }) => shown)).toEqual(['A4', 'US Letter', 'large print']);
    expect(new Set(editions.map(({ page }) => page)).size).toBe(1);
    expect(most).toBe(1);
    // A use that waits on another print (a margin sheet waits for its book's parts) takes a page at once: had it
    // taken the one turn, the print it waits for could never start.
    let partStarted!: () => void;
    const started = new Promise<void>((resolve) => (partStarted = resolve));
    const sheet = withLockedPage(ready, '<!DOCTYPE html><p>sheet</p>', new Map(), async (page) => (await started, page), { alongside: true });
    const part = withLockedPage(ready, '<!DOCTYPE html><p>part</p>', new Map(), async (page) => (partStarted(), page));
    const [sheetPage, partPage] = await Promise.all([sheet, part]);
    expect(sheetPage).not.toBe(partPage);
    expectNothingReachedTheServer();
  });

  it('serves a font by its shared URL, one per content: a renderer asks once for all its documents, never for another content', async () => {
    // A browser of the test's own: none of the builds above has put these fonts in its renderer.
    const fresh = await launchBrowser();
    const font = (file: string) => readFile(path.join(PROJECT_ROOT, 'node_modules/@fontsource', file));
    const serif = await font('source-serif-4/files/source-serif-4-latin-400-normal.woff2');
    const sans = await font('source-sans-3/files/source-sans-3-latin-400-normal.woff2');
    const key = 'fonts/body.woff2';
    /** Each document's resources, counting the requests the page answers from them. */
    class Served extends Map<string, Resource> {
      asked = 0;
      override get(name: string) {
        if (name === key) this.asked += 1;
        return super.get(name);
      }
    }
    const print = async (fontUrl: string, bytes: Buffer) => {
      const resources = new Served([[key, { mediaType: 'font/woff2', bytes: Buffer.from(bytes) }]]);
      const html = `<!DOCTYPE html><html><head><style>@font-face { font-family: Body; src: url("${fontUrl}") format("woff2"); } p { font-family: Body; }</style></head><body><p>Shared fonts</p></body></html>`;
      const out = path.join(await tempDir(), 'page.pdf');
      const status = await withLockedPage(fresh, html, resources, async (page) => {
        const loaded = await page.evaluate(() =>
          Promise.all(Array.from(document.fonts as unknown as Iterable<FontFace>, (face) => face.load().then(() => 'loaded', () => 'error'))),
        );
        await writeFile(out, await page.pdf());
        return loaded;
      });
      return { status, asked: resources.asked, fonts: (await pdfFonts(out)).map((font) => font.name.replace(/^[A-Z]{6}\+/, '')) };
    };
    try {
      const serifUrl = sharedResourceUrl(key, { mediaType: 'font/woff2', bytes: serif });
      const first = await print(serifUrl, serif);
      const second = await print(serifUrl, serif);
      // The same name, other bytes: another URL, asked for and printed in its own face.
      const other = await print(sharedResourceUrl(key, { mediaType: 'font/woff2', bytes: sans }), sans);
      // A URL whose hash is not that of the document's file of that name is refused.
      const forged = await print(`${SHARED_RESOURCES}${'0'.repeat(32)}/${key}`, sans);
      expect(first).toMatchObject({ status: ['loaded'], asked: 1, fonts: ['SourceSerif4-Regular'] });
      expect(second).toMatchObject({ status: ['loaded'], asked: 0, fonts: ['SourceSerif4-Regular'] });
      expect(other).toMatchObject({ status: ['loaded'], asked: 1 });
      expect(other.fonts).toHaveLength(1);
      expect(other.fonts[0]).toMatch(/^SourceSans3/);
      expect(forged.status).toEqual(['error']);
      expect(forged.fonts.some((name) => /^Source/.test(name))).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('for a large document, is a page of a browser context of its own, closed with it, so its renderer memory goes too', async () => {
    const dot = await readFile(fixture('unsafe/images/dot.png'));
    const book = `<!DOCTYPE html><html><body><img src="images/dot.png" alt="">${'<p>A long book of many pages.</p>'.repeat(8000)}</body></html>`;
    expect(book.length).toBeGreaterThan(200_000);
    const ready = await browser.get();
    const contextsBefore = ready.browserContexts().length;
    const large = await withLockedPage(ready, book, new Map([['images/dot.png', { mediaType: 'image/png', bytes: dot }]]), async (page) => ({
      page,
      ownContext: page.browserContext() !== ready.defaultBrowserContext(),
      contextsWhilePrinting: ready.browserContexts().length,
      dotWidth: await page.evaluate(() => document.images[0]!.naturalWidth),
    }));
    expect(large).toMatchObject({ ownContext: true, contextsWhilePrinting: contextsBefore + 1, dotWidth: 1 });
    expect(large.page.isClosed()).toBe(true);
    expect(ready.browserContexts()).toHaveLength(contextsBefore);
    // A leaflet printed next gets a page of the shared context, not the book's.
    const next = await withLockedPage(ready, '<!DOCTYPE html><p>leaflet</p>', new Map(), async (page) => page.browserContext() === ready.defaultBrowserContext());
    expect(next).toBe(true);
    // More books at once than the machine has cores: as many renderers of their own at a time as it has.
    const cores = os.availableParallelism();
    let open = 0;
    let mostOpen = 0;
    let allOpen!: () => void;
    const asManyAsCores = new Promise<void>((resolve) => (allOpen = resolve));
    const shown = await Promise.all(
      Array.from({ length: cores + 2 }, (_, index) =>
        withLockedPage(ready, book.replace('A long book', `Book ${index}`), new Map(), async (page) => {
          mostOpen = Math.max(mostOpen, ++open);
          if (open === cores) allOpen();
          const text = await page.evaluate(() => document.body.innerText.slice(0, 40));
          // Each book held until as many are open at once as there are cores (15 s at most), however slowly a
          // loaded machine opens them, then a moment more, in which one more, if let through, would be counted.
          await Promise.race([asManyAsCores, sleep(15_000)]);
          await sleep(200);
          open--;
          return text;
        }),
      ),
    );
    expect(shown.map((text) => /Book \d+/.exec(text)?.[0])).toEqual(Array.from({ length: cores + 2 }, (_, index) => `Book ${index}`));
    expect(mostOpen).toBe(cores);
    expect(ready.browserContexts()).toHaveLength(contextsBefore);
    expectNothingReachedTheServer();
  });
});

describe('an image the build must not read', () => {
  it.each([
    ['file-url-image.md', 'remote image not allowed: file:///etc/passwd'],
    ['absolute-path-image.md', 'image outside the manuscript folder: /etc/passwd'],
    ['outside-image.md', 'image outside the manuscript folder: ../outside.png'],
  ])('%s is refused at its line and column, with nothing fetched', async (name, reason) => {
    const out = await tempDir();
    const { refused, report } = await buildIn(path.join(manuscripts, name), out);
    expect(refused).toBe(true);
    expect(report).toMatch(new RegExp(`${name.replace('.', '\\.')}:8:1: error `));
    expect(report).toContain(reason);
    expect(await readdir(out)).toEqual([]);
    expectNothingReachedTheServer();
  });
});

describe('the locked print page, given HTML that was never sanitized', () => {
  it('runs no script and loads nothing but its own resources', async () => {
    // Two elements would spoil the page without fetching anything (their requests are blocked too), so
    // only the sanitizer, tested above, removes them: a meta refresh navigates to an error page, and
    // <base> moves the page's own images to the server.
    const hostile = (await readFile(fixture('unsafe/hostile.md'), 'utf8'))
      .replaceAll('http://SERVER', server.origin)
      .replace(/<base .*\n<meta http-equiv.*\n/, '');
    const html = `<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="${server.origin}/head-link.css"><link rel="preload" as="image" href="${server.origin}/preload.png">
      <link rel="dns-prefetch" href="${server.origin}"><link rel="prefetch" href="${server.origin}/prefetch">
      <style>@font-face { font-family: Remote; src: url("${server.origin}/font.woff2"); } p { font-family: Remote; }</style>
      </head><body>${hostile.split('---\n')[2]}
      <img src="${server.origin}/img.png"><img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>
      <img src="images/dot.png" alt="served"><p id="marker">unchanged</p>
      <script>document.getElementById('marker').textContent = 'SCRIPT RAN';</script></body></html>`;
    const dot = await readFile(fixture('unsafe/images/dot.png'));
    // The browser the builds above used: as the build opens each page, in a browser it shares.
    const page = await openLockedPage(await browser.get(), html, new Map([['images/dot.png', { mediaType: 'image/png', bytes: dot }]]));
    try {
      const loaded = await page.evaluate(() => Array.from(document.images, (image) => [image.getAttribute('src'), image.naturalWidth] as const));
      expect(loaded).toContainEqual(['images/dot.png', 1]);
      expect(loaded.filter(([src, width]) => src !== 'images/dot.png' && width > 0)).toEqual([]);
      const text = (await page.evaluate(() => document.body.innerText)) as string;
      expect(text).toContain('unchanged');
      expect(text).not.toContain('SCRIPT RAN');
      const pdf = path.join(await tempDir(), 'page.pdf');
      await writeFile(pdf, await page.pdf());
      const pdfText = (await pdfPages(pdf)).join('\n');
      expect(pdfText).toContain('unchanged');
      expect(pdfText).not.toContain(passwdLine);
    } finally {
      await page.close();
    }
    expectNothingReachedTheServer();
  });
});
