/**
 * massage-press: Markdown manuscript → typeset PDF handout and EPUB.
 *
 *   prepare (load, check, render, templates) → print PDFs / pack EPUB / write Word → web edition → write dist/
 *
 * A review copy (`review`, scripts/review/) goes the same way: prepared with every change since an
 * earlier version marked, printed on A4 and written as Word, with a review page in place of the
 * web edition; nothing is written when nothing changed.
 * A manuscript's translations (foot-massage.es.md beside foot-massage.md) go the same way, each as a
 * publication of its own, sharing the one browser; the web edition has a page for each language,
 * each with its own files at its top, linked to one another.
 * The command line is scripts/cli/build.ts; a library builds each leaflet with this same `build()`.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import type { VFileMessage } from 'vfile-message';
import type { Format } from './base/formats.js';
import { EDITIONS, editionFileName, imposedFileName, pressFileName, relativePageCount, type EditionId } from './base/editions.js';
import { collectGarbage } from './base/garbage.js';
import { ManuscriptProblems } from './base/problems.js';
import { createProgress, namingFailures, type Progress } from './base/progress.js';
import { writeOutputs, type OutputFile } from './base/write-outputs.js';
import { describeBrowser, launchBrowser } from './browser/launch.js';
import { SharedBrowser } from './browser/shared-browser.js';
import type { Manuscript } from './manuscript/load.js';
import { makeCover, type CoverImage } from './outputs/cover.js';
import type { PublishedFile } from './outputs/published-files.js';
import { renderWebEdition, type WebLibrary } from './outputs/web-edition.js';
import { bookletPages, imposeBooklet, printingInstructions } from './outputs/booklet.js';
import { packEpub } from './outputs/epub.js';
import { writeDocx } from './outputs/docx.js';
import { renderReviewPage } from './outputs/review-page.js';
import { printPagesOf, printPdf, type PrintedPdf } from './outputs/pdf.js';
import { unexplainedPdfUaWarning } from './pdf-postprocess/structure.js';
import { overrunMessage } from './pdf-postprocess/fit-pages.js';
import { preparePublications, stageName, type LoadedLanguage, type PreparedLanguage, type ReviewSource } from './prepare.js';
import type { PrintEdition, Publication } from './render/publication.js';

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
  /** The library the publication is a leaflet of: its web edition links the catalogue and names it. */
  library?: WebLibrary;
  /** Make a review copy, compared with this earlier version (scripts/review/). */
  review?: ReviewSource;
  /** How many parts a long book's PDFs are printed in at once (outputs/print-in-parts.ts): by the machine's cores when not given; 1 prints them whole. */
  printParts?: number;
}

