/**
 * The ebook's cover image: the front matter's finished `cover` as it is, or the
 * cover page (templates/cover.html.ejs) drawn by Chromium in the same locked
 * page the PDF is printed in, and captured as a PNG of COVER_SIZE.
 *
 * A drawn cover is kept in node_modules/.cache/massage-press/covers/, named by a
 * hash of everything that makes it: the page, its fonts and art, and the browser.
 * A clinic rebuilds a handout many times under the same title: the cover is drawn
 * once, and a rebuild saves the browser that work (a third of a second or more).
 * The KEPT_COVERS used last are kept; older ones are deleted when a new one is drawn.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser/locked-page.js';
import { browserFingerprint } from '../browser/location.js';
import { captureInFront } from './capture.js';
import type { Manuscript } from '../manuscript/load.js';
import { applyCoverTemplate, COVER_PAGE_MEDIA_TYPE, type CoverPage } from '../render/cover-page.js';
import { CACHE_ROOT, keptFile, pruneKeptFiles } from '../base/kept-files.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
}

/** The cover's file beside the web edition and in a library's folder: `cover.png` or `cover.jpg`. */
export const coverFileName = (mediaType: string) => `cover.${mediaType === 'image/jpeg' ? 'jpg' : 'png'}`;

/** What the cover is made from: the front matter and the images it names. */
export type CoverInputs = Pick<Manuscript, 'metadata' | 'cover' | 'coverArt'>;

/** `browser` is asked for only when the cover must be drawn: not for a finished `cover` image, nor for a cover drawn before. */
export async function makeCover(manuscript: CoverInputs, browser: (() => Promise<Browser>) | undefined): Promise<CoverImage> {
  if (manuscript.cover) return { mediaType: manuscript.cover.mediaType, bytes: manuscript.cover.bytes };
  const source = await applyCoverTemplate(manuscript.metadata, manuscript);
  const bytes = await keptFile(
    COVER_CACHE,
    `${await coverKey(source)}.png`,
    async () => {
      if (!browser) throw new Error('drawing the cover needs the browser');
      return drawCoverPage(source, await browser());
    },
    KEPT_COVERS,
  );
  return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes };
}

/** A clinic's handouts and their drafts, not every title ever tried (sizes: docs/performance.md). */
export const KEPT_COVERS = 64;

/** Keep the `keep` covers used last (by time of change, which a rebuild renews), and delete the rest. */
export const pruneDrawnCovers = (folder: string, keep: number) => pruneKeptFiles(folder, keep, '.png');

async function drawCoverPage(source: CoverPage, browser: Browser): Promise<Uint8Array> {
  const page = await openLockedPage(browser, source.html, source.resources);
  try {
    await page.setViewport({ width: source.width, height: source.height, deviceScaleFactor: 1 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // A background tab is not painted: with the PDF editions printing in other tabs, the capture would wait forever.
    return await captureInFront(page, { x: 0, y: 0, width: source.width, height: source.height });
  } finally {
    await page.close();
  }
}

/** Where drawn covers are kept (the bench empties it for a cold build). */
export const COVER_CACHE = path.join(CACHE_ROOT, 'covers');

/** The page, what it loads, and the browser that draws it (by its file: a new Chromium draws afresh). */
async function coverKey(source: CoverPage): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify([source.html, source.width, source.height]));
  for (const [key, resource] of [...source.resources].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\n${key}\n`).update(resource.bytes);
  return hash.update(`\n${await browserFingerprint()}`).digest('hex');
}
