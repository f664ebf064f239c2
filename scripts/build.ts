/**
 * massage-press: Markdown manuscript → typeset PDF handout and EPUB.
 *
 *   load manuscript → Markdown to HTML → apply templates → print PDF / pack EPUB → write dist/
 *
 * Run as a CLI (`npm run build -- --help`) or import `build()`.
 */
import path from 'node:path';
import { loadManuscript, manuscriptMessages, type Manuscript } from './manuscript/load.js';
import { renderMarkdown } from './render/markdown.js';
import { applyTemplates, PROJECT_ROOT, type Publication } from './render/template.js';
import { describeBrowser, launchBrowser, SharedBrowser } from './browser.js';
import { printPdf, type PrintedPdf } from './outputs/pdf.js';
import { printPagesOf } from './outputs/pdf-page-blocks.js';
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
  const epub = options.formats.includes('epub');
  // One browser prints every PDF edition and draws the EPUB's cover (unless drawn before). Chromium takes
  // a while to start: for a PDF it is certainly needed and starts now, before the manuscript is read.
  const browser = options.browser ?? new SharedBrowser(() => progress.stage('start browser', () => startBrowser(progress)));
  if (pdf) browser.get().catch(() => undefined);
  let drawing: Promise<CoverImage> | undefined;
  try {
    const manuscript = options.manuscript ?? (await progress.stage('load manuscript', () => loadManuscript(options.input)));
    const buildTime = options.buildTime ?? buildTimeFromEnv();
    warnWhenReviewDue(manuscript, buildTime);
    // The cover needs only the front matter: it is drawn while the Markdown is rendered (unless the front matter is wrong).
    drawing = epub && !manuscriptMessages(manuscript).some((message) => message.fatal) ? drawCover(manuscript, browser, progress) : undefined;
    drawing?.catch(() => undefined);
    // Rendering records every problem on its file and goes on; with an error among them, it stops the build.
    const document = await progress.stage('render Markdown', () => renderMarkdown(manuscript)).catch((error: unknown) => {
      throw isProblem(error) ? new ManuscriptProblems(manuscriptMessages(manuscript, [error])) : error;
    });
    const warnings = manuscriptMessages(manuscript);
    if (options.strict && warnings.length) return { files: [], warnings, published: [] };
    const publication = await progress.stage('apply templates', () =>
      applyTemplates(document, manuscript.metadata, buildTime, manuscript),
    );

    // The EPUB is packed once Chromium has been asked for every PDF: its first steps hold the main thread
    // for 0.1 s, which otherwise delayed opening the print pages by as much. Its page list comes from a
    // printed edition (A4 if there is one): the chapters, package and navigation wait for that PDF, the
    // rest of the book is packed meanwhile (outputs/epub.ts).
    const printsSent: Promise<void>[] = [];
    const printing = new Map<EditionId, Promise<PrintedPdf>>();
    const files = await Promise.all([
      ...(pdf
        ? publication.print.editions.map((edition) => {
            let sent!: () => void;
            printsSent.push(new Promise((resolve) => (sent = resolve)));
            const printed = browser
              .get()
              .then((ready) => progress.stage(`print PDF (${edition.id})`, () => printPdf(ready, publication, edition, sent)))
              .finally(() => sent());
            printing.set(edition.id, printed);
            return printed.then(({ bytes, pages }) => published(editionFileName(publication.slug, edition.id), bytes, pages));
          })
        : []),
      ...(drawing
        ? [
            Promise.all(printsSent)
              .then(() => progress.stage('pack EPUB', () => packEpub(publication, drawing!, printPagesOf(printing, publication.slug))))
              .then((bytes) => published(`${publication.slug}.epub`, bytes)),
          ]
        : []),
    ]);
    // A PDF without its PDF/UA claim for a reason no warning above gave is one more warning.
    const verdicts = (await Promise.all(printing.values())).map((printed) => printed.pdfUa);
    const unclaimed = unexplainedPdfUaWarning(verdicts, document.accessibilityGaps, manuscript.files[0]!.file.path);
    if (unclaimed) warnings.push(unclaimed);
    if (options.strict && unclaimed) return { files: [], warnings, published: [] };
    const cover = await drawing;
    const downloadPage = await progress.stage('download page', () => renderDownloadPage(publication, files, cover));
    const companions = options.companions ? await progress.stage('companion files', () => options.companions!(publication, cover)) : [];
    const written = await progress.stage('write outputs', () => writeOutputs(options.outDir, [...files, downloadPage, ...companions]));
    return { files: written, warnings, published: files, publication };
  } catch (error) {
    throw browser.explain(error);
  } finally {
    // When a later stage failed, the cover may still be opening its page: puppeteer then waits 30 s
    // for a page the closed browser never makes. It is let finish first.
    await drawing?.catch(() => undefined);
    if (!options.browser) await browser.close();
  }
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
function drawCover(manuscript: Manuscript, browser: SharedBrowser, progress: Progress): Promise<CoverImage> {
  return progress.stage('draw cover', () => makeCover(manuscript, () => browser.get()));
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
