/**
 * Run a command-line script's `main` with the arguments it was given, and exit with its code;
 * a problem that escapes it is reported as `file:line:column` rather than as a stack trace.
 * Every script in scripts/cli/ is a program, imported by nothing, so its `main` always runs.
 */
import { formatProblem, isProblem } from '../base/problems.js';

export function runMain(main: (argv: string[]) => Promise<number>): void {
  // A reader that stops reading (`npm run build | head -1`, a pager closed) closes the pipe. What is left to say is
  // dropped and the command goes on: ended on Node's unhandled EPIPE, a library stopped at the leaflet it was printing.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${isProblem(error) ? formatProblem(error) : ((error as Error).stack ?? String(error))}\n`);
      process.exitCode = 1;
    },
  );
}
