/**
 * `npm run check`: every problem the build would report, epubcheck's findings, and how readable
 * the text is (scripts/check/check.ts); writes nothing. Exits 1 when any problem is an error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../base/project-root.js';
import { countProblems, formatMessages, relativeFiles, REPEATS_SHOWN } from '../base/problems.js';
import { check, formatTranslations } from '../check/check.js';
import { formatReadability } from '../check/readability.js';
import { runMain } from './run-main.js';

const CHECK_HELP = `Usage: npm run check -- [manuscript]

Checks a Markdown manuscript without writing anything: front matter, links and
anchors, images, a leaflet past its review date (\`nextReview\`; today is
SOURCE_DATE_EPOCH when set), the EPUB (with epubcheck, when installed) and readability
(Flesch–Kincaid grade, Flesch reading ease and words per sentence, per section
and overall; patient material should read at grade 8 or below).

Arguments:
  manuscript            a .md file or a folder of .md files (default: manuscript/)

Options:
  --verbose             list every warning, also those that repeat (by default a warning
                        given more than ${REPEATS_SHOWN} times is shown ${REPEATS_SHOWN} times, then counted)
  -h, --help            show this help

Every problem is listed, by file and line, then how many errors and warnings there are.
Exits 1 when there is an error; warnings alone exit 0.
`;

async function main(argv: string[]): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false }, verbose: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n  Run \`npm run check -- --help\` for the options.\n`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  const input = path.resolve(positionals[0] ?? path.join(PROJECT_ROOT, 'manuscript'));
  const relative = (file: string) => (path.isAbsolute(file) ? path.relative(process.cwd(), file) : file);
  const { messages, readability, translations = [] } = await check(input);

  process.stdout.write(formatMessages(relativeFiles(messages), { verbose: values.verbose }));
  if (readability) process.stdout.write(`${messages.length ? '\n' : ''}${formatReadability(readability, relative)}\n`);
  if (translations.length) process.stdout.write(`\n${formatTranslations(translations, relative)}\n`);
  process.stdout.write(`\n${countProblems(messages)}\n`);
  return messages.some((message) => message.fatal) ? 1 : 0;
}

runMain(main);
