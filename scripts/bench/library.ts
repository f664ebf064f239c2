/**
 * `npm run bench -- --library`: a library of 40 leaflets made from the article, each
 * under its own title, built as a user builds it (the CLI, as a child process):
 *
 * 1. A4 PDF only, cold, against md-to-pdf 5.2.5 on the same 40 files with the same Chromium
 *    (md-to-pdf.ts), in turns, three rounds: the medians and their ratio; and ours again after each cold
 *    build, every leaflet built with the Markdown trees that build kept, as after a change of template;
 * 2. the default build (the editions, the EPUB and the web edition), cold (no record of earlier builds, no covers drawn
 *    and no Markdown trees kept before), three runs: leaflets per second, peak memory; then, as cold, the A4 and large-print editions and the EPUB
 *    alone (`editions: [a4, large-print]`, `--format pdf,epub`);
 * 3. again with no change: the aim is under a second for the 40;
 * 4. after editing one leaflet: only it is built again;
 * 5. through a BullMQ queue on a local redis-server, with 1, 2 and 3 worker processes
 *    (each started and ready before the clock starts), every leaflet built (`--force`,
 *    covers drawn before, as in the direct run it is compared with), and the queue's
 *    overhead against the direct build of the same library in the same run.
 * With `--profile`, one more cold build of the default editions, profiled: the CPU-seconds of each
 * stage and of each of Chromium's processes (cpu-profile.ts).
 * The load average (other work on the machine) is printed before and after.
 *
 * Translated editions have not landed yet: the library is in one language.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../base/project-root.js';
import { startRedisServer } from '../dev-tools/redis-server.js';
import { DEFAULT_JOBS } from '../library/build-library.js';
import { formatCpuProfile, profileBuild } from './cpu-profile.js';
import { installMdToPdf, MD_TO_PDF_VERSION, runMdToPdf, type PeerRun } from './md-to-pdf.js';
import { load, median, type Measure, type Measured } from './measure.js';

export const LEAFLETS = 40;

/**
 * 40 leaflets: the article under 40 titles (so 40 covers, slugs and identifiers), and a library.yaml
 * (with `libraryExtra`'s lines, `editions: [a4]` say).
 */