export interface BuildResult {
  /** The files written; none when `strict` and there are warnings. */
  files: string[];
  /** Non-fatal problems in the manuscript (vfile messages), in reading order. */
  warnings: VFileMessage[];
  /** The PDF and EPUB files, with their pages, as written. */
  published: PublishedFile[];
  /**
   * Each language built, the source's first: its publication, its files and its page of the web edition (none without
   * the `web` format). Empty when `strict` stopped the build.
   */
  languages: { publication: Publication; files: PublishedFile[]; webPage?: { name: string; bytes: number } }[];
  /** A review copy of a text that has not changed since: nothing is written. */
  unchanged?: boolean;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const progress = namingFailures(options.progress ?? createProgress({ quiet: true }), options.input);
  // One browser prints every PDF edition of every language (the covers are drawn without it: outputs/cover.ts).
  // Chromium takes a while to start: for a PDF it is certainly needed and starts now, before the manuscript is read.
  const browser = options.browser ?? new SharedBrowser(() => progress.stage('start browser', () => startBrowser(progress)));
  // A review copy may find that nothing changed: its browser starts only once there is something to print.
  if (options.formats.includes('pdf') && !options.review) browser.get().catch(() => undefined);
  // The cover needs only the front matter: it is drawn while the Markdown is rendered.
  const covers = new Map<Manuscript, Promise<CoverImage>>();
  // The EPUB packs it; the web edition offers it to link previews.
  const needsCover = options.formats.includes('epub') || options.formats.includes('web');
  const drawCover = ({ manuscript, lang }: LoadedLanguage) => {
    const drawing = progress.stage(stageName('draw cover', lang), () => makeCover(manuscript));
    drawing.catch(() => undefined);
    covers.set(manuscript, drawing);
  };
  try {
    const set = await preparePublications({
      ...options,
      progress,
      whileRendering: needsCover && !options.review ? drawCover : undefined,
    });
    // With --strict a warning in any language stops them all before anything is printed.
    if (options.strict && set.warnings.length) return { files: [], warnings: set.warnings, published: [], languages: [] };
    if (options.review && set.languages.every(({ publication }) => publication.review?.unchanged)) {
      const languages = set.languages.map(({ publication }) => ({ publication, files: [] }));
      return { files: [], warnings: set.warnings, published: [], languages, unchanged: true };
    }
    const built = await Promise.all(set.languages.map((language) => publish(language, covers.get(language.manuscript), options, browser, progress)));
    // A PDF without its PDF/UA claim for a reason no warning above gave is one more warning, of its language.
    const unclaimed = built.flatMap(({ verdicts }, index) => {
      const { document, manuscript, charactersWithoutFont } = set.languages[index]!;
      return unexplainedPdfUaWarning(verdicts, { ...document.accessibilityGaps, charactersWithoutFont }, manuscript.files[0]!.file.path!) ?? [];
    });
    // A leaflet that runs over the pages it asks for even when fitted: a warning, by how many lines; a tri-fold's text that runs over its panels: an error.
    const overruns = built.flatMap(({ overruns }, index) => overruns.map(({ edition, over }) => overrunMessage(set.languages[index]!.manuscript, EDITIONS[edition], over)));
    const warnings = [...set.warnings, ...unclaimed, ...overruns];
    if (overruns.some((message) => message.fatal)) throw new ManuscriptProblems(warnings);
    if (options.strict && (unclaimed.length || overruns.length)) return { files: [], warnings, published: [], languages: [] };
    const main = built[0]!;
    // A publication's web edition lists its files; a review copy's page shows its text, marked, beside its PDF.
    const web = options.formats.includes('web') && !options.review ? await progress.stage('web edition', () => renderWebEdition(built, main.cover, options.library)) : [];
    const reviewPages =
      options.review && options.formats.includes('pdf')
        ? await progress.stage('review page', () => Promise.all(set.languages.map((language) => renderReviewPage(language.publication, `${language.stem}.html`))))
        : [];
    const companions = options.companions ? await progress.stage('companion files', () => options.companions!(main.publication, main.cover)) : [];
    const files = built.flatMap((edition) => edition.files);
    // A library's cover image is the web edition's too: written once.
    const extra = [...web, ...reviewPages, ...companions.filter((file) => !web.some((made) => made.name === file.name))];
    const written = await progress.stage('write outputs', () => writeOutputs(options.outDir, [...files, ...extra]));
    const languages = built.map(({ publication, files }) => {
      const page = web.find((file) => file.name === publication.web.page);
      return { publication, files, webPage: page && { name: page.name, bytes: page.bytes.byteLength } };
    });
    return { files: written, warnings, published: files, languages };
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
  const pressing = new Map<EditionId, Promise<PrintedPdf>>();
  // Each print holds its whole layout in the renderer while it prints, and its PDF in Node while it is
  // finished: a large publication's editions print one after another, so that memory holds one of them at a
  // time, and its EPUB is packed after them, not beside a layout. One renderer had laid them out one after
  // another anyway. Node's garbage is collected before each, as Node waits idle through the print
  // (base/garbage.ts), and the edition of most pages (large print) goes first: each edition's post-processing
  // leaves Node's memory higher afterwards, even once collected, so the largest layout is laid out beside the
  // least of it (docs/performance.md).
  const large = publication.print.editions.some((edition) => edition.html.length > LARGE_DOCUMENT);
  const inTurn = pLimit(large ? 1 : Number.POSITIVE_INFINITY);
  /** One print of an edition: the reading copy, or the press file (front matter `press`, or an edition for the press only). */
  const print = (edition: PrintEdition, forPress: boolean) => {
    let sent!: () => void;
    printsSent.push(new Promise((resolve) => (sent = resolve)));
    const stage = `print ${forPress ? 'press PDF' : 'PDF'} (${lang ? `${lang} ` : ''}${edition.id})`;
    const printed = browser
      .get()
      .then((ready) =>
        inTurn(() => {
          if (large) collectGarbage();
          return progress.stage(stage, () => printPdf(ready, publication, edition, sent, { forPress, parts: options.printParts }));
        }),
      )
      .finally(() => sent());
    (forPress ? pressing : printing).set(edition.id, printed);
  };
  const pdf = options.formats.includes('pdf');
  const readingCopies = pdf ? publication.print.editions.filter((edition) => !EDITIONS[edition.id].pressOnly) : [];
  const pressCopies = pdf ? publication.print.editions.filter((edition) => EDITIONS[edition.id].pressOnly || publication.metadata.press) : [];
  const queued = [...readingCopies.map((edition) => ({ edition, forPress: false })), ...pressCopies.map((edition) => ({ edition, forPress: true }))];
  const pagesOf = ({ edition }: (typeof queued)[number]) => relativePageCount(EDITIONS[edition.id]);
  for (const { edition, forPress } of large ? queued.sort((a, b) => pagesOf(b) - pagesOf(a)) : queued) print(edition, forPress);
  const files = await Promise.all([
    ...readingCopies.map((edition) =>
      printing.get(edition.id)!.then(async ({ bytes, pages, blocks }) => [
        published(editionFileName(stem, edition.id), bytes, pages),
        // A booklet's pages imposed on sheets for the office printer, which the build says how to print.
        ...(EDITIONS[edition.id].fold?.kind === 'booklet' ? [await impose(edition.id, bytes, pages, blocks.imprintPage)] : []),
      ]),
    ),
    ...pressCopies.map((edition) => pressing.get(edition.id)!.then(({ bytes, pages }) => [published(pressFileName(stem, edition.id), bytes, pages)])),
    ...(options.formats.includes('docx')
      ? [progress.stage(stageName('write Word', lang), () => writeDocx(publication)).then((bytes) => published(`${stem}.docx`, bytes))]
      : []),
    ...(drawing && options.formats.includes('epub')
      ? [
          Promise.all(printsSent)
            .then(() => inTurn(() => progress.stage(stageName('pack EPUB', lang), () => packEpub(publication, drawing, printPagesOf(printing, stem)))))
            .then((bytes) => [published(`${stem}.epub`, bytes)]),
        ]
      : []),
  ]).then((lists) => lists.flat());

  async function impose(id: EditionId, bytes: Uint8Array, pages: number, closingPage: number | undefined) {
    const sheets = await progress.stage(stageName(`impose ${id}`, lang), () => imposeBooklet(bytes, id, publication, closingPage));
    progress.note(`${imposedFileName(stem, id)}: ${printingInstructions(id, pages)}`);
    return published(imposedFileName(stem, id), sheets, bookletPages(pages) / 2);
  }

  const printed = await Promise.all(printing.values());
  const verdicts = printed.map(({ pdfUa }) => pdfUa);
  // An edition for the press only has no reading copy: its press print tells of an overrun instead.
  const prints = [...printing.entries(), ...[...pressing.entries()].filter(([id]) => !printing.has(id))];
  const overruns = (await Promise.all(prints.map(async ([edition, promise]) => ({ edition, over: (await promise).over })))).flatMap(({ edition, over }) => (over ? [{ edition, over }] : []));
  return { publication, stem, files, cover: await drawing, verdicts, overruns };
}

/** A print page's HTML above this many characters (a book of some 900 A4 pages) is a large publication's: its editions print in turn. */
const LARGE_DOCUMENT = 2_000_000;

/** Chromium, said which on one line; the first build on a machine with none unpacks the bundled one first, and says so. */
async function startBrowser(progress: Progress) {
  const browser = await launchBrowser({
    onUnpack: (folder) => progress.note(`unpacking the bundled Chromium into ${path.relative(process.cwd(), folder) || folder} (once)`),
  });
  progress.note(`browser ${await describeBrowser(browser)}`);
  return browser;
}

const published = (name: string, bytes: Uint8Array, pages?: number): PublishedFile => ({ name, bytes, pages });

