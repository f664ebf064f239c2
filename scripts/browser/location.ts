/**
 * Which Chrome or Chromium the build drives, found the way the ecosystem finds one rather than
 * from a list of paths kept here:
 *
 * 1. `PUPPETEER_EXECUTABLE_PATH`, as every puppeteer user knows it;
 * 2. a browser installed on the machine: Chrome's release channels where puppeteer's own
 *    resolution looks for them (Linux, macOS, Windows), Chrome or Chromium where Lighthouse's
 *    chrome-launcher finds them (desktop entries and `which` on Linux, Launch Services on macOS,
 *    the Program Files folders on Windows), Edge where `edge-paths` finds it, and a Chrome that
 *    `npx @puppeteer/browsers install` put in puppeteer's cache;
 * 3. the Chromium that comes with `npm install` on Linux x64 (scripts/bundled-chromium.ts).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser as BrowserName, ChromeReleaseChannel, computeSystemExecutablePath, getInstalledBrowsers } from '@puppeteer/browsers';
import { Launcher } from 'chrome-launcher';
import { getAnyEdgeStable } from 'edge-paths';
import { bundledChromium, bundledChromiumUnavailable } from './bundled-chromium.js';
import { problem } from '../base/problems.js';

export interface BrowserLocation {
  executablePath: string;
  /** Where it was found, for the build's progress line: `installed`, `PUPPETEER_EXECUTABLE_PATH`, `bundled (@sparticuz/chromium 143.0.4)`. */
  source: string;
}

/** Told while the bundled Chromium is unpacked: it takes a while, once. */
export type UnpackNotice = (folder: string) => void;

export function installHint(platform = process.platform): string {
  const install =
    platform === 'darwin'
      ? 'Install Google Chrome (https://www.google.com/chrome/) or Chromium (`brew install --cask chromium`)'
      : platform === 'win32'
        ? 'Install Google Chrome or Microsoft Edge'
        : 'Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`) or Google Chrome';
  return `${install}, or point PUPPETEER_EXECUTABLE_PATH at a Chrome or Chromium executable.`;
}

let found: Promise<BrowserLocation> | undefined;

/**
 * The browser by its file (path, size, time): another Chromium may lay the same page out differently,
 * so what was made with one (a drawn cover, a library's leaflet) is made again with another.
 */
export async function browserFingerprint(): Promise<string> {
  const executable = realpathSync((await findBrowser()).executablePath);
  const { size, mtimeMs } = statSync(executable);
  return `${executable}:${size}:${mtimeMs}`;
}

/** The browser to use, looked for once per process. */
export function findBrowser(onUnpack?: UnpackNotice): Promise<BrowserLocation> {
  found ??= locate(process.env, onUnpack);
  found.catch(() => (found = undefined));
  return found;
}

async function locate(env: NodeJS.ProcessEnv, onUnpack?: UnpackNotice): Promise<BrowserLocation> {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { executablePath: fromEnv, source: 'PUPPETEER_EXECUTABLE_PATH' };
    throw problem(`PUPPETEER_EXECUTABLE_PATH names a file that does not exist: ${fromEnv}`, { hint: installHint() });
  }
  const installed = installedChrome() ?? (await chromeInPuppeteerCache(env));
  if (installed) return { executablePath: installed, source: 'installed' };
  const bundled = await bundledChromium({ onUnpack });
  if (bundled) return { executablePath: bundled.executablePath, source: `bundled (${bundled.packageName})` };
  throw problem(`no Chrome, Chromium or Edge found to print the PDF and draw the EPUB cover, and ${bundledChromiumUnavailable()}`, {
    hint: installHint(),
  });
}

/** The first installed browser: Chrome's channels, then Chrome or Chromium, then Edge. */
function installedChrome(): string | undefined {
  const channels = [ChromeReleaseChannel.STABLE, ChromeReleaseChannel.BETA, ChromeReleaseChannel.DEV, ChromeReleaseChannel.CANARY];
  for (const channel of channels) {
    const executable = attempt(() => computeSystemExecutablePath({ browser: BrowserName.CHROME, channel }));
    if (executable) return executable;
  }
  return attempt(() => Launcher.getInstallations()[0]) ?? attempt(getAnyEdgeStable);
}

/** Each finder throws when it finds nothing. */
function attempt(find: () => string | undefined): string | undefined {
  try {
    const executable = find();
    return executable && existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}

/** The newest Chrome (or its headless shell) that puppeteer's installer put in its cache. */
async function chromeInPuppeteerCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  if (!existsSync(cacheDir)) return undefined;
  const browsers = await getInstalledBrowsers({ cacheDir }).catch(() => []);
  const chromes = browsers.filter((browser) => browser.browser === BrowserName.CHROME || browser.browser === BrowserName.CHROMEHEADLESSSHELL);
  const newest = chromes.sort((a, b) => compareVersions(b.buildId, a.buildId)).find((browser) => existsSync(browser.executablePath));
  return newest?.executablePath;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference) return difference;
  }
  return 0;
}
