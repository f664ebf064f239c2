import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { browserFolderParent, launchBrowser } from '../scripts/browser/launch.js';
import { findBrowser } from '../scripts/browser/location.js';
import { cli, tempDir } from './support/cli.js';

const run = promisify(execFile);

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

describe('the folder Chromium keeps its profile in', () => {
  it('is short enough for Chromium’s socket under any TMPDIR, and the build works there', async () => {
    const long = path.join(await tempDir(), 'a', 'very', 'long', 'temporary', 'folder', 'name', 'for', 'the', 'test');
    await mkdir(long, { recursive: true });
    expect(browserFolderParent(long, 'linux')).toBe('/tmp');
    expect(browserFolderParent('/tmp', 'linux')).toBe('/tmp');
    const out = await tempDir();
    const { code, stderr } = await cli(['--out', out, '--format', 'pdf'], { TMPDIR: long });
    expect(code, stderr).toBe(0);
    expect((await readdir(out)).filter((name) => name.endsWith('.pdf'))).toHaveLength(3);
    expect(await readdir(long)).toEqual([]);
  });

  it('is removed after every failed start, and nothing it started is left running', async () => {
    const { executablePath } = await findBrowser();
    const tmp = await tempDir('press-failing-');
    const scripts = await tempDir();
    // Two ways a start fails once Chromium has begun writing its profile: the process puppeteer started
    // exits and leaves the browser it started running; or the browser is killed while it starts.
    const leavesBrowserBehind = path.join(scripts, 'leaves-browser-behind');
    // (The browser it leaves listens on a port instead of puppeteer's pipe, which it would lose and end with.)
    const listenOnPort = 'for a in "$@"; do shift; [ "$a" = --remote-debugging-pipe ] && a=--remote-debugging-port=0; set -- "$@" "$a"; done';
    await writeFile(leavesBrowserBehind, `#!/bin/sh\n${listenOnPort}\n"${executablePath}" "$@" 3>&- 4>&- >/dev/null 2>&1 &\nsleep 0.5\nexit 1\n`, { mode: 0o755 });
    const killedWhileStarting = path.join(scripts, 'killed-while-starting');
    await writeFile(killedWhileStarting, `#!/bin/sh\nexec timeout -s KILL 0.4 "${executablePath}" "$@"\n`, { mode: 0o755 });
    const failures: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const failing = attempt % 2 ? killedWhileStarting : leavesBrowserBehind;
      const { code, stderr } = await cli(['--out', await tempDir(), '--format', 'pdf'], { TMPDIR: tmp, PUPPETEER_EXECUTABLE_PATH: failing });
      expect(code, `attempt ${attempt + 1} (${path.basename(failing)}): ${stderr}`).toBe(1);
      failures.push(stderr.split('\n').find((line) => line.startsWith('error')) ?? stderr);
      expect(await readdir(tmp), `after failed start ${attempt + 1}`).toEqual([]);
    }
    // Killed before puppeteer has connected, or just after: said either way as what happened to which browser.
    const clear = (line: string) =>
      [leavesBrowserBehind, killedWhileStarting].some(
        (script) => line.startsWith(`error could not start the browser at ${script}: `) || line.startsWith(`error the browser at ${script} stopped while the build was using it: `),
      );
    expect(failures.filter((line) => !clear(line))).toEqual([]);
    const { stdout } = await run('ps', ['-eo', 'args']).catch(() => ({ stdout: '' }));
    expect(stdout.split('\n').filter((line) => line.includes(tmp))).toEqual([]);
  });
});
