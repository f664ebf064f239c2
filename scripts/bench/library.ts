/**
 * `npm run bench -- --library`: a library of 40 leaflets made from the article, each
 * under its own title, built as a user builds it (the CLI, as a child process):
 *
 * 1. cold (no record of earlier builds, no covers drawn before): leaflets per second, peak memory;
 * 2. again with no change: the aim is under a second for the 40;
 * 3. after editing one leaflet: only it is built again;
 * 4. through a BullMQ queue on a local redis-server, with 1, 2 and 3 worker processes
 *    (each started and ready before the clock starts), every leaflet built (`--force`,
 *    covers drawn before, as in the direct run it is compared with), and the queue's
 *    overhead against the direct build of the same library in the same run.
 *
 * Translated editions have not landed yet: the library is in one language.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../base/project-root.js';
import { startRedisServer } from '../dev-tools/redis-server.js';

export interface Measured {
  wallMs: number;
  peakPssMiB: number;
  stdout: string;
}

export type Measure = (command: string, args: string[]) => Promise<Measured>;

export const LEAFLETS = 40;

/** 40 leaflets: the article under 40 titles (so 40 covers, slugs and identifiers), and a library.yaml. */
export async function writeBenchLibrary(folder: string, leaflets = LEAFLETS): Promise<string[]> {
  const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
  await mkdir(folder, { recursive: true });
  await writeFile(
    path.join(folder, 'library.yaml'),
    ['title: Home Massage Health Library', 'description: Patient leaflets for the bench.', 'publisher: Home Massage Health Library', 'downloadBaseUrl: https://example.com/leaflets/', ''].join('\n'),
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
const median = (runs: Measured[]) => runs.toSorted((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
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

export async function benchLibrary(work: string, measure: Measure, forgetDrawnCovers: () => Promise<void>): Promise<void> {
  const library = path.join(work, 'library');
  const out = path.join(work, 'library-dist');
  const files = await writeBenchLibrary(library);
  const build = (...args: string[]) => measure(process.execPath, [launch, 'build', library, '--out', out, '--quiet', ...args]);
  console.log(`\nlibrary: ${LEAFLETS} leaflets (the article under ${LEAFLETS} titles), every edition and the EPUB, --jobs ${os.availableParallelism()} (the cores)`);

  await forgetDrawnCovers();
  const cold = await build();
  console.log(`  cold build        ${seconds(cold.wallMs)}  (${builtCount(cold.stdout)} built, ${(LEAFLETS / (cold.wallMs / 1000)).toFixed(2)} leaflets/s), ${Math.round(cold.peakPssMiB)} MiB peak PSS`);

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
}
