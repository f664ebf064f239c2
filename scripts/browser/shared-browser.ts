import type { Browser } from 'puppeteer-core';
import { isProblem, problem } from '../base/problems.js';
import { STAGE_FAILED } from '../base/progress.js';
import { launchBrowser, locationOf } from './launch.js';
import { killChromium } from './processes.js';

/**
 * One Chromium shared by everything that needs it: launched on first use (or earlier, by
 * whoever knows it will be needed), launched again if it goes away, closed once.
 */
export class SharedBrowser {
  private browser?: Promise<Browser>;
  private closed = false;

  constructor(private readonly launch: () => Promise<Browser> = () => launchBrowser()) {}

  /** The browser that went away while the build used it (crashed, killed, out of memory), if one did. */
  private lost?: Browser;

  get(): Promise<Browser> {
    // Work still under way when its build failed must not start a browser nobody will close.
    if (this.closed) return Promise.reject(new Error('the browser was closed'));
    this.browser ??= this.launch().then((browser) => {
      browser.once('disconnected', () => {
        this.browser = undefined;
        if (!this.closed) this.lost = browser;
      });
      return browser;
    });
    return this.browser;
  }

  /**
   * A failure the browser's going away caused, said as that: puppeteer's own words for it
   * ("Protocol error (Target.createTarget): Target closed") tell a person neither what happened nor what to do.
   */
  explain(error: unknown): unknown {
    // A stage's failure (progress.ts) is said again as what caused it; the manuscript's own problems stand.
    const lost = this.lost;
    if (!lost || (isProblem(error) && error.ruleId !== STAGE_FAILED)) return error;
    const cause = isProblem(error) ? error.cause : error;
    const where = locationOf(lost)?.executablePath;
    return problem(`the browser${where ? ` at ${where}` : ''} stopped while the build was using it: ${(cause as Error)?.message?.split('\n')[0] ?? String(cause)}`, {
      hint: 'It crashed or was killed (short of memory?). Run the build again; if it stops again, run it with --debug, or point PUPPETEER_EXECUTABLE_PATH at another Chrome or Chromium.',
      cause,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = await this.browser?.catch(() => undefined);
    this.browser = undefined;
    // Stopped at once rather than asked to shut down, which has Chromium save a profile only for it to be
    // deleted (launchBrowser's folder goes when Chromium exits). Every page has printed or failed by now.
    killChromium(browser?.process() ?? null);
    await browser?.close();
  }
}

