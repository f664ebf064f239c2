/**
 * The ebook's cover image: the front matter's finished `cover` as it is, or the
 * cover page (templates/cover.html.ejs) drawn by Chromium in the same locked
 * page the PDF is printed in, and captured as a PNG of COVER_SIZE.
 */
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser.js';
import type { CoverSource } from '../render/template.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
}

/** Whether making the cover needs the browser. */
export const coverNeedsBrowser = (source: CoverSource): boolean => source.kind === 'page';

export async function makeCover(source: CoverSource, browser: Browser | undefined): Promise<CoverImage> {
  if (source.kind === 'image') return { mediaType: source.mediaType, bytes: source.bytes };
  if (!browser) throw new Error('drawing the cover needs the browser');
  const page = await openLockedPage(browser, source.html, source.resources);
  try {
    await page.setViewport({ width: source.width, height: source.height, deviceScaleFactor: 1 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // A background tab is not painted: with the PDF editions printing in other tabs, the capture would wait forever.
    await page.bringToFront();
    const bytes = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: source.width, height: source.height } });
    return { mediaType: 'image/png', bytes };
  } finally {
    await page.close();
  }
}
