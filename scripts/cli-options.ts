/**
 * The build CLI's flags, parsed with node:util; usage errors are problems
 * like any other, reported by the CLI with a non-zero exit.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { problem } from './problems.js';

export const FORMATS = ['pdf', 'epub'] as const;
export type Format = (typeof FORMATS)[number];

export const HELP = `Usage: npm run build -- [manuscript] [options]

Builds a Markdown manuscript into a PDF handout and an EPUB ebook.

Arguments:
  manuscript            a .md file or a folder of .md files (default: manuscript/)

Options:
  --out <dir>           output folder (default: dist/)
  --format <list>       comma-separated formats: pdf,epub (default: pdf,epub)
  --lang <list>         comma-separated languages to build, e.g. es,ar (default: the
                        source's and every translation's: foot-massage.es.md, …)
  --strict              treat warnings (missing alt text, skipped heading levels,
                        duplicate headings, removed HTML) as errors: write nothing
  --quiet               no progress lines (also when CI=true)
  --timings             after the build, print each stage's start and wall time in ms, and the total
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
  /** No progress lines; CI=true does the same. */
  quiet: boolean;
  /** Print the stage times once the build is done (for `npm run bench`). */
  timings: boolean;
}

export function parseCliArgs(argv: string[], projectRoot: string): CliOptions | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        format: { type: 'string' },
        lang: { type: 'string' },
        strict: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        timings: { type: 'boolean', default: false },
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
  const formats = (values.format ?? FORMATS.join(',')).split(',').map((name) => name.trim().toLowerCase());
  const unknown = formats.filter((name) => !(FORMATS as readonly string[]).includes(name));
  if (unknown.length || formats.length === 0) {
    throw problem(`unknown format: ${unknown.join(', ') || '(none)'}`, { hint: `Use --format with ${FORMATS.join(', ')}.` });
  }
  const languages = values.lang?.split(',').map((tag) => tag.trim()).filter(Boolean);
  const badTag = languages?.find((tag) => !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(tag));
  if (languages?.length === 0 || badTag !== undefined) {
    throw problem(`not a language tag: ${badTag ?? '(none)'}`, { hint: 'Use --lang with BCP 47 tags, e.g. --lang es,ar,zh-Hans.' });
  }
  return {
    input: path.resolve(positionals[0] ?? path.join(projectRoot, 'manuscript')),
    ...(languages ? { languages: [...new Set(languages)] } : {}),
    outDir: path.resolve(values.out ?? path.join(projectRoot, 'dist')),
    formats: [...new Set(formats)] as Format[],
    strict: values.strict,
    debug: values.debug,
    quiet: values.quiet,
    timings: values.timings,
  };
}
