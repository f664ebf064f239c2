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
import { pdfPageCount, printPdf } from './outputs/pdf.js';
import { packEpub } from './outputs/epub.js';
import { describeEdition, renderDownloadPage, type Edition } from './outputs/download-page.js';
import { writeOutputs } from './write.js';
import { parseCliArgs, HELP, type Format } from './cli-options.js';
import { formatProblem, isProblem } from './problems.js';
import { createProgress, quietFromEnv, type Progress } from './progress.js';

export interface BuildOptions {
  /** A `.md` file or a folder of them. */
  input: string;
  outDir: string;
  formats: readonly Format[];
  /** The time the outputs record; SOURCE_DATE_EPOCH makes it reproducible. */
  buildTime?: Date;
  /** Reports each stage and keeps its time; silent when not given. */
  progress?: Progress;
}

export interface BuildResult {
  files: string[];
  /** The PDF and EPUB files, with their pages, as written. */
  editions: Edition[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const progress = options.progress ?? createProgress({ quiet: true });
  const manuscript = await progress.stage('load manuscript', () => loadManuscript(options.input));
  const document = await progress.stage('render Markdown', () => renderMarkdown(manuscript));
  const publication = await progress.stage('apply templates', () =>
    applyTemplates(document, manuscript.metadata, options.buildTime ?? buildTimeFromEnv()),
  );

  const editions = await withBrowser(options.formats.includes('pdf'), progress, (browser) =>
    Promise.all([
      ...(browser
        ? [progress.stage('print PDF', () => printPdf(browser, publication)).then(async (bytes) => edition(`${publication.slug}.pdf`, bytes, await pdfPageCount(bytes)))]
        : []),
      ...(options.formats.includes('epub') ? [progress.stage('pack EPUB', () => packEpub(publication)).then((bytes) => edition(`${publication.slug}.epub`, bytes))] : []),
    ]),
  );
  const downloadPage = await progress.stage('download page', () => renderDownloadPage(publication, editions));
  const files = await progress.stage('write outputs', () => writeOutputs(options.outDir, [...editions, downloadPage]));
  return { files, editions };
}

const edition = (name: string, bytes: Uint8Array, pages?: number): Edition => ({ name, bytes, pages });

/** One browser for the whole build, started only when an output needs it, always closed. */
async function withBrowser<T>(needed: boolean, progress: Progress, work: (browser: Browser | undefined) => Promise<T>): Promise<T> {
  if (!needed) return work(undefined);
  const browser = await progress.stage('start browser', launchBrowser);
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
  const parsed = parseCliArgs(argv, PROJECT_ROOT);
  if ('help' in parsed) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const progress = createProgress({ quiet: quietFromEnv(parsed.quiet) });
    const { files, editions } = await build({ ...parsed, progress });
    for (const file of files) {
      const written = editions.find((candidate) => candidate.name === path.basename(file));
      process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}${written ? ` (${describeEdition(written)})` : ''}\n`);
    }
    return 0;
  } catch (error) {
    if (isProblem(error)) {
      process.stderr.write(`${formatProblem(error)}\n`);
      if (parsed.debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
    } else {
      process.stderr.write(`${parsed.debug ? (error as Error).stack : (error as Error).message}\n`);
      if (!parsed.debug) process.stderr.write('  (run again with --debug for the full stack trace)\n');
    }
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
