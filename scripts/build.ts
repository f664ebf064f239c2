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
import { packEpub } from './outputs/epub.js';
import { coverNeedsBrowser } from './outputs/cover.js';
import { writeOutputs, type OutputFile } from './write.js';
import { parseCliArgs, HELP, type Format } from './cli-options.js';
import { formatProblem, isProblem } from './problems.js';

export interface BuildOptions {
  /** A `.md` file or a folder of them. */
  input: string;
  outDir: string;
  formats: readonly Format[];
  /** The time the outputs record; SOURCE_DATE_EPOCH makes it reproducible. */
  buildTime?: Date;
}

export interface BuildResult {
  files: string[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const manuscript = await loadManuscript(options.input);
  const document = await renderMarkdown(manuscript);
  const publication = await applyTemplates(document, manuscript.metadata, options.buildTime ?? buildTimeFromEnv(), manuscript);
  const pdf = options.formats.includes('pdf');
  const epub = options.formats.includes('epub');

  // The browser prints the PDF and draws the EPUB's cover (unless the front matter names a finished one).
  const outputs = await withBrowser(pdf || (epub && coverNeedsBrowser(publication.ebook.coverSource)), (browser) =>
    Promise.all([
      ...(epub ? [packEpub(publication, browser).then((bytes) => output(`${publication.slug}.epub`, bytes))] : []),
      ...(pdf ? [printPdf(browser!, publication).then((bytes) => output(`${publication.slug}.pdf`, bytes))] : []),
    ]),
  );
  return { files: await writeOutputs(options.outDir, outputs) };
}

const output = (name: string, bytes: Uint8Array): OutputFile => ({ name, bytes });

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
  const parsed = parseCliArgs(argv, PROJECT_ROOT);
  if ('help' in parsed) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const { files } = await build(parsed);
    for (const file of files) process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
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
