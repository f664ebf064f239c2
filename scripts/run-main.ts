/**
 * The entry point of a command-line script: run its `main` only when the
 * file is executed (tests import the same modules), exit with its code, and
 * report a problem as `file:line:column` rather than a stack trace.
 */
import { pathToFileURL } from 'node:url';
import { formatProblem, isProblem } from './problems.js';

export function runMain(moduleUrl: string, main: (argv: string[]) => Promise<number>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
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
