/**
 * The ebook's cover image: the front matter's finished `cover` as it is, or the
 * cover page (templates/cover.html.ejs) drawn by Chromium in the same locked
 * page the PDF is printed in, and captured as a PNG of COVER_SIZE.
 */
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser.js';
import type { Manuscript } from '../manuscript/load.js';
import { applyCoverTemplate, COVER_PAGE_MEDIA_TYPE } from '../render/template.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
}

/** What the cover is made from: the front matter and the images it names. */
export type CoverInputs = Pick<Manuscript, 'metadata' | 'cover' | 'coverArt'>;

/** Whether making the cover needs the browser: only a cover page to draw does, not a finished `cover` image. */
export const coverNeedsBrowser = (manuscript: CoverInputs): boolean => !manuscript.cover;

export async function makeCover(manuscript: CoverInputs, browser: Browser | undefined): Promise<CoverImage> {
  if (manuscript.cover) return { mediaType: manuscript.cover.mediaType, bytes: manuscript.cover.bytes };
  if (!browser) throw new Error('drawing the cover needs the browser');
  const source = await applyCoverTemplate(manuscript.metadata, manuscript);
  const page = await openLockedPage(browser, source.html, source.resources);
  try {
    await page.setViewport({ width: source.width, height: source.height, deviceScaleFactor: 1 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // A background tab is not painted: with the PDF editions printing in other tabs, the capture would wait forever.
    await page.bringToFront();
    const bytes = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: source.width, height: source.height } });
    return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes };
  } finally {
    await page.close();
  }
}
