/**
 * Captures of several pages at once (a library draws the covers and thumbnails of several
 * leaflets side by side) all finish: headless Chromium paints only the tab in front, and two
 * pages brought to the front together left one capture waiting forever.
 */
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../scripts/browser/launch.js';
import { openLockedPage } from '../scripts/browser/locked-page.js';
import { captureInFront } from '../scripts/outputs/capture.js';
import { imageDimensions } from './support/outputs.js';

describe('captures of several pages at once', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // A capture that waits forever is caught by the test's time limit, the suite's own.
  it('all finish, each with its own page', async () => {
    const colours = ['#1f6670', '#b03a2e', '#d4ac0d', '#1e8449'];
    const pages = await Promise.all(colours.map((colour) => openLockedPage(browser, `<html><body style="margin:0;background:${colour}"></body></html>`, new Map())));
    const captures = await Promise.all(pages.map((page) => captureInFront(page, { x: 0, y: 0, width: 40, height: 30 })));
    for (const capture of captures) expect(imageDimensions(capture)).toMatchObject({ width: 40, height: 30, type: 'png' });
    // Each capture shows its own page: four different images.
    expect(new Set(captures.map((capture) => Buffer.from(capture).toString('base64'))).size).toBe(4);
    await Promise.all(pages.map((page) => page.close()));
  });
});
