/**
 * Find and launch Chromium once per build, and open pages that are locked
 * down: no JavaScript, no network, no file access — only `data:` URLs load.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { problem } from './problems.js';
import { cleanUpOnSignal } from './signals.js';

const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

const INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: `brew install --cask chromium`) ' +
  'or point PUPPETEER_EXECUTABLE_PATH at a Chrome or Chromium executable.';

export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw problem(`PUPPETEER_EXECUTABLE_PATH names a file that does not exist: ${fromEnv}`, { hint: INSTALL_HINT });
  }
  const found = KNOWN_PATHS.find((candidate) => existsSync(candidate));
  if (!found) throw problem('no Chrome or Chromium browser found to print the PDF and draw the EPUB cover', { hint: INSTALL_HINT });
  return found;
}

/**
 * How Chromium starts for the build, and for the bench's floor, which must start it the same way.
 * Start-up runs while the Markdown is parsed, on the same two cores: what Chromium does
 * for nobody there slows the build.
 */
export const CHROMIUM_SWITCHES: readonly string[] = [
  // Root (CI, containers) cannot use Chromium's sandbox; the pages run no script and load nothing remote.
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  // Nothing here uses WebGL: without its software stand-in Chromium starts lighter (0.1 s less for a book).
  '--disable-software-rasterizer',
  // The GPU process, which with no GPU only composites, as a thread of the browser process: one process
  // fewer to start, 0.2 of Chromium's 1.0 CPU-seconds of start-up (two cores).
  '--in-process-gpu',
  // Headless Chromium 156 still loads the address bar's drop-down (a WebUI page in a renderer of its
  // own) at start: 0.6 of its 1.2 CPU-seconds of start-up, for a window no one sees. Without it the
  // article builds 0.35 s faster and the 300-page book 0.45 s (two cores). Unknown names are ignored.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface LaunchOptions {
  /**
   * Let pages reach servers on this machine (127.0.0.1, localhost). Only for a browser that
   * stands in for a reader's, as the tests of the dev server use; the build never does.
   */
  allowLoopback?: boolean;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findBrowser();
  // A folder of our own for Chromium's profile and its temporary files, removed when the browser is gone,
  // however the build ends. puppeteer's temporary profile stayed behind whenever a signal ended a build (its
  // handler exits at once on Ctrl-C), and so did Chromium's own temporary folder whenever Chromium was killed:
  // folders in the system's temp folder, one or two per interrupted build.
  const folder = mkdtempSync(path.join(os.tmpdir(), 'massage-press-chromium-'));
  const temporaryFiles = path.join(folder, 'temp');
  mkdirSync(temporaryFiles);
  let chromium: ChildProcess | null = null;
  const removeFolder = () => {
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Only a temporary folder: never a reason for a build to fail.
    }
  };
  const stopChromium = () => {
    killChromium(chromium);
    removeFolder();
  };
  let launching: Promise<Browser> | undefined;
  // Until puppeteer hands over the process (a fraction of a second), Chromium cannot be stopped: it is waited for.
  const stopCleaningUp = cleanUpOnSignal(() => (chromium || !launching ? stopChromium() : launching.then(stopChromium, stopChromium)));
  // Chromium gone (or never started): nothing left for a signal to stop, and its folder can go.
  const forget = () => {
    stopCleaningUp();
    removeFolder();
  };
  try {
    const browser = await (launching = puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir: path.join(folder, 'profile'),
      env: { ...process.env, TMPDIR: temporaryFiles },
      // Chromium ends when this process does, whatever ends it: it reads its commands from our pipe.
      pipe: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // No time limit on one command to Chromium (puppeteer's default is 180 s): every page is ours and local, and
      // printing a 2,000-page book on a busy machine takes longer. A Chromium that dies ends every command at once.
      protocolTimeout: 0,
      args: [
        ...CHROMIUM_SWITCHES,
        '--disable-sync',
        '--disable-extensions',
        '--no-default-browser-check',
        '--disable-dev-shm-usage',
        '--font-render-hinting=none',
        // Every page is ours, runs no script and prints one document: one renderer process serves them all,
        // instead of a new one started for each edition and the cover (0.2 s less for the article, two cores).
        '--renderer-process-limit=1',
        // No connection leaves the browser. Request interception (openLockedPage) sees requests, but a
        // preconnect hint or a cross-site iframe opens a socket before any request: so every connection
        // goes to a proxy that cannot exist (loopback included), and no host name resolves.
        '--proxy-server=http://proxy.invalid:1',
        options.allowLoopback ? '--proxy-bypass-list=<local>' : '--proxy-bypass-list=<-loopback>',
        options.allowLoopback ? '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost' : '--host-resolver-rules=MAP * ~NOTFOUND',
      ],
    }));
    chromium = browser.process();
    // Once Chromium has exited: until then it may still be writing to the profile.
    chromium?.once('exit', forget);
    return browser;
  } catch (cause) {
    forget();
    throw problem(`could not start the browser at ${executablePath}: ${(cause as Error).message.split('\n')[0]}`, {
      hint: INSTALL_HINT,
      cause,
    });
  }
}

