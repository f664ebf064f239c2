/**
 * Run a command-line script's `main` with the arguments it was given, and exit with its code;
 * a problem that escapes it is reported as `file:line:column` rather than as a stack trace.
 * Every script in scripts/cli/ is a program, imported by nothing, so its `main` always runs.
 */
import { formatProblem, isProblem } from '../base/problems.js';

export function runMain(main: (argv: string[]) => Promise<number>): void {
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
