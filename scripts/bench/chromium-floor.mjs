/**
 * The bench's floor: Chromium printing a page by itself, through the same DevTools call the build
 * makes (Page.printToPDF, by puppeteer), with nothing of the project's around it: no locked page or
 * request interception, no fitting or hyphenation re-print, no post-processing of the PDF. It is
 * a plain .mjs run by Node, so that no compiler's start counts against the floor.
 *
 * `node chromium-floor.mjs <chromium> <profile folder> <switches as JSON> <page.html> <out.pdf> […]`
 *
 * Given more than one page, it prints them all at once, each in a browser context of its own and so in a
 * renderer process of its own: a book cut into parts, printed across cores by Chromium alone.
 *
 * Chromium's own `--print-to-pdf` (headless Chromium 143, the bundled one) never returns on some
 * machines, a one-line page included; this call is the one the build itself depends on.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [executablePath, userDataDir, switches, ...pagesAndOutputs] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  userDataDir,
  pipe: true,
  protocolTimeout: 30 * 60_000,
  args: JSON.parse(switches),
});

/** Print one page to `out`, in the browser's own context, or, when `apart`, in a context of its own. */
async function print(page, out, apart) {
  const tab = await (apart ? await browser.createBrowserContext() : browser.defaultBrowserContext()).newPage();
  await tab.goto(pathToFileURL(page).href, { waitUntil: 'load', timeout: 0 });
  // The print page is hidden on screen, so nothing has asked for its fonts yet; Chromium 143 then prints
  // in its fallback font. They are loaded first, as the build does, so that the floor prints the same pages.
  await tab.evaluate(() => Promise.all(Array.from(document.fonts).map((face) => face.load())));
  // What the build asks of Chromium: the page's own size, its backgrounds, Chromium's tags and outline.
  const pdf = await tab.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true, timeout: 0, waitForFonts: false });
  await writeFile(out, pdf);
}

try {
  const prints = [];
  for (let index = 0; index < pagesAndOutputs.length; index += 2) prints.push(print(pagesAndOutputs[index], pagesAndOutputs[index + 1], pagesAndOutputs.length > 2));
  await Promise.all(prints);
} finally {
  await browser.close();
}
