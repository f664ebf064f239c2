/**
 * `npm run translation -- mark foot-massage.es.md`: record which version of the source a
 * translation translates (scripts/manuscript/mark-translation.ts). Run it once the translation
 * has been brought up to date and reviewed; from then on the build warns when a section of
 * the source changes.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, isProblem } from '../base/problems.js';
import { markTranslation } from '../manuscript/mark-translation.js';
import { runMain } from './run-main.js';

const TRANSLATION_HELP = `Usage: npm run translation -- mark <translation>

Records in a translation's front matter (sourceHash) which version of its source
it translates, section by section. Run it after the translation has been updated
and reviewed; the build then warns when the source changes, naming the sections.

  <translation>   foot-massage.es.md (beside foot-massage.md), or a file of a
                  translated folder (manuscript.es/01-intro.md)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
  const [command, ...files] = positionals;
  if (values.help || command !== 'mark' || files.length === 0) {
    process.stdout.write(TRANSLATION_HELP);
    return values.help ? 0 : 1;
  }
  try {
    for (const file of files) {
      const marked = await markTranslation(file);
      process.stdout.write(`${path.relative(process.cwd(), marked.file)} translates ${marked.source} as it is now (${marked.sections} sections)\n`);
    }
    return 0;
  } catch (error) {
    if (!isProblem(error)) throw error;
    process.stderr.write(`${formatProblem(error)}\n`);
    return 1;
  }
}

runMain(main);
