/**
 * Find and launch Chromium once per build, and open pages that are locked
 * down: no JavaScript, no network, no file access — only `data:` URLs load.
 */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findBrowser, installHint, type BrowserLocation, type UnpackNotice } from './browser-location.js';
import { isProblem, problem } from './problems.js';
import { STAGE_FAILED } from './progress.js';
import { cleanUpOnSignal } from './signals.js';

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

/** How long any one call to Chromium, such as printing a whole book, may take before the build gives up: 30 minutes. */
const PROTOCOL_TIMEOUT_MS = 30 * 60_000;

export interface LaunchOptions {
  /**
   * Let pages reach servers on this machine (127.0.0.1, localhost). Only for a browser that
   * stands in for a reader's, as the tests of the dev server use; the build never does.
   */
  allowLoopback?: boolean;
  /** Told when the bundled Chromium is unpacked, which the first build on a machine without a browser does once. */
  onUnpack?: UnpackNotice;
}

/** Where each launched browser was found, and its version (`HeadlessChrome/143.0.7499.0`), for `describeBrowser`. */
const launched = new WeakMap<Browser, BrowserLocation & { version: string }>();

/** One line for a person: which browser, its version, and where it came from. */
export async function describeBrowser(browser: Browser): Promise<string> {
  // `Chrome/156.0.8078.108` or `HeadlessChrome/143.0.7499.0`, whether Chrome, Chromium or Edge: the file tells which.
  const location = launched.get(browser);
  const version = (location?.version ?? (await browser.version())).split('/').pop();
  const executable = location?.executablePath ?? '';
  const name = /edge/i.test(executable) ? 'Edge' : /chromium/i.test(executable) ? 'Chromium' : 'Chrome';
  return location ? `${name} ${version} (${location.source}: ${executable})` : `${name} ${version}`;
}

/**
 * The folder Chromium's profile and temporary files go in. Chromium makes its singleton socket
 * inside it, and a socket's path holds at most 107 bytes (103 on macOS): under a long TMPDIR
 * (macOS's own is 49 characters) Chromium could not start. Then a private folder under /tmp.
 */
export function browserFolderParent(tmpdir = os.tmpdir(), platform = process.platform): string {
  if (platform === 'win32' || tmpdir.length <= MAX_PARENT_LENGTH) return tmpdir;
  try {
    accessSync('/tmp', constants.W_OK);
    return '/tmp';
  } catch {
    return tmpdir;
  }
}

/** `<parent>/massage-press-chromium-XXXXXX/temp/.org.chromium.Chromium.XXXXXX/SingletonSocket` then fits in 103 bytes. */
const MAX_PARENT_LENGTH = 30;

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const location = await findBrowser(options.onUnpack);
  const { executablePath } = location;
  // A folder of our own for Chromium's profile and its temporary files, removed when the browser is gone,
  // however the build ends. puppeteer's temporary profile stayed behind whenever a signal ended a build (its
  // handler exits at once on Ctrl-C), and so did Chromium's own temporary folder whenever Chromium was killed:
  // folders in the system's temp folder, one or two per interrupted build.
  const folder = mkdtempSync(path.join(browserFolderParent(), 'massage-press-chromium-'));
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
      // A book of thousands of pages prints for minutes on a busy machine: puppeteer's 3-minute limit on each
      // call, the print included, stopped the 5 MB test manuscript (thousands of pages) when other work shared the cores.
      protocolTimeout: PROTOCOL_TIMEOUT_MS,
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
    // Asked now, as the last step of the start: a browser that dies as it starts fails here, as a failed start.
    launched.set(browser, { ...location, version: await browser.version() });
    return browser;
  } catch (cause) {
    // puppeteer stops the process it started, but not what that process started and left running, which
    // could write into the folder after it was removed.
    killProcessesNaming(folder);
    forget();
    throw problem(`could not start the browser at ${executablePath}: ${(cause as Error).message.split('\n')[0]}`, {
      hint: 'The browser was found but did not start: run again with --debug to see why, or point PUPPETEER_EXECUTABLE_PATH at another Chrome or Chromium.',
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
    const where = launched.get(lost)?.executablePath;
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
    // deleted (launchBrowser's folder goes when Chromium exits): 40 ms sooner. Every page has printed or failed by now.
    killChromium(browser?.process() ?? null);
    await browser?.close();
  }
}

/**
 * Every process whose command line names `folder` (Linux, which lists them under /proc). Looked for
 * again until none is left: a process can start a child between the listing and its kill (on a busy
 * machine, the left-behind Chromium started one that wrote into the folder after it was removed).
 */
function killProcessesNaming(folder: string): void {
  if (process.platform !== 'linux') return;
  for (let round = 0; round < 50; round++) {
    let found = 0;
    for (const pid of readdirSafe('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder)) {
          process.kill(Number(pid), 'SIGKILL');
          found += 1;
        }
      } catch {
        // Gone meanwhile, or not ours to read.
      }
    }
    if (found === 0) return;
    // A moment for the killed to end (a killed process has an empty command line) and for any child to show.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function readdirSafe(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
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
