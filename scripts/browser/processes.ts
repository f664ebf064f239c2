/**
 * Stopping Chromium and whatever it started: puppeteer stops the process it started, not
 * the children that process left running, which could write into a folder after it was removed.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process whose command line names `folder` (Linux, which lists them under /proc). Looked for
 * again until none is left: a process can start a child between the listing and its kill (on a busy
 * machine, the left-behind Chromium started one that wrote into the folder after it was removed).
 */
export function killProcessesNaming(folder: string): void {
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
export function killChromium(chromium: ChildProcess | null): void {
  if (!chromium?.pid) return;
  try {
    process.kill(process.platform === 'win32' ? chromium.pid : -chromium.pid, 'SIGKILL');
  } catch {
    chromium.kill('SIGKILL');
  }
}

