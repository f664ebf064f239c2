import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { browserFolderParent, launchBrowser } from '../scripts/browser/launch.js';
import { findBrowser } from '../scripts/browser/location.js';
import { cli, tempDir } from './support/cli.js';
import { fifoFolder, readFifo } from './support/fifo.js';

const run = promisify(execFile);

describe('the browser the build starts', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  // Headless Chromium 156 loads the address bar's drop-down as a chrome:// page of its own a few
  // hundred milliseconds after start, and the CPU it takes is taken from the Markdown parse.
  // Watched for 2 s: a browser that opens no such page passes however slow the machine; only a slow
  // machine could let one that opens it late pass unseen, never fail a browser that opens none.
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
    // Two ways a start fails once Chromium has begun writing its profile: the process puppeteer started exits
    // and leaves the browser it started running; or the browser is killed while it starts. Each is a stand-in
    // for Chromium that starts the real one and tells the test once it runs; the test then makes the event.
    const leavesBrowserBehind = path.join(scripts, 'leaves-browser-behind');
    await writeFile(leavesBrowserBehind, browserStandIn(executablePath, 'read go < "$BROWSER_CONTROL/go"\nexit 1'), { mode: 0o755 });
    const killedWhileStarting = path.join(scripts, 'killed-while-starting');
    await writeFile(killedWhileStarting, browserStandIn(executablePath, 'wait $browser\nexit $?'), { mode: 0o755 });
    const failures: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const failing = attempt % 2 ? killedWhileStarting : leavesBrowserBehind;
      const control = await fifoFolder('started', 'go');
      const build = cli(['--out', await tempDir(), '--format', 'pdf'], { TMPDIR: tmp, PUPPETEER_EXECUTABLE_PATH: failing, BROWSER_CONTROL: control });
      const browser = Number(await readFifo(path.join(control, 'started'), build));
      // Running, with its profile in the build's folder for it, and puppeteer still waiting for an answer.
      expect(process.kill(browser, 0)).toBe(true);
      expect(await readdir(tmp)).toHaveLength(1);
      if (failing === killedWhileStarting) process.kill(browser, 'SIGKILL');
      else await writeFile(path.join(control, 'go'), 'exit\n');
      const { code, stderr } = await build;
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

/**
 * A stand-in for Chromium (a shell script) that starts the real one with puppeteer's arguments, waits until
 * it runs (it has written DevToolsActivePort into its profile), tells the test its process id through the
 * FIFO $BROWSER_CONTROL/started, then does `then`. The real browser listens on a port instead of puppeteer's
 * pipe, which the stand-in keeps open and never answers: the start can only fail, the way the test makes it.
 */
function browserStandIn(executablePath: string, then: string): string {
  return `#!/bin/sh
profile=
for a in "$@"; do shift; case "$a" in --remote-debugging-pipe) a=--remote-debugging-port=0 ;; --user-data-dir=*) profile=\${a#--user-data-dir=} ;; esac; set -- "$@" "$a"; done
"${executablePath}" "$@" 3>&- 4>&- >/dev/null 2>&1 &
browser=$!
# Polled until it is there, however long the browser takes on a busy machine; not a moment fixed in advance.
while [ ! -e "$profile/DevToolsActivePort" ] && kill -0 $browser 2>/dev/null; do sleep 0.05; done
echo $browser > "$BROWSER_CONTROL/started"
${then}
`;
}
