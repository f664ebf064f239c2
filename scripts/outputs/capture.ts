/**
 * Capturing a page as a PNG: brought to the front first, and one capture at a time per
 * browser. Headless Chromium paints only the tab in front, so a capture waits for a frame
 * that a tab behind never gets. With one publication that tab is the cover's; a library
 * draws the covers and thumbnails of several leaflets at once, and two captures brought
 * to the front together left one waiting forever.
 */
import type { Browser, Page } from 'puppeteer-core';

const capturing = new WeakMap<Browser, Promise<unknown>>();

export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Drawn at this scale (a thumbnail: 1/8), as Chromium lays the page out at it; 1 when not given. */
  scale?: number;
}

/** The page's `clip`; with `more` clips, each of them too, in the same turn in front. */
export async function captureInFront(page: Page, clip: Clip): Promise<Uint8Array>;
export async function captureInFront(page: Page, clip: Clip, ...more: Clip[]): Promise<Uint8Array[]>;
export async function captureInFront(page: Page, clip: Clip, ...more: Clip[]): Promise<Uint8Array | Uint8Array[]> {
  const browser = page.browser();
  const before = capturing.get(browser) ?? Promise.resolve();
  const capture = before.catch(() => undefined).then(async () => {
    await page.bringToFront();
    const images: Uint8Array[] = [];
    for (const each of [clip, ...more]) images.push(await page.screenshot({ type: 'png', clip: each }));
    return more.length ? images : images[0]!;
  });
  capturing.set(browser, capture);
  return capture;
}
