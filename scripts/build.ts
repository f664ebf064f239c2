/**
 * massage-press: Markdown manuscript → typeset PDF handout and EPUB.
 *
 *   load manuscript → Markdown to HTML → apply templates → print PDF / pack EPUB → write dist/
 *
 * A manuscript's translations (foot-massage.es.md beside foot-massage.md) go the same way, each as a
 * publication of its own, sharing the one browser; the download page lists every language's files.
 *
 * Run as a CLI (`npm run build -- --help`) or import `build()`.
 */
import path from 'node:path';
import { loadManuscript, manuscriptMessages, type Manuscript } from './manuscript/load.js';
import { loadTranslations } from './manuscript/translations.js';
import { taglinesFor, type Tagline } from './manuscript/taglines.js';
import { renderMarkdown, type RenderedDocument } from './render/markdown.js';
import { applyTemplates, type Publication } from './render/template.js';
import { PROJECT_ROOT } from './project-root.js';
import { describeBrowser, launchBrowser } from './browser/launch.js';
import { SharedBrowser } from './browser/shared-browser.js';
import { printPdf, type PrintedPdf } from './outputs/pdf.js';
import { printPagesOf } from './outputs/pdf.js';
import { unexplainedPdfUaWarning } from './outputs/pdf-structure.js';
import { editionFileName, type EditionId } from './editions.js';
import { packEpub } from './outputs/epub.js';
import { makeCover, type CoverImage } from './outputs/cover.js';
import { describeFile, renderDownloadPage, type PublishedFile } from './outputs/download-page.js';
import { writeOutputs, type OutputFile } from './write.js';
import { parseCliArgs, refuseLibraryOptions, HELP, type Format } from './cli-options.js';
import { isLibrary } from './library/load.js';
import { libraryMain } from './library/cli.js';
import { formatProblem, formatReport, isProblem, ManuscriptProblems, relativeFiles } from './problems.js';
import { runMain } from './run-main.js';
import { buildTimeFromEnv } from './build-time.js';
import { warnWhenReviewDue } from './manuscript/review-due.js';
import { warnUncoveredCharacters } from './manuscript/uncovered-characters.js';
import type { VFileMessage } from 'vfile-message';
import { createProgress, formatTimings, namingFailures, quietFromEnv, type Progress } from './progress.js';

export interface BuildOptions {
  /** A `.md` file or a folder of them. */
  input: string;
  outDir: string;
  formats: readonly Format[];
  /** The time the outputs record; SOURCE_DATE_EPOCH makes it reproducible. */
  buildTime?: Date;
  /** Treat warnings as errors: with any warning, stop before printing, packing or writing. */
  strict?: boolean;
  /** Reports each stage and keeps its time; silent when not given. */
  progress?: Progress;
  /** Build only these languages (BCP 47 tags: the source's and its translations'); all when not given. */
  languages?: readonly string[];
  /** A browser shared with other builds (a library's): used, and left open. Otherwise the build starts and closes its own. */
  browser?: SharedBrowser;
  /** The manuscript, loaded already (a library's leaflet, with the library's defaults); `input` then only names it. */
  manuscript?: Manuscript;
  /** Files written with the outputs, all or none, made from the publication and its cover (a library's cover images). */
  companions?: (publication: Publication, cover: CoverImage | undefined) => Promise<OutputFile[]>;
}

