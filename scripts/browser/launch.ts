/**
 * Start Chromium for the build: found where the machine has it (location.ts), with the
 * switches the build needs, in a profile folder of its own that is removed however the build
 * ends, and said in one line (which browser, its version, where it came from).
 */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { findBrowser, type BrowserLocation, type UnpackNotice } from './location.js';
import { problem } from '../base/problems.js';
import { cleanUpOnSignal } from '../base/signals.js';
import { killChromium, killProcessesUsing } from './processes.js';

/**
 * How Chromium starts for the build, and for the bench's floor, which must start it the same way.
 * Start-up runs while the Markdown is parsed, on the same cores: what Chromium does
 * for nobody there slows the build. What each switch saves: docs/performance.md.
 */
export const CHROMIUM_SWITCHES: readonly string[] = [
  // Root (CI, containers) cannot use Chromium's sandbox; the pages run no script and load nothing remote.
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  // Nothing here uses WebGL: without its software stand-in Chromium starts lighter.
  '--disable-software-rasterizer',
  // The GPU process, which with no GPU only composites, as a thread of the browser process: one process
  // fewer to start.
  '--in-process-gpu',
  // Headless Chromium 156 still loads the address bar's drop-down (a WebUI page in a renderer of its
  // own) at start, for a window no one sees: half its start-up. Unknown names are ignored.
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
  /**
   * Renderer processes the pages share: 1 for a publication (one more would only cost its start), up to
   * one per core for a library, whose leaflets lay out side by side.
   */
  renderers?: number;
}

/**
 * Where each launched browser was found, and its version (`HeadlessChrome/143.0.7499.0`), for `describeBrowser`;
 * and how many renderer processes its pages share.
 */
const launched = new WeakMap<Browser, BrowserLocation & { version: string; renderers: number }>();

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

/** Where a launched browser was found, if this module launched it. */
export const locationOf = (browser: Browser): (BrowserLocation & { version: string }) | undefined => launched.get(browser);

/** The renderer processes a browser launched here lays its pages out in (`renderers`): one for any other. */
export const renderersOf = (browser: Browser): number => launched.get(browser)?.renderers ?? 1;

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
        // Every page is ours, runs no script and prints one document: one renderer process serves them all
        // (or a library's few), instead of a new one started for each edition and the cover.
        `--renderer-process-limit=${options.renderers ?? 1}`,
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
    launched.set(browser, { ...location, version: await browser.version(), renderers: options.renderers ?? 1 });
    return browser;
  } catch (cause) {
    // puppeteer stops the process it started, but not what that process started and left running, which
    // could write into the folder after it was removed.
    killProcessesUsing(folder);
    forget();
    throw problem(`could not start the browser at ${executablePath}: ${(cause as Error).message.split('\n')[0]}`, {
      hint: 'The browser was found but did not start: run again with --debug to see why, or point PUPPETEER_EXECUTABLE_PATH at another Chrome or Chromium.',
      cause,
    });
  }
}

