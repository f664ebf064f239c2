/**
 * FIFOs through which a stand-in (a browser, a writer) tells a test that it has reached the moment the
 * test acts on, and waits for the test: the test reacts to the event itself, never to a time that it
 * guesses the event takes, on a quiet or a busy machine alike.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './cli.js';

const run = promisify(execFile);

/** A new folder holding one FIFO per name, for a stand-in to find in an environment variable. */
export async function fifoFolder(...names: string[]): Promise<string> {
  const folder = await tempDir('press-fifos-');
  await run('mkfifo', names.map((name) => path.join(folder, name)));
  return folder;
}

/**
 * What the stand-in writes into `fifo`, once it does. Should the process the test runs end first (the
 * stand-in will never write), an error with what that process said, instead of a wait without end.
 */
export async function readFifo(fifo: string, ended: Promise<{ code: number | null; stderr: string }>): Promise<string> {
  let read = false;
  // Opened for writing here, the FIFO lets the read end, with nothing.
  void ended.then(() => (read ? undefined : writeFile(fifo, '')));
  const text = await readFile(fifo, 'utf8');
  read = true;
  if (!text) {
    const { code, stderr } = await ended;
    throw new Error(`it ended (${code}) before ${path.basename(fifo)}:\n${stderr}`);
  }
  return text;
}
