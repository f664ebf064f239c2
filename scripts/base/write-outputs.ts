/**
 * Write outputs atomically: each file goes to a temporary name in the same
 * folder and is renamed into place, so a failed or interrupted build never
 * leaves a half-written or missing file in dist/. Temporary names are unique
 * per write, so builds running at once into one folder never share one, and
 * SIGINT/SIGTERM during a write removes them before the process ends.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { problem } from './problems.js';
import { cleanUpOnSignal } from './signals.js';

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

export async function writeOutputs(outDir: string, files: OutputFile[]): Promise<string[]> {
  await mkdir(outDir, { recursive: true }).catch((cause: unknown) => {
    throw cannotWrite(outDir, cause);
  });
  const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // A name may hold a folder (the web edition's `fonts/…`, `images/…`): its temporary file is made in that folder.
  const staged = files.map((file, index) => {
    const target = path.join(outDir, file.name);
    return { bytes: file.bytes, target, temporary: path.join(path.dirname(target), `.${path.basename(target)}.${unique}-${index}.tmp`) };
  });
  const folders = [...new Set(staged.map(({ target }) => path.dirname(target)))];
  // Those made here are removed again when the write fails: a failed build leaves no empty `fonts/` behind.
  const made = (await Promise.all(folders.map(async (folder) => ((await stat(folder).catch(() => undefined)) ? [] : [folder])))).flat();
  await Promise.all(folders.map((folder) => mkdir(folder, { recursive: true }))).catch((cause: unknown) => {
    throw cannotWrite(outDir, cause);
  });
  const temporaries = staged.map(({ temporary }) => temporary);
  const stopRemoving = removeOnSignal(temporaries);
  try {
    const written = await Promise.allSettled(staged.map(({ temporary, bytes }) => writeFile(temporary, bytes)));
    const failure = written.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    // Rename only once every file is complete, and none can fail for a folder in the way:
    // a build writes all its outputs or none.
    for (const { target } of staged) await refuseFolder(target);
    for (const { temporary, target } of staged) await rename(temporary, target);
  } catch (cause) {
    await Promise.all(temporaries.map((temporary) => rm(temporary, { force: true })));
    for (const folder of made.sort((a, b) => b.length - a.length)) await rmdir(folder).catch(() => undefined);
    throw cannotWrite(outDir, cause);
  } finally {
    stopRemoving();
  }
  return staged.map(({ target }) => target);
}

async function refuseFolder(target: string) {
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new Error(`a folder is in the way of ${path.basename(target)}`);
}

/** Until the returned function is called, a signal removes `paths` and then ends the process as the signal would. */
const removeOnSignal = (paths: string[]) => cleanUpOnSignal(() => paths.forEach((file) => rmSync(file, { force: true })));

function cannotWrite(outDir: string, cause: unknown) {
  return problem(`cannot write to the output folder: ${(cause as Error).message}`, {
    file: outDir,
    hint: 'Choose a writable folder with --out, or fix its permissions.',
    cause,
  });
}
