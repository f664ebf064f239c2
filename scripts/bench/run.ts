/**
 * npm run bench: how fast and how lean the build is, measured on this machine.
 *
 * 1. The article: the full default build (every edition and the EPUB), wall time: cold, with
 *    what builds keep emptied first (node_modules/.cache/massage-press/covers and trees, so the
 *    cover is drawn and the Markdown parsed), and warm, as a rebuild under the same front matter runs.
 * 2. A generated book of about 300 A4 pages: A4 + EPUB, three runs, per-stage times (the
 *    build's own --timings), pages per second and the peak memory (PSS) of the
 *    whole process tree, browser included.
 * 3. The floor: Chromium printing the same final HTML by itself, through the same DevTools call
 *    (chromium-floor.mjs), run after each book build, a cold build of its A4 PDF alone and one with
 *    the Markdown tree that build kept (as after a change of template), both printed whole, that one
 *    again printed in parts (`--print-parts`, at least two), and the ratios of the medians, build / floor. The load average is printed
 *    before and after. Then the floor of a book in parts: the HTML cut as the build cuts it (at
 *    least two parts), printed at once by Chromium alone;
 *    and, from the CPU time each run used, the least time any build in parts could take here.
 * `--scale` also builds a 1,000-page book, to show memory grows no faster than the book.
 * `--library` measures a library of 40 leaflets instead, against md-to-pdf (scripts/bench/library.ts;
 * `--profile` adds where its CPU time goes), and `--large`
 * the 5 MB manuscript and loading at 1, 2 and 5 MB (scripts/bench/large.ts).
 *
 * Each build is a child process running the real CLI, as a user runs it.
 */
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_SWITCHES } from '../browser/launch.js';
import { findBrowser } from '../browser/location.js';
import { preparePublications } from '../prepare.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { writeBenchBook } from './book.js';
import { benchLibrary } from './library.js';
import { benchLarge } from './large.js';
import { load, measure, median, peakPssMiB, range, type Measured } from './measure.js';
import { COVER_CACHE } from '../outputs/cover.js';
import { TREE_CACHE } from '../manuscript/kept-trees.js';
import { withRelativeResourceUrls } from '../base/resource.js';
import { PDFDocument } from 'pdf-lib';
import { cutIntoParts, partCount } from '../outputs/print-in-parts.js';

/** Emptied before a cold build, so that the cover is drawn and the Markdown parsed. */
const forgetKeptWork = () => Promise.all([COVER_CACHE, TREE_CACHE].map((folder) => rm(folder, { recursive: true, force: true }))).then(() => undefined);

/** The build as `npm run build` runs it. */
const buildCli = (args: string[]) => measure(process.execPath, [path.join(PROJECT_ROOT, 'scripts/cli/launch.mjs'), 'build', ...args]);

/** The floor's own script: a plain .mjs, run by Node without a compiler (chromium-floor.mjs). */
const FLOOR_SCRIPT = path.join(PROJECT_ROOT, 'scripts/bench/chromium-floor.mjs');

/**
 * Chromium printing the book's final A4 page straight from disk: the time no pipeline around it can beat.
 * Returns a run of the floor, and where it writes its PDF; each run starts Chromium with a fresh
 * profile and the build's start-up switches, as a build does, and prints through the same DevTools call.
 * `printInParts` is the floor of a book printed in parts: the same page cut at chapters into as many
 * documents as the machine has cores (at least two), printed at once in renderers of their own, by
 * Chromium alone, with nothing joined after.
 */
async function chromiumFloor(manuscriptFile: string, work: string) {
  const { publication } = (await preparePublications({ input: manuscriptFile })).languages[0]!;
  const site = path.join(work, 'floor-site');
  for (const [key, resource] of publication.print.resources) {
    await mkdir(path.dirname(path.join(site, key)), { recursive: true });
    await writeFile(path.join(site, key), resource.bytes);
  }
  // Opened from disk: its fonts named by their files beside it, not by the build's shared URLs.
  const html = withRelativeResourceUrls(publication.print.editions[0]!.html);
  await writeFile(path.join(site, 'index.html'), html);
  // The parts the build prints (outputs/print-in-parts.ts), at least two.
  const parts = cutIntoParts(html, partCount(html, Math.max(2, os.availableParallelism())));
  const pagesAndOutputs = await Promise.all(
    parts.map(async (part, index) => {
      await writeFile(path.join(site, `part-${index + 1}.html`), part);
      return [path.join(site, `part-${index + 1}.html`), path.join(work, `floor-part-${index + 1}.pdf`)];
    }),
  );
  let runs = 0;
  const { executablePath } = await findBrowser();
  const pdf = path.join(work, 'floor.pdf');
  const floorRun = (pages: string[]) => () =>
    measure(process.execPath, [FLOOR_SCRIPT, executablePath, path.join(work, `floor-profile-${(runs += 1)}`), JSON.stringify(CHROMIUM_SWITCHES), ...pages]);
  return { print: floorRun([path.join(site, 'index.html'), pdf]), printInParts: floorRun(pagesAndOutputs.flat()), partPdfs: pagesAndOutputs.map(([, out]) => out!), pdf, parts: parts.length };
}