export async function writeBenchLibrary(folder: string, leaflets = LEAFLETS, libraryExtra: string[] = []): Promise<string[]> {
  const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
  await mkdir(folder, { recursive: true });
  await writeFile(
    path.join(folder, 'library.yaml'),
    ['title: Home Massage Health Library', 'description: Patient leaflets for the bench.', 'publisher: Home Massage Health Library', 'downloadBaseUrl: https://example.com/leaflets/', ...libraryExtra, ''].join('\n'),
  );
  const files = [];
  for (let number = 1; number <= leaflets; number++) {
    const title = `The Many Benefits of Foot Massage, Leaflet ${number}`;
    const text = article
      .replace(/^title: .*$/m, `title: ${title}`)
      .replace(/^identifier: .*\n/m, '')
      .replace(/^downloadUrl: .*\n/m, '')
      .replace(/^# .*$/m, `# ${title}`);
    const file = path.join(folder, `leaflet-${String(number).padStart(2, '0')}.md`);
    await writeFile(file, text);
    files.push(file);
  }
  return files;
}

const launch = path.join(PROJECT_ROOT, 'scripts', 'cli', 'launch.mjs');
const ms = (value: number) => `${Math.round(value)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const builtCount = (stdout: string) => Number(/(\d+) built/.exec(stdout)?.[1] ?? NaN);

/** A started process, resolved once it has printed `ready`. */
function startUntil(command: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}):\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function benchLibrary(work: string, measure: Measure, forgetKeptWork: () => Promise<void>, { profile = false } = {}): Promise<void> {
  const library = path.join(work, 'library');
  const out = path.join(work, 'library-dist');
  const files = await writeBenchLibrary(library);
  const build = (...args: string[]) => measure(process.execPath, [launch, 'build', library, '--out', out, '--quiet', ...args]);
  console.log(`\nlibrary: ${LEAFLETS} leaflets (the article under ${LEAFLETS} titles), --jobs ${DEFAULT_JOBS} (the default: twice the ${os.availableParallelism()} cores); ${load()}`);

  await compareWithMdToPdf(work, measure, forgetKeptWork);

  // Cold: no record of earlier builds (a new output folder), no cover drawn and no Markdown tree kept before. Three runs, and their line.
  const coldBuilds = async (label: string, output: string, buildOnce: () => Promise<Measured>) => {
    const colds: Measured[] = [];
    for (let run = 0; run < 3; run++) {
      await rm(output, { recursive: true, force: true });
      await forgetKeptWork();
      colds.push(await buildOnce());
    }
    const cold = median(colds);
    console.log(
      `  ${label}, cold: ${seconds(cold.wallMs)}  (median of 3, ${colds.map((run) => seconds(run.wallMs)).join(', ')}; ` +
        `${builtCount(cold.stdout)} built, ${(LEAFLETS / (cold.wallMs / 1000)).toFixed(2)} leaflets/s), ${Math.round(Math.max(...colds.map((run) => run.peakPssMiB)))} MiB peak PSS`,
    );
  };
  await coldBuilds('default build (A4, US Letter and large-print PDFs, the EPUB, the web edition)', out, () => build());

  // What the target names: the A4 and large-print editions and the EPUB, no US Letter, no web edition.
  const libraryTwoEditions = path.join(work, 'library-a4-large-print');
  const outTwoEditions = path.join(work, 'library-a4-large-print-dist');
  await writeBenchLibrary(libraryTwoEditions, LEAFLETS, ['editions: [a4, large-print]']);
  await coldBuilds('A4 and large-print PDFs and the EPUB (--format pdf,epub)', outTwoEditions, () =>
    measure(process.execPath, [launch, 'build', libraryTwoEditions, '--out', outTwoEditions, '--quiet', '--format', 'pdf,epub']),
  );

  const unchanged: Measured[] = [];
  for (let run = 0; run < 5; run++) unchanged.push(await build());
  const quiet = median(unchanged);
  console.log(`  no change         ${ms(quiet.wallMs)}  (median of 5, ${Math.min(...unchanged.map((run) => Math.round(run.wallMs)))}–${Math.max(...unchanged.map((run) => Math.round(run.wallMs)))} ms; ${builtCount(quiet.stdout)} built), ${Math.round(quiet.peakPssMiB)} MiB peak`);

  await appendFile(files[16]!, '\nOne more sentence, to edit one leaflet.\n');
  const edited = await build();
  console.log(`  one leaflet edited ${seconds(edited.wallMs)}  (${builtCount(edited.stdout)} built), ${Math.round(edited.peakPssMiB)} MiB peak`);

  // The direct build the queue is compared with: every leaflet, covers drawn before.
  const direct = await build('--force');
  console.log(`  direct, --force   ${seconds(direct.wallMs)}  (${(LEAFLETS / (direct.wallMs / 1000)).toFixed(2)} leaflets/s, covers drawn before), ${Math.round(direct.peakPssMiB)} MiB peak`);

  // The tests' redis-server (Debian's package, installed when missing), on a free loopback port.
  const redis = await startRedisServer();
  const url = redis.url;
  try {
    for (const count of [1, 2, 3]) {
      const workers = await Promise.all(Array.from({ length: count }, () => startUntil(process.execPath, [launch, 'worker', '--redis', url], /worker ready/)));
      try {
        const queued = await build('--force', '--queue', url);
        console.log(
          `  queue, ${count} worker${count > 1 ? 's' : ' '}   ${seconds(queued.wallMs)}  (${builtCount(queued.stdout)} built, ${(LEAFLETS / (queued.wallMs / 1000)).toFixed(2)} leaflets/s, ${(queued.wallMs / direct.wallMs).toFixed(2)}× the direct build)`,
        );
      } finally {
        await Promise.all(workers.map(stop));
      }
    }
  } finally {
    await redis.stop();
  }

  if (profile) {
    await rm(out, { recursive: true, force: true });
    await forgetKeptWork();
    const report = await profileBuild([launch, 'build', library, '--out', out, '--quiet'], PROJECT_ROOT);
    console.log(`\n  profile of a cold build, default editions + EPUB (CPU-seconds; ${load()})`);
    console.log(formatCpuProfile(report, LEAFLETS));
  }
  console.log(`  ${load()}`);
}

/**
 * The A4 PDF alone, cold, for the same 40 files: the project (a library whose leaflets ask for A4 only,
 * `--format pdf`, into a new folder each time) and md-to-pdf, in turns, three rounds.
 */
async function compareWithMdToPdf(work: string, measure: Measure, forgetKeptWork: () => Promise<void>): Promise<void> {
  const library = path.join(work, 'library-a4');
  const files = await writeBenchLibrary(library, LEAFLETS, ['editions: [a4]']);
  await installMdToPdf();
  const ours: Measured[] = [];
  const oursKept: Measured[] = [];
  const theirs: PeerRun[] = [];
  for (let round = 0; round < 3; round++) {
    const out = path.join(work, `library-a4-dist-${round}`);
    const buildA4 = () => measure(process.execPath, [launch, 'build', library, '--out', out, '--quiet', '--format', 'pdf']);
    await forgetKeptWork();
    ours.push(await buildA4());
    // As after a change of template, style or font: every leaflet built again, the Markdown trees kept by the build before.
    await rm(out, { recursive: true, force: true });
    oursKept.push(await buildA4());
    // md-to-pdf writes each PDF beside its Markdown: a folder of fresh copies each round.
    const peerFolder = path.join(work, `md-to-pdf-${round}`);
    await mkdir(peerFolder, { recursive: true });
    const copies = await Promise.all(files.map(async (file) => {
      const copy = path.join(peerFolder, path.basename(file));
      await copyFile(file, copy);
      return copy;
    }));
    theirs.push(await runMdToPdf(peerFolder, copies, (command, args, options) => measure(command, args, { ...options, stderr: 'capture', anyExit: true })));
    await rm(out, { recursive: true, force: true });
  }
  const project = median(ours);
  // A run of md-to-pdf that left files unprinted waited out its 30 s navigation timeout: its time says nothing of
  // its speed, and would flatter the ratio. The ratio is taken against the runs that printed every file.
  const failed = theirs.filter((run) => run.written < LEAFLETS);
  const complete = theirs.filter((run) => run.written === LEAFLETS).toSorted((a, b) => a.wallMs - b.wallMs);
  const peer = complete[Math.floor((complete.length - 1) / 2)];
  console.log(`  A4 PDF only, cold: massage-press ${seconds(project.wallMs)} (${ours.map((run) => seconds(run.wallMs)).join(', ')}; ${(LEAFLETS / (project.wallMs / 1000)).toFixed(2)} leaflets/s), ${Math.round(Math.max(...ours.map((run) => run.peakPssMiB)))} MiB peak, ${project.cpuSeconds.toFixed(1)} CPU-s`);
  const runs = theirs.map((run) => `${seconds(run.wallMs)}: ${run.written} PDFs`).join(', ');
  if (!peer) {
    console.log(`                     md-to-pdf ${MD_TO_PDF_VERSION}: no run printed all ${LEAFLETS} files (${runs}); no ratio`);
  } else {
    const of = complete.length === 1 ? 'its one complete run' : `the median of its ${complete.length} complete runs`;
    console.log(`                     md-to-pdf ${MD_TO_PDF_VERSION} ${seconds(peer.wallMs)}, ${of} (${runs}), ${peer.cpuSeconds.toFixed(1)} CPU-s`);
    console.log(`                     massage-press / md-to-pdf ${(project.wallMs / peer.wallMs).toFixed(2)}× (same run); CPU time ${(project.cpuSeconds / peer.cpuSeconds).toFixed(2)}×`);
    const kept = median(oursKept);
    console.log(
      `                     text kept (as after a template change): massage-press ${seconds(kept.wallMs)} (${oursKept.map((run) => seconds(run.wallMs)).join(', ')}), ${kept.cpuSeconds.toFixed(1)} CPU-s: ` +
        `${(kept.wallMs / peer.wallMs).toFixed(2)}× md-to-pdf; CPU time ${(kept.cpuSeconds / peer.cpuSeconds).toFixed(2)}×`,
    );
  }
  if (failed.length) console.log(`                     md-to-pdf left files unprinted in ${failed.length} of 3 runs: ${[...new Set(failed.flatMap((run) => run.failures))].join('; ') || 'no message'}`);
}