/**
 * One Chromium shared by everything that needs it: launched on first use (or earlier, by
 * whoever knows it will be needed), launched again if it goes away, closed once.
 */
export class SharedBrowser {
  private browser?: Promise<Browser>;
  private closed = false;

  constructor(private readonly launch: () => Promise<Browser> = () => launchBrowser()) {}

  get(): Promise<Browser> {
    // Work still under way when its build failed must not start a browser nobody will close.
    if (this.closed) return Promise.reject(new Error('the browser was closed'));
    this.browser ??= this.launch().then((browser) => {
      browser.once('disconnected', () => (this.browser = undefined));
      return browser;
    });
    return this.browser;
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = await this.browser?.catch(() => undefined);
    this.browser = undefined;
    // Stopped at once rather than asked to shut down, which has Chromium save a profile only for it to be
    // deleted (launchBrowser's folder goes when Chromium exits): 40 ms sooner. Every page has printed or failed by now.
    killChromium(browser?.process() ?? null);
    await browser?.close();
  }
}

/** Chromium and every process it started: puppeteer starts it as the leader of a process group of its own. */
function killChromium(chromium: ChildProcess | null): void {
  if (!chromium?.pid) return;
  try {
    process.kill(process.platform === 'win32' ? chromium.pid : -chromium.pid, 'SIGKILL');
  } catch {
    chromium.kill('SIGKILL');
  }
}

/** The made-up origin print pages are served from; `.invalid` can never resolve to a real host. */
export const PAGE_ORIGIN = 'https://press.invalid';

export interface Resource {
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * Open `html` in a page that can load nothing but `resources` (fonts, images, by
 * path relative to the page) and `data:` URLs: no JavaScript, no network, no files.
 *
 * Each page has a folder of its own on the made-up origin. The pages share one renderer
 * process, and with it a cache of what it loaded by URL: an image another page decoded
 * first was embedded in the PDF in another form, and the builds were no longer byte-identical.
 */
export async function openLockedPage(browser: Browser, html: string, resources: ReadonlyMap<string, Resource>): Promise<Page> {
  const page = await browser.newPage();
  const folder = `${PAGE_ORIGIN}/${(openedPages += 1)}/`;
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (url.startsWith('data:')) return void request.continue();
    if (url === folder) return void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const resource = url.startsWith(folder) ? resources.get(decodeURIComponent(new URL(url).pathname.slice(new URL(folder).pathname.length))) : undefined;
    if (resource) return void request.respond({ status: 200, contentType: resource.mediaType, body: Buffer.from(resource.bytes) });
    void request.abort('blockedbyclient');
  });
  // No time limit (puppeteer's default is 30 s): the page and all it loads are in memory, and laying out a
  // 5 MB manuscript on a busy machine took longer ("Navigation timeout of 30000 ms exceeded").
  await page.goto(folder, { waitUntil: 'load', timeout: 0 });
  return page;
}

let openedPages = 0;
