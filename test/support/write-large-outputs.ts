/**
 * Child process for the interruption test: writes two large outputs with
 * writeOutputs into the folder given, slowly enough to be signalled mid-write.
 */
import { writeOutputs } from '../../scripts/base/write-outputs.js';

const [outDir, megabytes] = process.argv.slice(2);
const bytes = new Uint8Array(Number(megabytes) * 1024 * 1024).fill(0x6e);
await writeOutputs(outDir!, [
  { name: 'handout.pdf', bytes },
  { name: 'handout.epub', bytes },
]);
process.stdout.write('written\n');
