/**
 * Write outputs atomically: each file goes to a temporary name in the same
 * folder and is renamed into place, so a failed or interrupted build never
 * leaves a half-written or missing file in dist/.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { problem } from './problems.js';

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

export async function writeOutputs(outDir: string, files: OutputFile[]): Promise<string[]> {
  await mkdir(outDir, { recursive: true }).catch((cause: unknown) => {
    throw cannotWrite(outDir, cause);
  });
  const staged = files.map((file, index) => ({
    bytes: file.bytes,
    target: path.join(outDir, file.name),
    temporary: path.join(outDir, `.${file.name}.${process.pid}-${index}.tmp`),
  }));
  const written = await Promise.allSettled(staged.map(({ temporary, bytes }) => writeFile(temporary, bytes)));
  const failure = written.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    throw cannotWrite(outDir, failure.reason);
  }
  // Rename only once every file is complete: a build writes all its outputs or none.
  for (const { temporary, target } of staged) await rename(temporary, target);
  return staged.map(({ target }) => target);
}

function cannotWrite(outDir: string, cause: unknown) {
  return problem(`cannot write to the output folder: ${(cause as Error).message}`, {
    file: outDir,
    hint: 'Choose a writable folder with --out, or fix its permissions.',
    cause,
  });
}
