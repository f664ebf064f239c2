/**
 * Where the build looks for an installed Chrome or Chromium on Linux: where chrome-launcher looks, found
 * without its child processes. Checked against chrome-launcher itself, run in a process of its own, in a
 * made-up home and PATH that hold browsers it finds, and files it must pass over.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, BrowserPlatform, computeSystemExecutablePath } from '@puppeteer/browsers';
import { CHROME_CHANNELS, CHROME_CHANNELS_ON_LINUX, installationsOnLinux } from '../scripts/browser/location.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { tempDir } from './support/cli.js';

/** Where puppeteer looks for `channel` on Linux: the path it finds, or those its error names. */
function puppeteerLooksAt(channel: (typeof CHROME_CHANNELS)[number]): string[] {
  try {
    return [computeSystemExecutablePath({ browser: Browser.CHROME, channel, platform: BrowserPlatform.LINUX })];
  } catch (error) {
    return [...(error as Error).message.matchAll(/\n - ([^,\n]+?)(?=,|\.?$)/g)].map((match) => match[1]!);
  }
}

/** What `Launcher.getInstallations()` gives with `env`, run by chrome-launcher itself; nothing found is []. */
async function chromeLauncherFinds(env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = "import('chrome-launcher').then((m) => { let found = []; try { found = m.Launcher.getInstallations(); } catch {} console.log(JSON.stringify(found)); })";
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, env });
  return JSON.parse(stdout) as string[];
}

describe.runIf(process.platform === 'linux')('an installed browser on Linux', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    root = await tempDir('press-location-');
    const executable = async (file: string, mode = 0o755) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, '#!/bin/sh\n');
      await chmod(file, mode);
    };
    const home = path.join(root, 'home');
    const entries = path.join(home, '.local/share/applications');
    // Found through desktop entries, one in a folder of its own: a wrapper (weighed first) and a dev build.
    await executable(path.join(root, 'opt/chrome-linux/chrome-wrapper'));
    await executable(path.join(root, 'opt/chromium-dev/chromium-dev'));
    await mkdir(path.join(entries, 'more'), { recursive: true });
    await writeFile(path.join(entries, 'chrome.desktop'), `[Desktop Entry]\nName=Chrome\nExec=${root}/opt/chrome-linux/chrome-wrapper %U\n`);
    await writeFile(path.join(entries, 'more', 'dev.desktop'), `[Desktop Entry]\nExec=${root}/opt/chromium-dev/chromium-dev --profile=a\nTryExec=${root}/opt/x/chrome-x\n`);
    // Passed over: a matching line naming no file, and a browser named without the `-` the pattern asks for.
    await writeFile(path.join(entries, 'gone.desktop'), `Exec=${root}/opt/gone/chromium-old %U\nExec=${root}/opt/chromium-dev/chromium\n`);
    // On PATH: `chromium` in the first folder cannot be run, so the second folder's is found; so is google-chrome.
    await executable(path.join(root, 'bin1/chromium'), 0o644);
    await executable(path.join(root, 'bin2/chromium'));
    await executable(path.join(root, 'bin2/google-chrome'));
    env = { HOME: home, PATH: [path.join(root, 'bin1'), path.join(root, 'bin2'), '/usr/bin', '/bin'].join(':') };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is what chrome-launcher finds, in its order, from desktop entries and PATH', async () => {
    const found = installationsOnLinux(env, env.HOME!);
    expect(found.slice(0, 4)).toEqual([
      path.join(root, 'opt/chrome-linux/chrome-wrapper'),
      path.join(root, 'bin2/google-chrome'),
      path.join(root, 'bin2/chromium'),
      path.join(root, 'opt/chromium-dev/chromium-dev'),
    ]);
    expect(found).toEqual(await chromeLauncherFinds(env));
  });

  it("looks for Chrome's channels where puppeteer does, in the same order", () => {
    expect(CHROME_CHANNELS.map(puppeteerLooksAt)).toEqual(CHROME_CHANNELS_ON_LINUX.map((file) => [file]));
  });

  it('puts CHROME_PATH first, as chrome-launcher does, and finds nothing where nothing is', async () => {
    const chromePath = path.join(root, 'opt/chromium-dev/chromium-dev');
    const withChromePath = { ...env, CHROME_PATH: chromePath };
    const found = installationsOnLinux(withChromePath, env.HOME!);
    expect(found[0]).toBe(chromePath);
    expect(found).toEqual(await chromeLauncherFinds(withChromePath));
    const bare = { HOME: path.join(root, 'nobody'), PATH: '/usr/bin:/bin' };
    expect(installationsOnLinux(bare, bare.HOME)).toEqual(await chromeLauncherFinds(bare));
  });
});
