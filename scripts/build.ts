/**
 * massage-press: Markdown manuscript → typeset PDF handout and EPUB.
 *
 *   load manuscript → Markdown to HTML → apply templates → print PDF / pack EPUB → write dist/
 *
 * Run as a CLI (`npm run build -- --help`) or import `build()`.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadManuscript } from './manuscript/load.js';
import { renderMarkdown } from './render/markdown.js';
import { applyTemplates, PROJECT_ROOT } from './render/template.js';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from './browser.js';
import { printPdf } from './outputs/pdf.js';
import { editionFileName } from './editions.js';
import { packEpub } from './outputs/epub.js';
import { writeOutputs, type OutputFile } from './write.js';
import { parseCliArgs, HELP, type Format } from './cli-options.js';
import { formatProblem, isProblem } from './problems.js';
import type { VFileMessage } from 'vfile-message';

export interface BuildOptions {
  /** A `.md` file or a folder of them. */
  input: string;
  outDir: string;
  formats: readonly Format[];
  /** The time the outputs record; SOURCE_DATE_EPOCH makes it reproducible. */
  buildTime?: Date;
  /** Treat warnings as errors: with any warning, stop before printing, packing or writing. */
  strict?: boolean;
}

export interface BuildResult {
  /** The files written; none when `strict` and there are warnings. */
  files: string[];
  /** Non-fatal problems in the manuscript (vfile messages), in reading order. */
  warnings: VFileMessage[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const manuscript = await loadManuscript(options.input);
  const document = await renderMarkdown(manuscript);
  const warnings = manuscript.files.flatMap(({ file }) => file.messages.toSorted(byPlace));
  if (options.strict && warnings.length) return { files: [], warnings };
  const publication = await applyTemplates(document, manuscript.metadata, options.buildTime ?? buildTimeFromEnv(), { logo: manuscript.logo });

  const outputs = await withBrowser(options.formats.includes('pdf'), (browser) =>
    Promise.all([
      ...(options.formats.includes('epub') ? [packEpub(publication).then((bytes) => output(`${publication.slug}.epub`, bytes))] : []),
      ...(browser
        ? publication.print.editions.map((edition) =>
            printPdf(browser, publication, edition).then((bytes) => output(editionFileName(publication.slug, edition.id), bytes)),
          )
        : []),
    ]),
  );
  return { files: await writeOutputs(options.outDir, outputs), warnings };
}

const output = (name: string, bytes: Uint8Array): OutputFile => ({ name, bytes });
const byPlace = (a: VFileMessage, b: VFileMessage) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);

/** One browser for the whole build, started only when an output needs it, always closed. */
async function withBrowser<T>(needed: boolean, work: (browser: Browser | undefined) => Promise<T>): Promise<T> {
  if (!needed) return work(undefined);
  const browser = await launchBrowser();
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

function buildTimeFromEnv(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

async function main(argv: string[]): Promise<number> {
  // Known before parsing, so that even a usage error can be shown with its stack.
  const debug = argv.includes('--debug');
  try {
    const parsed = parseCliArgs(argv, PROJECT_ROOT);
    if ('help' in parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    const { files, warnings } = await build(parsed);
    for (const warning of warnings) process.stderr.write(`${formatProblem(warning)}\n`);
    if (parsed.strict && warnings.length) {
      process.stderr.write(`${warnings.length} warning${warnings.length > 1 ? 's' : ''} with --strict: nothing written\n`);
      return 1;
    }
    for (const file of files) process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
    return 0;
  } catch (error) {
    if (isProblem(error)) {
      process.stderr.write(`${formatProblem(error)}\n`);
      if (debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
    } else {
      process.stderr.write(`${debug ? (error as Error).stack : (error as Error).message}\n`);
      if (!debug) process.stderr.write('  (run again with --debug for the full stack trace)\n');
    }
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
