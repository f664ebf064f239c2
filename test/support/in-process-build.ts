/**
 * The build in the test's own process, for tests that need what it makes and what it finds, not how the
 * command line says it (test/support/cli.ts runs that): the files written, and each problem in the words
 * the command line prints it with (`file:line:column: warning …` and what to do), the warnings of a build
 * that went through or the errors of a manuscript it refused.
 */
import { formatProblem, ManuscriptProblems } from '../../scripts/base/problems.js';
import { build, type BuildOptions } from '../../scripts/build.js';

export interface InProcessBuild {
  files: string[];
  /** Every problem, one after the other, as `npm run build` prints each. */
  report: string;
  /** Refused for errors in the manuscript (the command line would exit 1). */
  refused: boolean;
}

export async function buildInProcess(options: BuildOptions): Promise<InProcessBuild> {
  try {
    const { files, warnings } = await build(options);
    return { files, report: warnings.map((message) => formatProblem(message)).join('\n'), refused: false };
  } catch (error) {
    if (!(error instanceof ManuscriptProblems)) throw error;
    return { files: [], report: error.messages.map((message) => formatProblem(message)).join('\n'), refused: true };
  }
}
