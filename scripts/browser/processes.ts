/**
 * Stopping Chromium and whatever it started: puppeteer stops the process it started, not
 * the children that process left running, which could write into a folder after it was removed.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Every process whose command line names `folder`, or that has a file open inside it (Linux, which lists
 * both under /proc). Open files too: Chromium's network service and renderers name no folder on their
 * command lines (they retitle themselves), yet keep files open in the profile, and the network service of
 * a killed browser, still running, kept the folder from being removed. Looked for again until none is left:
 * a process can start a child between the listing and its kill (on a busy machine, the left-behind Chromium
 * started one that wrote into the folder after it was removed).
 */
export function killProcessesUsing(folder: string): void {
  if (process.platform !== 'linux') return;
  const inside = `${realFolder(folder)}${path.sep}`;
  const hasFileOpenInside = (pid: string) =>
    readdirSafe(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(inside);
      } catch {
        return false;
      }
    });
  for (let round = 0; round < 50; round++) {
    let found = 0;
    for (const pid of readdirSafe('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder) || hasFileOpenInside(pid)) {
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

/** The folder as the kernel names it in a process's open files: links resolved. */
function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
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