async function pdfPageCount(file: string): Promise<number> {
  return (await PDFDocument.load(await readFile(file), { updateMetadata: false })).getPageCount();
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mib = (value: number) => `${Math.round(value)} MiB`;
const cpu = (run: Measured) => `${run.cpuSeconds.toFixed(2)} CPU-s`;


/**
 * Build the book `runs` times, A4 PDF + EPUB (its cover drawn each time) and the A4 PDF alone, each
 * followed by the floor when asked for it: the host's speed drifts, and alternating keeps builds and
 * floor in the same weather. The PDF alone against the floor is the print against Chromium's print.
 */
async function benchBook(work: string, chapters: number, label: string, runs: number, withFloor: boolean) {
  const folder = path.join(work, label);
  const book = await writeBenchBook(folder, chapters);
  const out = path.join(folder, 'out');
  const pdfOut = path.join(folder, 'out-pdf');
  const floor = withFloor ? await chromiumFloor(book, work) : undefined;
  console.log(`\n${label}: ${load()} at the start`);
  const builds: Measured[] = [];
  const pdfBuilds: Measured[] = [];
  const pdfKeptBuilds: Measured[] = [];
  const partsKeptBuilds: Measured[] = [];
  const floors: Measured[] = [];
  const floorsInParts: Measured[] = [];
  // Printed whole, as the floor prints it, whether or not the build would print it in parts on this machine.
  const buildPdf = () => buildCli([book, '--out', pdfOut, '--format', 'pdf', '--quiet', '--print-parts', '1']);
  for (let run = 0; run < runs; run++) {
    await forgetKeptWork();
    builds.push(await buildCli([book, '--out', out, '--format', 'pdf,epub', '--timings', '--quiet']));
    if (!floor) continue;
    await forgetKeptWork();
    pdfBuilds.push(await buildPdf());
    // As after a change of template, style or font: the text unchanged, its tree kept by the build before.
    pdfKeptBuilds.push(await buildPdf());
    // The same, printed in parts (at least two), whether or not the build would on this machine.
    partsKeptBuilds.push(await buildCli([book, '--out', pdfOut, '--format', 'pdf', '--quiet', '--print-parts', String(floor.parts)]));
    floors.push(await floor.print());
    floorsInParts.push(await floor.printInParts());
  }
  const built = median(builds);
  const pdf = path.join(out, (await readdir(out)).find((name) => name.endsWith('.pdf'))!);
  const pages = await pdfPageCount(pdf);
  const of = runs > 1 ? `, the median of ${runs} runs` : '';
  console.log(`${label}: ${chapters} chapters, ${pages} A4 pages, A4 PDF + EPUB${of}`);
  // The median build's own --timings table (each stage's start and wall time, ms), as it printed it.
  const timings = built.stdout.slice(built.stdout.indexOf('timings (ms):'));
  console.log(timings.trimEnd().replace(/^/gm, '  '));
  console.log(`  build wall        ${ms(built.wallMs)}  (${(pages / (built.wallMs / 1000)).toFixed(1)} pages/s${range(builds)})`);
  console.log(`  peak memory       ${mib(peakPssMiB(builds))} PSS, build process tree`);
  if (floor) {
    const pdfBuilt = median(pdfBuilds);
    const pdfKept = median(pdfKeptBuilds);
    const partsKept = median(partsKeptBuilds);
    const printed = median(floors);
    const inParts = median(floorsInParts);
    const floorPages = await pdfPageCount(floor.pdf);
    const partPages = await Promise.all(floor.partPdfs.map(pdfPageCount));
    const cores = os.availableParallelism();
    console.log(`  A4 PDF alone      ${ms(pdfBuilt.wallMs)}  (printed whole, ${(pages / (pdfBuilt.wallMs / 1000)).toFixed(1)} pages/s${range(pdfBuilds)}, ${mib(peakPssMiB(pdfBuilds))} peak, ${cpu(pdfBuilt)})`);
    console.log(`  text kept         ${ms(pdfKept.wallMs)}  (the A4 PDF alone again, printed whole, its Markdown tree kept by the build before, as after a change of template${range(pdfKeptBuilds)}, ${cpu(pdfKept)})`);
    console.log(`  printed in parts  ${ms(partsKept.wallMs)}  (the same, text kept, with --print-parts ${partPages.length}${range(partsKeptBuilds)}, ${cpu(partsKept)})`);
    console.log(`  chromium floor    ${ms(printed.wallMs)}  (Chromium's own print of the same HTML through DevTools, Page.printToPDF: ${floorPages} pages${range(floors)}, ${mib(peakPssMiB(floors))} peak, ${cpu(printed)})`);
    console.log(`  floor in ${partPages.length} parts  ${ms(inParts.wallMs)}  (the same HTML cut as the build cuts it, into ${partPages.length} documents of ${partPages.join(' + ')} pages, printed at once by Chromium alone, nothing joined${range(floorsInParts)}, ${cpu(inParts)})`);
    console.log(`  A4 PDF / floor    ${(pdfBuilt.wallMs / printed.wallMs).toFixed(2)}×  (ratio of the medians, same run)`);
    console.log(`  text kept / floor ${(pdfKept.wallMs / printed.wallMs).toFixed(2)}×`);
    console.log(`  in parts, kept / floor ${(partsKept.wallMs / printed.wallMs).toFixed(2)}×`);
    console.log(`  PDF + EPUB / floor ${(built.wallMs / printed.wallMs).toFixed(2)}×`);
    console.log(`  floor in parts / floor ${(inParts.wallMs / printed.wallMs).toFixed(2)}×`);
    // No build in parts can finish before its CPU time spread over every core: the parts' Chromium work,
    // and what the build does beyond Chromium's print (the A4 build's CPU time less the floor's).
    const atBest = (inParts.cpuSeconds + pdfBuilt.cpuSeconds - printed.cpuSeconds) / cores;
    console.log(`  in parts, at best ${(atBest * 1000 / printed.wallMs).toFixed(2)}× the floor  ((parts' CPU + the A4 build's CPU beyond the floor's) / ${cores} cores = ${atBest.toFixed(2)} s)`);
  }
  console.log(`  ${load()} at the end`);
  return { pages, peakPssMiB: peakPssMiB(builds) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'boolean', default: false },
      chapters: { type: 'string', default: '86' },
      library: { type: 'boolean', default: false },
      large: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
    },
  });
  const work = await mkdtemp(path.join(os.tmpdir(), 'press-bench-'));
  try {
    console.log(`massage-press bench on ${os.cpus().length} cores, Node ${process.version}`);
    // `--library` and `--large` measure only themselves: each takes minutes.
    if (values.library || values.large) {
      await buildCli(['--out', path.join(work, 'article'), '--quiet']);
      if (values.library) await benchLibrary(work, measure, forgetKeptWork, { profile: values.profile });
      if (values.large) await benchLarge(work, buildCli, forgetKeptWork);
      return;
    }
    // launch.mjs bundles the scripts on the first run after they change, and keeps V8's compiled code
    // from the first build: both done here, outside any measured run.
    await buildCli(['--out', path.join(work, 'article'), '--quiet']);
    // Short runs vary with what else the machine does: the median of five.
    const article = async (cold: boolean) => {
      const runs: Measured[] = [];
      for (let run = 0; run < 5; run++) {
        if (cold) await forgetKeptWork();
        runs.push(await buildCli(['--out', path.join(work, 'article'), '--quiet']));
      }
      return `${ms(median(runs).wallMs)} wall (median of 5${range(runs)}), ${mib(peakPssMiB(runs))} peak`;
    };
    console.log(`\narticle, full default build (all editions + EPUB): ${await article(true)}`);
    console.log(`  rebuilt, its cover drawn and its text parsed before:  ${await article(false)}`);

    const book = await benchBook(work, Number(values.chapters), 'book', 3, true);
    if (values.scale) {
      const large = await benchBook(work, Math.round((Number(values.chapters) * 1000) / book.pages), 'scale', 1, false);
      const perPage = (run: { pages: number; peakPssMiB: number }) => run.peakPssMiB / run.pages;
      console.log(`  memory per page   ${perPage(book).toFixed(2)} MiB at ${book.pages} pages, ${perPage(large).toFixed(2)} MiB at ${large.pages} pages`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
