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
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser/locked-page.js';
import { browserFingerprint } from '../browser/location.js';
import { captureInFront } from './capture.js';
import type { Manuscript } from '../manuscript/load.js';
import { applyCoverTemplate, COVER_PAGE_MEDIA_TYPE, type CoverPage } from '../render/cover-page.js';
import { PROJECT_ROOT } from '../base/project-root.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
}

/** What the cover is made from: the front matter and the images it names. */
export type CoverInputs = Pick<Manuscript, 'metadata' | 'cover' | 'coverArt'>;

/** `browser` is asked for only when the cover must be drawn: not for a finished `cover` image, nor for a cover drawn before. */
export async function makeCover(manuscript: CoverInputs, browser: (() => Promise<Browser>) | undefined): Promise<CoverImage> {
  if (manuscript.cover) return { mediaType: manuscript.cover.mediaType, bytes: manuscript.cover.bytes };
  const source = await applyCoverTemplate(manuscript.metadata, manuscript);
  const cached = path.join(COVER_CACHE, `${await coverKey(source)}.png`);
  const drawnBefore = await readFile(cached).catch(() => undefined);
  if (drawnBefore) {
    // Marked as used: pruning forgets the covers no build has asked for longest.
    const now = new Date();
    await utimes(cached, now, now).catch(() => undefined);
    return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes: drawnBefore };
  }
  if (!browser) throw new Error('drawing the cover needs the browser');
  const bytes = await drawCoverPage(source, await browser());
  await keep(cached, bytes);
  await pruneDrawnCovers(COVER_CACHE, KEPT_COVERS).catch(() => undefined);
  return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes };
}

/** A clinic's handouts and their drafts, not every title ever tried (sizes: docs/performance.md). */
export const KEPT_COVERS = 64;

/** Keep the `keep` covers used last (by time of change, which a rebuild renews), and delete the rest. */
export async function pruneDrawnCovers(folder: string, keep: number): Promise<void> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.png'));
  if (names.length <= keep) return;
  const used = await Promise.all(names.map(async (name) => ({ name, at: (await stat(path.join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  used.sort((a, b) => b.at - a.at);
  await Promise.all(used.slice(keep).map(({ name }) => rm(path.join(folder, name), { force: true })));
}

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
export const COVER_CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press', 'covers');

/** The page, what it loads, and the browser that draws it (by its file: a new Chromium draws afresh). */
async function coverKey(source: CoverPage): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify([source.html, source.width, source.height]));
  for (const [key, resource] of [...source.resources].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\n${key}\n`).update(resource.bytes);
  return hash.update(`\n${await browserFingerprint()}`).digest('hex');
}

/** Written whole (renamed into place) or not at all: a cache that cannot be written is only slower. */
async function keep(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch {
    // Not kept: the next build draws the cover again.
    await rm(partial, { force: true }).catch(() => undefined);
  }
}