export interface BuildResult {
  /** The files written; none when `strict` and there are warnings. */
  files: string[];
  /** Non-fatal problems in the manuscript (vfile messages), in reading order. */
  warnings: VFileMessage[];
  /** The PDF and EPUB files, with their pages, as written. */
  published: PublishedFile[];
  /** What was built, for a catalogue; absent when `strict` stopped the build. */
  publication?: Publication;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const progress = namingFailures(options.progress ?? createProgress({ quiet: true }), options.input);
  const pdf = options.formats.includes('pdf');
  // One browser prints every PDF edition of every language and draws the EPUBs' covers (unless drawn before).
  // Chromium takes a while to start: for a PDF it is certainly needed and starts now, before the manuscript is read.
  const browser = options.browser ?? new SharedBrowser(() => progress.stage('start browser', () => startBrowser(progress)));
  if (pdf) browser.get().catch(() => undefined);
  const drawings: Promise<CoverImage>[] = [];
  try {
    const source = options.manuscript ?? (await progress.stage('load manuscript', () => loadManuscript(options.input)));
    const buildTime = options.buildTime ?? buildTimeFromEnv();
    // Each translation beside the source (foot-massage.es.md) is a publication of its own, built the same way.
    const translations = await progress.stage('load translations', () => loadTranslations(source, options.input, options.languages));
    const languages: { manuscript: Manuscript; lang?: string }[] = [...(builds(options, source.metadata.lang) ? [{ manuscript: source }] : []), ...translations];
    const manuscripts = [source, ...translations.map(({ manuscript }) => manuscript)];
    // A translation is due for review with its source: it is warned about when it sets its own date.
    for (const manuscript of manuscripts) if (manuscript === source || manuscript.frontMatter?.nextReview !== undefined) warnWhenReviewDue(manuscript, buildTime);
    const uncovered = new Map(manuscripts.map((manuscript) => [manuscript, warnUncoveredCharacters(manuscript)]));
    // The language-assistance line of every language built, in each of them (front matter `taglines`).
    const taglines = await taglinesFor(source, languages.map(({ manuscript }) => manuscript.metadata.lang));
    // Every language rendered before any goes further: every problem of every language is reported at once, and
    // with --strict a warning in any stops them all before anything is printed.
    const rendered = await Promise.all(languages.map((language) => renderLanguage(language, options, browser, progress)));
    for (const { drawing } of rendered) if (drawing) drawings.push(drawing);
    const failed = rendered.filter((language) => language.error);
    if (failed.length) {
      const errors = (manuscript: Manuscript) => failed.filter((language) => language.manuscript === manuscript).map((language) => language.error!);
      throw new ManuscriptProblems(manuscripts.flatMap((manuscript) => manuscriptMessages(manuscript, errors(manuscript))));
    }
    const warnings = manuscripts.flatMap((manuscript) => manuscriptMessages(manuscript));
    if (options.strict && warnings.length) return { files: [], warnings, published: [] };
    const prepared = await Promise.all(rendered.map((language) => applyLanguageTemplates(language, buildTime, progress, taglines)));
    const built = await Promise.all(prepared.map((publication) => publish(publication, options, browser, progress)));
    // A PDF without its PDF/UA claim for a reason no warning above gave is one more warning, of its language.
    const unclaimed = built.flatMap(({ verdicts }, index) => {
      const { document, manuscript } = rendered[index]!;
      const warned = { ...document!.accessibilityGaps, charactersWithoutFont: uncovered.get(manuscript) ?? [] };
      return unexplainedPdfUaWarning(verdicts, warned, manuscript.files[0]!.file.path) ?? [];
    });
    warnings.push(...unclaimed);
    if (options.strict && unclaimed.length) return { files: [], warnings, published: [] };
    const [main, ...others] = built;
    const downloadPage = await progress.stage('download page', () => renderDownloadPage(main!.publication, main!.files, main!.cover, others));
    const companions = options.companions ? await progress.stage('companion files', () => options.companions!(main!.publication, main!.cover)) : [];
    const files = built.flatMap((edition) => edition.files);
    const written = await progress.stage('write outputs', () => writeOutputs(options.outDir, [...files, downloadPage, ...companions]));
    return { files: written, warnings, published: files, publication: main!.publication };
  } catch (error) {
    throw browser.explain(error);
  } finally {
    // When a later stage failed, a cover may still be opening its page: puppeteer then waits 30 s
    // for a page the closed browser never makes. It is let finish first.
    await Promise.all(drawings.map((drawing) => drawing.catch(() => undefined)));
    if (!options.browser) await browser.close();
  }
}

/** Whether the build makes the language `lang` (all, without `--lang`). */
const builds = (options: BuildOptions, lang: string) => !options.languages || options.languages.some((tag) => tag.toLowerCase() === lang.toLowerCase());

/** One language's manuscript rendered to HTML (or the problem that stopped it), its cover being drawn. */
interface RenderedLanguage {
  manuscript: Manuscript;
  /** A translation's language, named in its stages. */
  lang?: string;
  document?: RenderedDocument;
  error?: VFileMessage;
  drawing?: Promise<CoverImage>;
}

/** One language's publication, through its templates, its cover being drawn: ready to print and pack. */
interface PreparedPublication {
  publication: Publication;
  /** Base name of its files: the slug, and for a translation its language (`foot-massage.es`). */
  stem: string;
  lang?: string;
  drawing?: Promise<CoverImage>;
}

/** `render Markdown (es)`: a translation's stage. */
const stageName = (name: string, lang: string | undefined) => (lang ? `${name} (${lang})` : name);

/** Markdown to HTML for one language (`lang` for a translation); rendering records every problem on its file. */
async function renderLanguage(
  { manuscript, lang }: { manuscript: Manuscript; lang?: string },
  options: BuildOptions,
  browser: SharedBrowser,
  progress: Progress,
): Promise<RenderedLanguage> {
  // The cover needs only the front matter: it is drawn while the Markdown is rendered (unless the front matter is wrong).
  const fine = !manuscriptMessages(manuscript).some((message) => message.fatal);
  const drawing = options.formats.includes('epub') && fine ? drawCover(manuscript, browser, progress, lang) : undefined;
  drawing?.catch(() => undefined);
  try {
    const document = await progress.stage(stageName('render Markdown', lang), () => renderMarkdown(manuscript));
    return { manuscript, lang, document, drawing };
  } catch (error) {
    if (!isProblem(error)) throw error;
    return { manuscript, lang, error, drawing };
  }
}

