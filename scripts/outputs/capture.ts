/**
 * Capturing a page as a PNG: brought to the front first, and one capture at a time per
 * browser. Headless Chromium paints only the tab in front, so a capture waits for a frame
 * that a tab behind never gets. With one publication that tab is the cover's; a library
 * draws the covers and thumbnails of several leaflets at once, and two captures brought
 * to the front together left one waiting forever.
 */
import type { Browser, Page } from 'puppeteer-core';

const capturing = new WeakMap<Browser, Promise<unknown>>();

export async function captureInFront(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<Uint8Array> {
  const browser = page.browser();
  const before = capturing.get(browser) ?? Promise.resolve();
  const capture = before.catch(() => undefined).then(async () => {
    await page.bringToFront();
    return page.screenshot({ type: 'png', clip });
  });
  capturing.set(browser, capture);
  return capture;
}
