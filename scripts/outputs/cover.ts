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
 *
 * A drawn cover comes with its thumbnail (a library's catalogue lists it), captured in the
 * same page and the same turn in front at 1/8 scale, and kept beside it: a page of its own for
 * the thumbnail cost the browser as much again as a PDF edition's page (docs/performance.md).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser/locked-page.js';
import { browserFingerprint } from '../browser/location.js';
import { captureInFront } from './capture.js';
import { COVER_SIZE, type Manuscript } from '../manuscript/load.js';
import { applyCoverTemplate, COVER_PAGE_MEDIA_TYPE, type CoverPage } from '../render/cover-page.js';
import { CACHE_ROOT, keptFile, pruneKeptFiles } from '../base/kept-files.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
  /** A drawn cover's thumbnail (PNG, THUMBNAIL_SIZE), drawn with it; a finished cover has none. */
  thumbnail?: Uint8Array;
}

/** The thumbnail's scale: 200 × 320 px for the 1600 × 2560 cover. */
const THUMBNAIL_SCALE = 1 / 8;
export const THUMBNAIL_SIZE = { width: COVER_SIZE.width * THUMBNAIL_SCALE, height: COVER_SIZE.height * THUMBNAIL_SCALE } as const;

/** The cover's file beside the web edition and in a library's folder: `cover.png` or `cover.jpg`. */
export const coverFileName = (mediaType: string) => `cover.${mediaType === 'image/jpeg' ? 'jpg' : 'png'}`;

/** What the cover is made from: the front matter and the images it names. */
export type CoverInputs = Pick<Manuscript, 'metadata' | 'cover' | 'coverArt'>;

/** `browser` is asked for only when the cover must be drawn: not for a finished `cover` image, nor for a cover drawn before. */
export async function makeCover(manuscript: CoverInputs, browser: (() => Promise<Browser>) | undefined): Promise<CoverImage> {
  if (manuscript.cover) return { mediaType: manuscript.cover.mediaType, bytes: manuscript.cover.bytes };
  const source = await applyCoverTemplate(manuscript.metadata, manuscript);
  const name = `${await coverKey(source)}.png`;
  // Drawn once for both, when either is not kept (a cache from before thumbnails were kept has covers only).
  let drawing: Promise<[Uint8Array, Uint8Array]> | undefined;
  const draw = () =>
    (drawing ??= (async () => {
      if (!browser) throw new Error('drawing the cover needs the browser');
      return drawCoverPage(source, await browser());
    })());
  const [bytes, thumbnail] = await Promise.all([
    keptFile(COVER_CACHE, name, async () => (await draw())[0], KEPT_COVERS),
    keptFile(THUMBNAIL_CACHE, name, async () => (await draw())[1], KEPT_COVERS),
  ]);
  return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes, thumbnail };
}

/** A clinic's handouts and their drafts, not every title ever tried (sizes: docs/performance.md). */
export const KEPT_COVERS = 64;

/** Keep the `keep` covers used last (by time of change, which a rebuild renews), and delete the rest. */
export const pruneDrawnCovers = (folder: string, keep: number) => pruneKeptFiles(folder, keep, '.png');

/** The cover and its thumbnail. */
async function drawCoverPage(source: CoverPage, browser: Browser): Promise<[Uint8Array, Uint8Array]> {
  const page = await openLockedPage(browser, source.html, source.resources);
  try {
    await page.setViewport({ width: source.width, height: source.height, deviceScaleFactor: 1 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // A background tab is not painted: with the PDF editions printing in other tabs, the capture would wait forever.
    const whole = { x: 0, y: 0, width: source.width, height: source.height };
    const [cover, thumbnail] = await captureInFront(page, whole, { ...whole, scale: THUMBNAIL_SCALE });
    return [cover!, thumbnail!];
  } finally {
    await page.close();
  }
}

/** Where drawn covers are kept (the bench empties it for a cold build). */
export const COVER_CACHE = path.join(CACHE_ROOT, 'covers');
/** Their thumbnails, by the same names. */
const THUMBNAIL_CACHE = path.join(COVER_CACHE, 'thumbnails');

/** The page, what it loads, and the browser that draws it (by its file: a new Chromium draws afresh). */
async function coverKey(source: CoverPage): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify([source.html, source.width, source.height]));
  for (const [key, resource] of [...source.resources].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\n${key}\n`).update(resource.bytes);
  return hash.update(`\n${await browserFingerprint()}`).digest('hex');
}
