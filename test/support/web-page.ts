/**
 * A web page as a reader's browser shows it, in the project's own Chromium: opened from its file,
 * at a width, light or dark, with scripts on or off, at the reader's text size; checked with
 * axe-core (the WCAG 2.2 A and AA rules), which the test injects past the page's own policy
 * (the page runs no script of its own: a test may).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';

const require = createRequire(import.meta.url);
const axeSource = readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface PageView {
  width?: number;
  scheme?: 'light' | 'dark';
  javaScript?: boolean;
  /** The reader's default text size, in px (a browser's is 16; 32 is 200%). */
  textSize?: number;
}

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Requests that failed, and errors the page threw. */
  failures: string[];
  /** What the browser said on its console (a policy's refusals among them). */
  console: string[];
}

export async function openPage(browser: Browser, file: string, view: PageView = {}): Promise<OpenedPage> {
  const page = await browser.newPage();
  const opened: OpenedPage = { page, requests: [], failures: [], console: [] };
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('requestfailed', (request) => opened.failures.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('pageerror', (error) => opened.failures.push(String(error)));
  page.on('console', (message) => opened.console.push(message.text()));
  await page.setJavaScriptEnabled(view.javaScript ?? true);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: view.scheme ?? 'light' }]);
  if (view.textSize) {
    const session = await page.createCDPSession();
    await session.send('Page.setFontSizes', { fontSizes: { standard: view.textSize, fixed: Math.round(view.textSize * 0.8125) } });
  }
  await page.setViewport({ width: view.width ?? 1280, height: 900 });
  const response = await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  if (!response?.ok()) throw new Error(`${file} did not open`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return opened;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.2 A/AA violations on the page as it stands; each with the elements it found. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated from the test, not added as a <script>: under the page's policy it runs all the same. axe waits on
  // timers, which a page with scripts off never fires: scripts are let run once the page is as it loaded without them
  // (its own scripts do not run again).
  if (!page.isJavaScriptEnabled()) await page.setJavaScriptEnabled(true);
  await page.evaluate(await axeSource);
  const results = (await page.evaluate(
    (tags) => (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_AA_TAGS,
  )) as { violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary: string }[] }[] };
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
  }));
}

/** How far the page is wider than its window: 0 when nothing makes it scroll sideways. */
export const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