/** apply templates, for one language. */
async function applyLanguageTemplates(
  { manuscript, lang, document, drawing }: RenderedLanguage,
  buildTime: Date,
  progress: Progress,
  taglines?: readonly Tagline[],
): Promise<PreparedPublication> {
  const publication = await progress.stage(stageName('apply templates', lang), () =>
    applyTemplates(document!, manuscript.metadata, buildTime, manuscript, { taglines }),
  );
  return { publication, stem: lang ? `${publication.slug}.${lang}` : publication.slug, lang, drawing };
}

/** print PDFs / pack EPUB, for one language; with what each PDF says of its PDF/UA claim. */
async function publish({ publication, stem, lang, drawing }: PreparedPublication, options: BuildOptions, browser: SharedBrowser, progress: Progress) {
  // The EPUB is packed once Chromium has been asked for every PDF: its first steps hold the main thread
  // for 0.1 s, which otherwise delayed opening the print pages by as much. Its page list comes from a
  // printed edition (A4 if there is one): the chapters, package and navigation wait for that PDF, the
  // rest of the book is packed meanwhile (outputs/epub.ts).
  const printsSent: Promise<void>[] = [];
  const printing = new Map<EditionId, Promise<PrintedPdf>>();
  const files = await Promise.all([
    ...(options.formats.includes('pdf')
      ? publication.print.editions.map((edition) => {
          let sent!: () => void;
          printsSent.push(new Promise((resolve) => (sent = resolve)));
          const stage = `print PDF (${lang ? `${lang} ` : ''}${edition.id})`;
          const printed = browser
            .get()
            .then((ready) => progress.stage(stage, () => printPdf(ready, publication, edition, sent)))
            .finally(() => sent());
          printing.set(edition.id, printed);
          return printed.then(({ bytes, pages }) => published(editionFileName(stem, edition.id), bytes, pages));
        })
      : []),
    ...(drawing
      ? [
          Promise.all(printsSent)
            .then(() => progress.stage(stageName('pack EPUB', lang), () => packEpub(publication, drawing, printPagesOf(printing, stem))))
            .then((bytes) => published(`${stem}.epub`, bytes)),
        ]
      : []),
  ]);
  const verdicts = (await Promise.all(printing.values())).map((printed) => printed.pdfUa);
  return { publication, stem, files, cover: await drawing, verdicts };
}

/** Chromium, said which on one line; the first build on a machine with none unpacks the bundled one first, and says so. */
async function startBrowser(progress: Progress) {
  const browser = await launchBrowser({
    onUnpack: (folder) => progress.note(`unpacking the bundled Chromium into ${path.relative(process.cwd(), folder) || folder} (once)`),
  });
  progress.note(`browser ${await describeBrowser(browser)}`);
  return browser;
}

/** The EPUB's cover: the front matter's finished image, or the cover page, drawn before or by the browser now. */
function drawCover(manuscript: Manuscript, browser: SharedBrowser, progress: Progress, lang?: string): Promise<CoverImage> {
  return progress.stage(stageName('draw cover', lang), () => makeCover(manuscript, () => browser.get()));
}

const published = (name: string, bytes: Uint8Array, pages?: number): PublishedFile => ({ name, bytes, pages });

async function main(argv: string[]): Promise<number> {
  // Known before parsing, so that even a usage error can be shown with its stack.
  const debug = argv.includes('--debug');
  try {
    const parsed = parseCliArgs(argv, PROJECT_ROOT);
    if ('help' in parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    if (isLibrary(parsed.input)) return await libraryMain({ ...parsed, quiet: quietFromEnv(parsed.quiet) });
    refuseLibraryOptions(parsed);
    const started = performance.now();
    const progress = createProgress({ quiet: quietFromEnv(parsed.quiet) });
    const { files, warnings, published } = await build({ ...parsed, progress });
    process.stderr.write(formatReport(relativeFiles(warnings), { verbose: parsed.verbose }));
    if (parsed.strict && warnings.length) {
      process.stderr.write(`${warnings.length} warning${warnings.length > 1 ? 's' : ''} with --strict: nothing written\n`);
      return 1;
    }
    for (const file of files) {
      const described = published.find((candidate) => candidate.name === path.basename(file));
      process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}${described ? ` (${describeFile(described)})` : ''}\n`);
    }
    if (parsed.timings) process.stdout.write(formatTimings(progress.timings, performance.now() - started));
    return 0;
  } catch (error) {
    if (error instanceof ManuscriptProblems) {
      process.stderr.write(formatReport(relativeFiles(error.messages), { verbose: argv.includes('--verbose') }));
    } else if (isProblem(error)) {
      process.stderr.write(`${formatProblem(error)}\n`);
      if (debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
    } else {
      process.stderr.write(`${debug ? (error as Error).stack : (error as Error).message}\n`);
      if (!debug) process.stderr.write('  (run again with --debug for the full stack trace)\n');
    }
    return 1;
  }
}

runMain(import.meta.url, main, 'build');
