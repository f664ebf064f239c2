/**
 * The cover images a catalogue shows: the EPUB's cover as a file of its own, and a
 * thumbnail of it for lists (OPDS `image/thumbnail`), 200 × 320 px: a drawn cover's own,
 * drawn with it (outputs/cover.ts), or a finished cover scaled by Chromium in a locked page.
 */
import type { Browser } from 'puppeteer-core';
import { openLockedPage } from '../browser/locked-page.js';
import { captureInFront } from '../outputs/capture.js';
import { coverFileName, THUMBNAIL_SIZE, type CoverImage } from '../outputs/cover.js';
import type { OutputFile } from '../base/write-outputs.js';
import type { CatalogueImage } from './entry.js';

export type CoverFile = OutputFile & { mediaType: string; role: CatalogueImage['role'] };

export async function coverFiles(cover: CoverImage, browser: Browser): Promise<CoverFile[]> {
  const name = coverFileName(cover.mediaType);
  return [
    { name, mediaType: cover.mediaType, bytes: cover.bytes, role: 'cover' },
    { name: 'cover-thumbnail.png', mediaType: 'image/png', bytes: cover.thumbnail ?? (await thumbnail(name, cover, browser)), role: 'thumbnail' },
  ];
}

async function thumbnail(name: string, cover: CoverImage, browser: Browser): Promise<Uint8Array> {
  const { width, height } = THUMBNAIL_SIZE;
  const html = `<!DOCTYPE html><html><head><style>html, body { margin: 0; background: #fff; } img { display: block; width: ${width}px; height: ${height}px; object-fit: cover; }</style></head><body><img src="${name}" alt=""></body></html>`;
  const page = await openLockedPage(browser, html, new Map([[name, cover]]));
  try {
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    return await captureInFront(page, { x: 0, y: 0, width, height });
  } finally {
    await page.close();
  }
}
