/**
 * `npm run check`: everything the build would refuse or warn about, and how
 * readable the text is, without writing dist/. It runs the build's own stages
 * (so a link, image or metadata problem is found by the same code), packs a
 * temporary EPUB for epubcheck, and prints every vfile message the stages left
 * on the manuscript files, then the readability report. Exits non-zero when
 * any message is an error.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VFileMessage } from 'vfile-message';
import { loadManuscript, manuscriptMessages, type Manuscript } from './manuscript/load.js';
import { renderMarkdown } from './render/markdown.js';
import { applyTemplates } from './render/template.js';
import { PROJECT_ROOT } from './project-root.js';
import { makeCover, type CoverImage, type CoverInputs } from './outputs/cover.js';
import { SharedBrowser } from './browser/shared-browser.js';
import { packEpub } from './outputs/epub.js';
import { epubCheck, epubcheckJar } from './epubcheck.js';
import { formatReadability, measureReadability, type ReadabilityReport } from './readability.js';
import { countProblems, formatMessages, isProblem, problem, relativeFiles, REPEATS_SHOWN } from './problems.js';
import { loadTranslations, type Translation } from './manuscript/translations.js';
import { languageOf } from './languages.js';
import { runMain } from './run-main.js';
import { buildTimeFromEnv } from './build-time.js';
import { warnWhenReviewDue } from './manuscript/review-due.js';
import { warnUncoveredCharacters } from './manuscript/uncovered-characters.js';

export const CHECK_HELP = `Usage: npm run check -- [manuscript]

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

export interface CheckResult {
  messages: VFileMessage[];
  readability?: ReadabilityReport;
  /** The translations found beside the manuscript (each checked against it: stale ones have a warning). */
  translations?: Translation[];
}

export async function check(input: string): Promise<CheckResult> {
  let manuscript: Manuscript;
  try {
    manuscript = await loadManuscript(input);
  } catch (error) {
    if (isProblem(error)) return { messages: [error] };
    throw error;
  }
  const stray: VFileMessage[] = [];
  const readability = measureReadability(manuscript);
  const buildTime = buildTimeFromEnv();
  warnWhenReviewDue(manuscript, buildTime);
  warnUncoveredCharacters(manuscript);
  // Every translation, and whether it translates the source as it is now (translation-sync.ts warns when not).
  const translations = await loadTranslations(manuscript, input).catch((error: unknown) => {
    if (!isProblem(error)) throw error;
    stray.push(error);
    return [];
  });
  for (const { manuscript: translation } of translations) warnUncoveredCharacters(translation);
  try {
    const document = await renderMarkdown(manuscript);
    const publication = await applyTemplates(document, manuscript.metadata, buildTime, manuscript);
    stray.push(...(await checkEpub(await packEpub(publication, await drawCover(manuscript)))));
  } catch (error) {
    // Rendering records every problem on its file and throws the first error once it is done.
    if (!isProblem(error)) throw error;
    if (!manuscript.files.some(({ file }) => file.messages.includes(error))) stray.push(error);
  }
  const messages = [manuscriptMessages(manuscript, stray), ...translations.map((translation) => manuscriptMessages(translation.manuscript))].flat();
  return { messages, readability, translations };
}

/** The EPUB's cover, as the build makes it: with a browser only when it must be drawn. */
async function drawCover(manuscript: CoverInputs): Promise<CoverImage> {
  const browser = new SharedBrowser();
  try {
    return await makeCover(manuscript, () => browser.get());
  } finally {
    await browser.close();
  }
}

/** epubcheck's findings about the EPUB the manuscript makes; a missing epubcheck is a warning, not a failure. */
export async function checkEpub(bytes: Uint8Array): Promise<VFileMessage[]> {
  const jar = epubcheckJar();
  if (!jar) {
    const skipped = problem('epubcheck not found: the EPUB was not validated', {
      hint: 'Install it (Debian/Ubuntu: `sudo apt-get install epubcheck`) or set EPUBCHECK_JAR to epubcheck.jar.',
    });
    skipped.fatal = false;
    return [skipped];
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-check-'));
  try {
    const file = path.join(folder, 'check.epub');
    await writeFile(file, bytes);
    const result = await epubCheck(file, jar);
    return result.messages
      .filter((message) => message.severity !== 'INFO' && message.severity !== 'USAGE')
      .map((message) => {
        const found = problem(`epubcheck ${message.code}: ${message.text}`, {
          file: `EPUB ${message.entry ?? ''}`.trim(),
          place: message.line ? { line: message.line, column: message.column ?? 1 } : undefined,
          ruleId: message.code,
          hint: 'The EPUB is made from the manuscript and the templates in templates/epub/: fix whichever the message points at.',
        });
        found.fatal = message.severity === 'FATAL' || message.severity === 'ERROR';
        return found;
      });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * One line per translation: up to date or not (the warnings above say which sections changed), and that the
 * readability formulas, made for English, are not applied to it.
 */
function formatTranslations(translations: Translation[], relative: (file: string) => string): string {
  return [
    'Translations:',
    ...translations.map(({ lang, manuscript }) => {
      const stale = manuscript.files[0]!.file.messages.some((message) => message.ruleId === 'translation-stale' || message.ruleId === 'translation-unmarked');
      const name = languageOf(lang).englishName;
      return `  ${relative(manuscript.files[0]!.file.path!)} (${name}): ${stale ? 'STALE, see above' : 'up to date'}; readability: no formula for ${name} is available (the grades above are for English)`;
    }),
  ].join('\n');
}

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

runMain(import.meta.url, main);
