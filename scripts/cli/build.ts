/**
 * `npm run build`: a manuscript (or a library: a folder with a library.yaml) into dist/.
 * Prints each problem at its `file:line:column`, each file written with its size and pages,
 * and with `--timings` each stage's time; exits 1 when the build failed.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../base/project-root.js';
import { formatProblem, formatReport, isProblem, ManuscriptProblems, relativeFiles } from '../base/problems.js';
import { createProgress, formatTimings, quietFromEnv } from '../base/progress.js';
import { build } from '../build.js';
import { isLibrary } from '../library/config.js';
import { describeFile } from '../outputs/published-files.js';
import { libraryMain } from './library.js';
import { HELP, parseCliArgs, refuseLibraryOptions } from './options.js';
import { runMain } from './run-main.js';

async function main(argv: string[]): Promise<number> {
  // Known before parsing, so that even a usage error can be shown with its stack.
  const debug = argv.includes('--debug');
  try {
    const parsed = parseCliArgs(argv, PROJECT_ROOT);
    if ('help' in parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    if (isLibrary(parsed.input)) return await libraryMain({ ...parsed, quiet: quietFromEnv(parsed.quiet) });
    refuseLibraryOptions(parsed);
    const started = performance.now();
    const progress = createProgress({ quiet: quietFromEnv(parsed.quiet) });
    const { files, warnings, published } = await build({ ...parsed, progress });
    process.stderr.write(formatReport(relativeFiles(warnings), { verbose: parsed.verbose }));
    if (parsed.strict && warnings.length) {
      process.stderr.write(`${warnings.length} warning${warnings.length > 1 ? 's' : ''} with --strict: nothing written\n`);
      return 1;
    }
    for (const file of files) {
      const described = published.find((candidate) => candidate.name === path.basename(file));
      process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}${described ? ` (${describeFile(described)})` : ''}\n`);
    }
    if (parsed.timings) process.stdout.write(formatTimings(progress.timings, performance.now() - started));
    return 0;
  } catch (error) {
    if (error instanceof ManuscriptProblems) {
      process.stderr.write(formatReport(relativeFiles(error.messages), { verbose: argv.includes('--verbose') }));
    } else if (isProblem(error)) {
      process.stderr.write(`${formatProblem(error)}\n`);
      if (debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
    } else {
      process.stderr.write(`${debug ? (error as Error).stack : (error as Error).message}\n`);
      if (!debug) process.stderr.write('  (run again with --debug for the full stack trace)\n');
    }
    return 1;
  }
}

runMain(main);
