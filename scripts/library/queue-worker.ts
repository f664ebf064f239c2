/**
 * A queue worker: takes one leaflet per job, writes the job's files into a folder of its
 * own, builds every edition there with buildLeaflet (one browser for all its jobs, the same
 * offline, JavaScript-off pages as any build), and puts the outputs back in Redis for the
 * coordinator. The folder is removed after each job, built or not.
 *
 * A job refused (a file name that climbs out of its folder, too large, not a job of ours)
 * or a leaflet with a mistake fails at once, without retries (BullMQ's UnrecoverableError),
 * and says why; anything else (the browser died) is thrown as it is, for BullMQ to retry.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { SharedBrowser } from '../browser/shared-browser.js';
import { formatProblem, isProblem, ManuscriptProblems } from '../base/problems.js';
import { STAGE_FAILED } from '../base/progress.js';
import { problemsOf } from './build-library.js';
import { buildLeaflet, LeafletFailed } from './build-leaflet.js';
import { JobRefused, QUEUE_NAME, readJob, sendProblem, type LeafletJob, type LeafletResult } from './job.js';
import type { LeafletSource } from './config.js';
import { connectRedis } from './redis.js';

export interface WorkerOptions {
  url: string;
  /** Jobs built at once. */
  concurrency: number;
  maxJobBytes: number;
  /** How long a job's lock lasts without renewal before another worker may take the job over, ms. */
  lockDuration: number;
  /** How often this worker looks for jobs whose worker is gone, ms. */
  stalledInterval: number;
  report: (line: string) => void;
}

/** How long the outputs wait in Redis for the coordinator: an hour. */
const OUTPUTS_TTL_SECONDS = 3600;

export async function startWorker(options: WorkerOptions): Promise<{ close(): Promise<void>; worker: Worker }> {
  const connection = connectRedis(options.url, options.report);
  const browser = new SharedBrowser();
  const worker = new Worker(QUEUE_NAME, (job: Job) => processJob(job, connection, browser, options), {
    connection,
    concurrency: options.concurrency,
    lockDuration: options.lockDuration,
    stalledInterval: options.stalledInterval,
    maxStalledCount: 2,
  });
  worker.on('error', (error) => options.report(`worker error: ${error.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      await browser.close();
      await connection.quit().catch(() => undefined);
    },
  };
}

async function processJob(job: Job, connection: Redis, browser: SharedBrowser, options: WorkerOptions): Promise<LeafletResult> {
  const started = performance.now();
  let data: LeafletJob;
  try {
    data = readJob(job.data, options.maxJobBytes);
  } catch (error) {
    if (!(error instanceof JobRefused)) throw error;
    options.report(`refused job ${job.id}: ${error.message}`);
    throw new UnrecoverableError(`refused: ${error.message}`);
  }
  options.report(`building ${data.leaflet} (job ${job.id}, try ${job.attemptsMade + 1})`);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'massage-press-job-'));
  const root = path.join(folder, 'library');
  const outDir = path.join(folder, 'out');
  const relative = (file: string) => (file.startsWith(`${root}${path.sep}`) ? path.relative(root, file).split(path.sep).join('/') : path.basename(file));
  try {
    for (const file of data.files) {
      const target = path.join(root, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      // `wx`: a new plain file, never through anything already there.
      await writeFile(target, Buffer.from(file.base64, 'base64'), { flag: 'wx' });
    }
    const leaflet: LeafletSource = { id: data.leaflet, input: path.join(root, ...data.leaflet.split('/')), files: data.files.map((file) => file.path), links: [] };
    const { library, options: buildOptions } = data;
    let built;
    try {
      built = await buildLeaflet(leaflet, {
        root,
        config: { title: library.title, defaults: library.defaults, logo: library.logo, downloadBaseUrl: library.downloadBaseUrl },
        outDir,
        browser,
        options: { formats: buildOptions.formats, strict: buildOptions.strict, buildTime: new Date(buildOptions.buildTime) },
      });
    } catch (error) {
      // A mistake in the leaflet fails the same on every try: not retried. Anything else is, here or on another worker.
      if (!isContentFailure(error, root)) throw error;
      const problems = problemsOf(error, leaflet);
      options.report(`failed ${data.leaflet} (job ${job.id}):\n${problems.map((found) => formatProblem(found)).join('\n')}`);
      throw new UnrecoverableError(JSON.stringify({ problems: problems.map((found) => sendProblem(found, relative)) }));
    }
    const folderOfOutputs = path.join(outDir, built.entry.slug);
    // Named from the leaflet's folder: the web edition's fonts and images are in folders of their own.
    const outputs = built.written.map((file) => path.relative(folderOfOutputs, file).split(path.sep).join('/'));
    const stored = await Promise.all(outputs.map(async (name) => [name, await readFile(path.join(folderOfOutputs, name))] as const));
    await connection
      .multi()
      .del(data.outputsKey)
      .hset(data.outputsKey, Object.fromEntries(stored))
      .expire(data.outputsKey, OUTPUTS_TTL_SECONDS)
      .exec();
    options.report(`built ${data.leaflet} (job ${job.id}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { entry: built.entry, warnings: built.warnings.map((warning) => sendProblem(warning, relative)), outputs };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * A failure of the leaflet itself: its warnings under --strict, or a problem found in one of its
 * files. Not a stage that failed (the browser went away), nor a problem of the machine (no file,
 * or the output folder).
 */
function isContentFailure(error: unknown, root: string): boolean {
  if (error instanceof LeafletFailed || error instanceof ManuscriptProblems) return true;
  return isProblem(error) && error.ruleId !== STAGE_FAILED && typeof error.file === 'string' && error.file.startsWith(`${root}${path.sep}`);
}
