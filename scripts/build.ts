/**
 * massage-press: Markdown manuscript → typeset PDF handout and EPUB.
 *
 *   prepare (load, check, render, templates) → print PDFs / pack EPUB / write Word → download page → write dist/
 *
 * A review copy (`review`, scripts/review/) goes the same way: prepared with every change since an
 * earlier version marked, printed on A4 and written as Word, with a review page in place of the
 * download page; nothing is written when nothing changed.
 * A manuscript's translations (foot-massage.es.md beside foot-massage.md) go the same way, each as a
 * publication of its own, sharing the one browser; the download page lists every language's files.
 * The command line is scripts/cli/build.ts; a library builds each leaflet with this same `build()`.
 */
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import type { Format } from './base/formats.js';
import { editionFileName, type EditionId } from './base/editions.js';
import { createProgress, namingFailures, type Progress } from './base/progress.js';
import { writeOutputs, type OutputFile } from './base/write-outputs.js';
import { describeBrowser, launchBrowser } from './browser/launch.js';
import { SharedBrowser } from './browser/shared-browser.js';
import type { Manuscript } from './manuscript/load.js';
import { makeCover, type CoverImage } from './outputs/cover.js';
import { renderDownloadPage, type PublishedFile } from './outputs/download-page.js';
import { packEpub } from './outputs/epub.js';
import { writeDocx } from './outputs/docx.js';
import { renderReviewPage } from './outputs/review-page.js';
import { printPagesOf, printPdf, type PrintedPdf } from './outputs/pdf.js';
import { unexplainedPdfUaWarning } from './pdf-postprocess/structure.js';
import { preparePublications, stageName, type LoadedLanguage, type PreparedLanguage, type ReviewSource } from './prepare.js';
import type { Publication } from './render/publication.js';

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
  /** Make a review copy, compared with this earlier version (scripts/review/). */
  review?: ReviewSource;
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
  /** Every language built (a review copy's say what changed); absent when `strict` stopped the build. */
  publications?: Publication[];
  /** A review copy of a text that has not changed since: nothing is written. */
  unchanged?: boolean;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const progress = namingFailures(options.progress ?? createProgress({ quiet: true }), options.input);
  // One browser prints every PDF edition of every language and draws the EPUBs' covers (unless drawn before).
  // Chromium takes a while to start: for a PDF it is certainly needed and starts now, before the manuscript is read.
  const browser = options.browser ?? new SharedBrowser(() => progress.stage('start browser', () => startBrowser(progress)));
  // A review copy may find that nothing changed: its browser starts only once there is something to print.
  if (options.formats.includes('pdf') && !options.review) browser.get().catch(() => undefined);
  // The cover needs only the front matter: it is drawn while the Markdown is rendered.
  const covers = new Map<Manuscript, Promise<CoverImage>>();
  const drawCover = ({ manuscript, lang }: LoadedLanguage) => {
    const drawing = progress.stage(stageName('draw cover', lang), () => makeCover(manuscript, () => browser.get()));
    drawing.catch(() => undefined);
    covers.set(manuscript, drawing);
  };
  try {
    const set = await preparePublications({
      ...options,
      progress,
      whileRendering: options.formats.includes('epub') && !options.review ? drawCover : undefined,
    });
    // With --strict a warning in any language stops them all before anything is printed.
    if (options.strict && set.warnings.length) return { files: [], warnings: set.warnings, published: [] };
    const publications = set.languages.map(({ publication }) => publication);
    if (options.review && publications.every((publication) => publication.review?.unchanged)) {
      return { files: [], warnings: set.warnings, published: [], publication: publications[0], publications, unchanged: true };
    }
    const built = await Promise.all(set.languages.map((language) => publish(language, covers.get(language.manuscript), options, browser, progress)));
    // A PDF without its PDF/UA claim for a reason no warning above gave is one more warning, of its language.
    const unclaimed = built.flatMap(({ verdicts }, index) => {
      const { document, manuscript, charactersWithoutFont } = set.languages[index]!;
      return unexplainedPdfUaWarning(verdicts, { ...document.accessibilityGaps, charactersWithoutFont }, manuscript.files[0]!.file.path!) ?? [];
    });
    const warnings = [...set.warnings, ...unclaimed];
    if (options.strict && unclaimed.length) return { files: [], warnings, published: [] };
    const [main, ...others] = built;
    // A review copy's page shows its text, marked, beside its PDF; a publication's lists its files.
    const reviewPages = () => Promise.all(set.languages.map((language) => renderReviewPage(language.publication, `${language.stem}.html`)));
    const pages = options.review
      ? options.formats.includes('pdf')
        ? await progress.stage('review page', reviewPages)
        : []
      : [await progress.stage('download page', () => renderDownloadPage(main!.publication, main!.files, main!.cover, others))];
    const companions = options.companions ? await progress.stage('companion files', () => options.companions!(main!.publication, main!.cover)) : [];
    const files = built.flatMap((edition) => edition.files);
    const written = await progress.stage('write outputs', () => writeOutputs(options.outDir, [...files, ...pages, ...companions]));
    return { files: written, warnings, published: files, publication: main!.publication, publications };
  } catch (error) {
    throw browser.explain(error);
  } finally {
    // When a later stage failed, a cover may still be opening its page: puppeteer then waits 30 s
    // for a page the closed browser never makes. It is let finish first.
    await Promise.all([...covers.values()].map((drawing) => drawing.catch(() => undefined)));
    if (!options.browser) await browser.close();
  }
}

/** print PDFs / pack EPUB / write Word, for one language; with what each PDF says of its PDF/UA claim. */
async function publish(
  { publication, stem, lang }: PreparedLanguage,
  drawing: Promise<CoverImage> | undefined,
  options: BuildOptions,
  browser: SharedBrowser,
  progress: Progress,
) {
  // The EPUB is packed once Chromium has been asked for every PDF: its first steps hold the main thread
  // for a while, which otherwise delayed opening the print pages by as much. Its page list comes from a
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
    ...(options.formats.includes('docx')
      ? [progress.stage(stageName('write Word', lang), () => writeDocx(publication)).then((bytes) => published(`${stem}.docx`, bytes))]
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

const published = (name: string, bytes: Uint8Array, pages?: number): PublishedFile => ({ name, bytes, pages });

