/**
 * The build CLI's flags, parsed with node:util; usage errors are problems
 * like any other, reported by the CLI with a non-zero exit.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { problem, REPEATS_SHOWN } from '../base/problems.js';
import { DEFAULT_FORMATS, FORMATS, type Format } from '../base/formats.js';


export const HELP = `Usage: npm run build -- [manuscript] [options]

Builds a Markdown manuscript into a PDF handout, an EPUB ebook and a web page.

Arguments:
  manuscript            a .md file or a folder of .md files (default: manuscript/)

Options:
  --out <dir>           output folder (default: dist/)
  --format <list>       comma-separated formats: ${FORMATS.join(',')} (default: ${DEFAULT_FORMATS.join(',')});
                        web is a page for each language beside the downloads, docx a Word
                        file for reviewers
  --lang <list>         comma-separated languages to build, e.g. es,ar (default: the
                        source's and every translation's: foot-massage.es.md, …)
  --strict              treat warnings (missing alt text, skipped heading levels, duplicate
                        headings, removed HTML, remote images and links to files left
                        out, missing author or publisher) as errors: write nothing
  --verbose             list every warning, also those that repeat (by default a warning
                        given more than ${REPEATS_SHOWN} times is shown ${REPEATS_SHOWN} times, then counted)
  --quiet               no progress lines (also when CI=true)
  --timings             after the build, print each stage's start and wall time in ms, and the total
  --print-parts <n>     print a long book's PDFs in n parts at once, cut before chapters, and
                        join them (default: one part a core for a book of over about 350
                        pages, or 235 on 4 cores or more; 1 prints it whole). Same pages.

A library (a folder with a library.yaml) builds each leaflet into <out>/<slug>/, with a
catalogue page (index.html) and an OPDS feed (catalog.xml):
  --jobs <n>            leaflets built at once (default: twice the number of cores)
  --force               build every leaflet, even those unchanged since the last build
  --review-report       also write review.html: the leaflets by next review date, overdue
                        first, with their owners (for staff: the catalogue does not link it)
  --queue [url]         build on the workers of a BullMQ queue at this Redis URL
                        (redis:// or rediss://; default: REDIS_URL); start them with \`npm run worker\`
  --debug               print stack traces with errors
  -h, --help            show this help

Output files are named after the publication: front matter \`slug\`, or a slug of the title;
a translation's add its language (\`<slug>.es-a4.pdf\`, \`<slug>.es.epub\`).
The PDF is printed (and the EPUB cover drawn) by Chrome or Chromium: set PUPPETEER_EXECUTABLE_PATH, or install it where
it is usually found (/usr/bin/chromium on Debian and Ubuntu).
`;

export interface CliOptions {
  input: string;
  outDir: string;
  formats: Format[];
  /** Only these languages (`--lang es,ar`); every language when absent. */
  languages?: string[];
  strict: boolean;
  debug: boolean;
  /** Every warning, not the first few of each kind. */
  verbose: boolean;
  /** No progress lines; CI=true does the same. */
  quiet: boolean;
  /** Print the stage times once the build is done (for `npm run bench`). */
  timings: boolean;
  /** A library's leaflets built at once. */
  jobs?: number;
  /** How many parts a long book's PDFs are printed in at once; by the machine's cores when absent. */
  printParts?: number;
  /** A library: build every leaflet, unchanged or not. */
  force: boolean;
  /** A library: the Redis URL of the queue whose workers build it. */
  queue?: string;
  /** A library: write its review view, review.html. */
  reviewReport: boolean;
}

const REDIS_URL = /^rediss?:\/\//;

