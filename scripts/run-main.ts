/**
 * The entry point of a command-line script: run its `main` only when the
 * file is executed (tests import the same modules), exit with its code, and
 * report a problem as `file:line:column` rather than a stack trace.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatProblem, isProblem } from './problems.js';

export function runMain(moduleUrl: string, main: (argv: string[]) => Promise<number>, script?: string): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  // In a bundle (scripts/launch.mjs runs `<script>-<hash>.cjs`) every module has the bundle's URL: a
  // script that another one imports (the worker builds with build.ts) runs only as its own bundle.
  const bundled = /^(\w+)-[0-9a-f]{16}\.cjs$/.exec(path.basename(process.argv[1] ?? ''));
  if (script && bundled && bundled[1] !== script) return;
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
