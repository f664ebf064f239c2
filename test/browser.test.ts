import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser.js';

describe('the browser the build starts', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  // Headless Chromium 156 loads the address bar's drop-down as a chrome:// page of its own a few
  // hundred milliseconds after start, and the CPU it takes is taken from the Markdown parse.
  it('opens no page of its own interface, only the pages the build asks for', async () => {
    const ownPage = browser.waitForTarget((target) => target.url().startsWith('chrome://'), { timeout: 2000 });
    await expect(ownPage).rejects.toThrow(/timed out/i);
    expect(browser.targets().map((target) => target.url()).filter((url) => url.startsWith('chrome'))).toEqual([]);
  });
});
