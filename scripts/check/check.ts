/**
 * `npm run check`: everything the build would refuse or warn about, and how readable the
 * text is, without writing dist/. It prepares the publication set exactly as the build does
 * (scripts/prepare.ts: every language, every check made before printing), packs the source's
 * EPUB for epubcheck, and returns every vfile message, then the readability report.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { isProblem, problem } from '../base/problems.js';
import { languageOf } from '../languages/language.js';
import { makeCover } from '../outputs/cover.js';
import { packEpub } from '../outputs/epub.js';
import { preparePublications, PublicationSetRefused, type PreparedLanguage } from '../prepare.js';
import { epubCheck, epubcheckJar } from './epubcheck.js';
import { measureReadability, type ReadabilityReport } from './readability.js';

export interface CheckResult {
  messages: VFileMessage[];
  readability?: ReadabilityReport;
  /** The translations found beside the manuscript (each checked against it: stale ones have a warning). */
  translations?: Translation[];
}

/** A translation of the manuscript checked: its language and its first file. */
export interface Translation {
  lang: string;
  file: string;
  /** Whether it translates the source as it is now (translation-sync.ts warns when not). */
  stale: boolean;
}

export async function check(input: string): Promise<CheckResult> {
  let prepared;
  try {
    prepared = await preparePublications({ input });
  } catch (error) {
    // Every problem of every language (the text is still measured), or the one that stopped loading.
    if (error instanceof PublicationSetRefused) return { messages: error.messages, readability: measureReadability(error.source) };
    if (isProblem(error)) return { messages: [error] };
    throw error;
  }
  const { source, languages, warnings } = prepared;
  const readability = measureReadability(source);
  const translations = languages.filter((language) => language.lang).map(translationChecked);
  const original = languages.find((language) => language.manuscript === source);
  const epub = original ? await checkEpub(await packEpub(original.publication, await makeCover(source))) : [];
  return { messages: [...warnings, ...epub], readability, translations };
}

const translationChecked = ({ lang, manuscript }: PreparedLanguage): Translation => ({
  lang: lang!,
  file: manuscript.files[0]!.file.path!,
  stale: manuscript.files[0]!.file.messages.some((message) => message.ruleId === 'translation-stale' || message.ruleId === 'translation-unmarked'),
});

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
export function formatTranslations(translations: Translation[], relative: (file: string) => string): string {
  return [
    'Translations:',
    ...translations.map(({ lang, file, stale }) => {
      const name = languageOf(lang).englishName;
      return `  ${relative(file)} (${name}): ${stale ? 'STALE, see above' : 'up to date'}; readability: no formula for ${name} is available (the grades above are for English)`;
    }),
  ].join('\n');
}
