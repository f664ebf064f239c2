/**
 * Which Chrome or Chromium the build drives, found the way the ecosystem finds one rather than
 * from a list of paths kept here:
 *
 * 1. `PUPPETEER_EXECUTABLE_PATH`, as every puppeteer user knows it;
 * 2. a browser installed on the machine: Chrome's release channels where puppeteer's own
 *    resolution looks for them (Linux, macOS, Windows), Chrome or Chromium where Lighthouse's
 *    chrome-launcher finds them (desktop entries and `which` on Linux, Launch Services on macOS,
 *    the Program Files folders on Windows), Edge where `edge-paths` finds it, and a Chrome that
 *    `npx @puppeteer/browsers install` put in puppeteer's cache. On Linux puppeteer's and
 *    chrome-launcher's places are looked at here, without the child processes they start;
 * 3. the Chromium that comes with `npm install` on Linux x64 (scripts/bundled-chromium.ts).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser as BrowserName, ChromeReleaseChannel, computeSystemExecutablePath, getInstalledBrowsers } from '@puppeteer/browsers';
import { Launcher } from 'chrome-launcher';
import { getPlatform } from 'chrome-launcher/dist/utils.js';
import { getAnyEdgeStable } from 'edge-paths';
import { bundledChromium, bundledChromiumUnavailable } from './bundled-chromium.js';
import { problem } from '../base/problems.js';
import escapeStringRegexp from 'escape-string-regexp';

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

/** Chrome's release channels, in the order they are preferred. */
export const CHROME_CHANNELS = [ChromeReleaseChannel.STABLE, ChromeReleaseChannel.BETA, ChromeReleaseChannel.DEV, ChromeReleaseChannel.CANARY];

/**
 * Where puppeteer looks for each of Chrome's channels on Linux (`getChromeLinuxOrWslLocation` in
 * @puppeteer/browsers; test/browser-location.test.ts holds them to it). Its `computeSystemExecutablePath`
 * also asks a shell, for each channel, whether this is WSL (`wslinfo --version`): four child processes at
 * every build, on its main thread, for an answer chrome-launcher's check (`getPlatform`) gives without one.
 */
export const CHROME_CHANNELS_ON_LINUX = ['/opt/google/chrome/chrome', '/opt/google/chrome-beta/chrome', '/opt/google/chrome-unstable/chrome', '/opt/google/chrome-canary/chrome'];

/** The first installed browser: Chrome's channels, then Chrome or Chromium, then Edge. */
function installedChrome(): string | undefined {
  if (getPlatform() === 'linux') {
    return [...CHROME_CHANNELS_ON_LINUX, ...installationsOnLinux(process.env, os.homedir())].find((file) => existsSync(file)) ?? attempt(getAnyEdgeStable);
  }
  for (const channel of CHROME_CHANNELS) {
    const executable = attempt(() => computeSystemExecutablePath({ browser: BrowserName.CHROME, channel }));
    if (executable) return executable;
  }
  return attempt(() => Launcher.getInstallations()[0]) ?? attempt(getAnyEdgeStable);
}

/**
 * What chrome-launcher's `Launcher.getInstallations()` finds on Linux, in its order, found without its six child
 * processes: it runs `which` for four names and `grep -ER … | awk` on two folders of desktop entries, each time,
 * and every build waited for them on its main thread (docs/performance.md). Here the same names are looked for
 * along `PATH` as `which` does, and the same lines read from the same desktop entries.
 */
export function installationsOnLinux(env: NodeJS.ProcessEnv, home: string): string[] {
  // chrome-launcher's `canAccess`: the file exists (access, F_OK).
  const accessible = (file: string | undefined): file is string => !!file && existsSync(file);
  const found: string[] = [];
  const chromePath = [env.CHROME_PATH, env.LIGHTHOUSE_CHROMIUM_PATH].find(accessible);
  if (chromePath) found.push(chromePath);
  for (const folder of [path.join(home, '.local/share/applications/'), '/usr/share/applications/']) {
    if (!accessible(folder)) continue;
    for (const text of desktopEntries(folder)) {
      for (const line of text.split(/\r?\n/)) {
        // grep's `^Exec=\/.*\/(google-chrome|chrome|chromium)-.*`, then awk's second `=` field up to its first space.
        if (!/^Exec=\/.*\/(google-chrome|chrome|chromium)-/.test(line)) continue;
        const executable = line.split('=')[1]!.replace(/(^[^ ]+).*/, '$1');
        if (accessible(executable)) found.push(executable);
      }
    }
  }
  for (const name of ['google-chrome-stable', 'google-chrome', 'chromium-browser', 'chromium']) {
    const executable = onPath(name, env.PATH ?? '');
    if (accessible(executable)) found.push(executable);
  }
  const weights: [RegExp, number][] = [
    [/chrome-wrapper$/, 51],
    [/google-chrome-stable$/, 50],
    [/google-chrome$/, 49],
    [/chromium-browser$/, 48],
    [/chromium$/, 47],
  ];
  const escaped = (text: string) => new RegExp(escapeStringRegexp(text));
  if (env.LIGHTHOUSE_CHROMIUM_PATH) weights.unshift([escaped(env.LIGHTHOUSE_CHROMIUM_PATH), 100]);
  if (env.CHROME_PATH) weights.unshift([escaped(env.CHROME_PATH), 101]);
  const weight = (file: string) => weights.find(([pattern]) => pattern.test(file))?.[1] ?? 10;
  return [...new Set(found)].map((file) => ({ file, weight: weight(file) })).sort((a, b) => b.weight - a.weight).map(({ file }) => file);
}

/** The text of every file under `folder` (symbolic links followed, as `grep -R` does), in directory order. */
function desktopEntries(folder: string): string[] {
  const texts: string[] = [];
  const walk = (directory: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(directory, name);
      try {
        const info = statSync(file);
        if (info.isDirectory()) {
          if (depth < 16) walk(file, depth + 1);
        } else if (info.isFile()) texts.push(readFileSync(file, 'latin1'));
      } catch {
        // Unreadable, or a link to nothing: grep skips it too.
      }
    }
  };
  walk(folder, 0);
  return texts;
}

/** The first executable file named `name` in a folder of `PATH` (an empty entry is the current folder), as `which` finds it. */
function onPath(name: string, searchPath: string): string | undefined {
  for (const folder of searchPath.split(':')) {
    const file = `${folder || '.'}/${name}`;
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return file;
      }
    } catch {
      // Not here.
    }
  }
  return undefined;
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
