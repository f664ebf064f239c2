/**
 * Child process for the interruption tests: writes two outputs with writeOutputs into the folder given,
 * each write held halfway (half its bytes in its temporary file) until a signal ends the process. It prints
 * `writing <temporary file>` as each write is held, so that the test signals it mid-write, however busy the
 * machine. Only Node's writeFile is held; writeOutputs, its temporary names and its clean-up are the build's.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const writeFile = fs.promises.writeFile;
fs.promises.writeFile = (async (file: string, bytes: Uint8Array) => {
  await writeFile(file, bytes.subarray(0, bytes.length / 2));
  process.stdout.write(`writing ${path.basename(file)}\n`);
  // Never written further: the process waits, held up by its standard input, for the test's signal.
  return new Promise<void>(() => undefined);
}) as typeof writeFile;
// The modules that import writeFile from node:fs/promises see the held one.
syncBuiltinESMExports();
process.stdin.resume();

const { writeOutputs } = await import('../../scripts/base/write-outputs.js');
const [outDir, megabytes] = process.argv.slice(2);
const bytes = new Uint8Array(Number(megabytes) * 1024 * 1024).fill(0x6e);
await writeOutputs(outDir!, [
  { name: 'handout.pdf', bytes },
  { name: 'handout.epub', bytes },
]);
process.stdout.write('written\n');
