/**
 * A stand-in for Chromium that holds a build in the middle of printing: it starts the real browser
 * ($REAL_BROWSER) with puppeteer's arguments and passes the DevTools messages both ways over their pipes
 * (puppeteer writes on fd 3 and reads fd 4), until puppeteer asks for a PDF (Page.printToPDF). From then on
 * nothing comes back: the build waits for its print as long as the test wants. It says `printing` into the
 * FIFO $BROWSER_CONTROL/printing, once, for the test to act on. It ends when its pipe from puppeteer closes,
 * or with the browser.
 *
 * Run with node by a shell script the test writes (PUPPETEER_EXECUTABLE_PATH names a program).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, writeFile } from 'node:fs';
import path from 'node:path';

const browser = spawn(process.env.REAL_BROWSER, process.argv.slice(2), { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const fromPuppeteer = createReadStream('', { fd: 3 });
const toPuppeteer = createWriteStream('', { fd: 4 });
let printing = false;
let pending = Buffer.alloc(0);

// Messages end with a NUL byte: whole messages are passed on, each read for a print.
fromPuppeteer.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  let end;
  while ((end = pending.indexOf(0)) !== -1) {
    const message = pending.subarray(0, end + 1);
    pending = pending.subarray(end + 1);
    if (!printing && message.includes('"Page.printToPDF"')) {
      printing = true;
      writeFile(path.join(process.env.BROWSER_CONTROL, 'printing'), 'printing\n', () => undefined);
    }
    browser.stdio[3].write(message);
  }
});
browser.stdio[4].on('data', (chunk) => {
  if (!printing) toPuppeteer.write(chunk);
});
fromPuppeteer.on('end', () => browser.kill('SIGKILL'));
browser.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