/** `--queue` without a URL (last, or before another option or the manuscript) takes REDIS_URL. */
function queueUrlFromEnv(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const at = argv.indexOf('--queue');
  if (at === -1 || REDIS_URL.test(argv[at + 1] ?? '')) return argv;
  if (!env.REDIS_URL) {
    throw problem('--queue needs the URL of a Redis server', { hint: 'Pass it (`--queue redis://host:6379`) or set REDIS_URL.' });
  }
  return [...argv.slice(0, at), `--queue=${env.REDIS_URL}`, ...argv.slice(at + 1)];
}

export function parseCliArgs(argv: string[], projectRoot: string, env: NodeJS.ProcessEnv = process.env): CliOptions | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.includes('--help') || argv.includes('-h') ? argv : queueUrlFromEnv(argv, env),
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        format: { type: 'string' },
        lang: { type: 'string' },
        strict: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        timings: { type: 'boolean', default: false },
        jobs: { type: 'string' },
        'print-parts': { type: 'string' },
        force: { type: 'boolean', default: false },
        'review-report': { type: 'boolean', default: false },
        queue: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    throw problem((cause as Error).message, { hint: 'Run `npm run build -- --help` for the options.' });
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length > 1) {
    throw problem(`expected one manuscript, got ${positionals.length}: ${positionals.join(' ')}`, {
      hint: 'Pass a single .md file or a folder of .md files.',
    });
  }
  const formats = (values.format ?? DEFAULT_FORMATS.join(',')).split(',').map((name) => name.trim().toLowerCase());
  const unknown = formats.filter((name) => !(FORMATS as readonly string[]).includes(name));
  if (unknown.length || formats.length === 0) {
    throw problem(`unknown format: ${unknown.join(', ') || '(none)'}`, { hint: `Use --format with ${FORMATS.join(', ')}.` });
  }
  const languages = values.lang?.split(',').map((tag) => tag.trim()).filter(Boolean);
  const badTag = languages?.find((tag) => !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(tag));
  if (languages?.length === 0 || badTag !== undefined) {
    throw problem(`not a language tag: ${badTag ?? '(none)'}`, { hint: 'Use --lang with BCP 47 tags, e.g. --lang es,ar,zh-Hans.' });
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    throw problem(`--jobs must be a whole number of 1 or more, not ${values.jobs}`, { hint: 'For example `--jobs 4`.' });
  }
  const printParts = values['print-parts'] === undefined ? undefined : Number(values['print-parts']);
  if (printParts !== undefined && !(Number.isInteger(printParts) && printParts >= 1)) {
    throw problem(`--print-parts must be a whole number of 1 or more, not ${values['print-parts']}`, { hint: 'For example `--print-parts 4`, or `--print-parts 1` to print a book whole.' });
  }
  if (values.queue !== undefined && !REDIS_URL.test(values.queue)) {
    throw problem('--queue takes a Redis URL starting with redis:// or rediss://', { hint: 'For example `--queue redis://localhost:6379`.' });
  }
  return {
    input: path.resolve(positionals[0] ?? path.join(projectRoot, 'manuscript')),
    ...(languages ? { languages: [...new Set(languages)] } : {}),
    outDir: path.resolve(values.out ?? path.join(projectRoot, 'dist')),
    formats: [...new Set(formats)] as Format[],
    strict: values.strict,
    debug: values.debug,
    quiet: values.quiet,
    verbose: values.verbose,
    timings: values.timings,
    jobs,
    ...(printParts !== undefined ? { printParts } : {}),
    force: values.force,
    queue: values.queue,
    reviewReport: values['review-report'],
  };
}

/** The library's options, given for one publication: surely a mistake (a folder without its library.yaml?). */
export function refuseLibraryOptions(options: CliOptions): void {
  const given = [options.jobs !== undefined && '--jobs', options.force && '--force', options.queue !== undefined && '--queue', options.reviewReport && '--review-report'].filter(Boolean);
  if (given.length) {
    throw problem(`${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} for a library, and ${options.input} has no library.yaml`, {
      file: options.input,
      hint: 'Give the folder that holds library.yaml, or leave the option out to build one publication.',
    });
  }
}
