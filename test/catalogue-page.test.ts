/**
 * The library's catalogue page in a browser, as a patient or a clinician would use it:
 * with scripts on, the search box filters the leaflets as one types; with scripts off, the
 * search box is not shown and the topic menu still filters the list.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../scripts/browser/launch.js';
import { cli } from './support/cli.js';
import { copyLibrary } from './support/library.js';

describe('the catalogue page', () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const { library, out } = await copyLibrary();
    const { code, stderr } = await cli([library, '--out', out, '--format', 'epub']);
    expect(code, stderr).toBe(0);
    url = pathToFileURL(path.join(out, 'index.html')).href;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const shown = (page: Page) =>
    page.$$eval('.library-leaflet', (items) => items.filter((item) => item.checkVisibility()).map((item) => item.querySelector('.library-leaflet-title')!.textContent));
  const shownTopics = (page: Page) =>
    page.$$eval('.library-topic', (groups) => groups.filter((group) => group.checkVisibility()).map((group) => group.querySelector('summary')!.firstChild!.textContent!.trim()));

  it('filters by what one types, with scripts on', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    expect(await shown(page)).toHaveLength(3);
    await page.type('#library-search', 'CALF');
    expect(await shown(page)).toEqual(['Gentle Calf Stretches']);
    expect(await shownTopics(page)).toEqual(['exercise']);
    await page.$eval('#library-search', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#library-search', 'feet rest');
    expect(await shown(page)).toEqual(['Caring for Tired Feet']);
    await page.type('#library-search', 'xyz');
    expect(await shown(page)).toEqual([]);
    expect(await page.$eval('#library-no-match', (element) => element.checkVisibility())).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by topic with scripts off, and shows no search box that would not work', async () => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.$eval('#library-search', (input) => input.checkVisibility())).toBe(false);
    expect(await shownTopics(page)).toEqual(['back care', 'exercise', 'foot care']);
    await page.select('#topic-filter', '2');
    expect(await shownTopics(page)).toEqual(['foot care']);
    expect(await shown(page)).toEqual(['Caring for Tired Feet']);
    await page.select('#topic-filter', '');
    expect(await shown(page)).toHaveLength(3);
    await page.close();
  });
});
