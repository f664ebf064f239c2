/**
 * The coordinator's side of a library built on a BullMQ queue: each leaflet to build
 * becomes a job carrying its files; workers anywhere (`npm run worker`) take them; the
 * coordinator waits for each, writes its outputs into dist/<slug>/ as they come back, and
 * shows the queue's progress (queued, active, done, failed, and the rate).
 *
 * Jobs are retried with backoff when a worker fails for a reason not the leaflet's (its
 * browser crashed, it was killed: BullMQ's stalled-job check gives the job to another
 * worker). A leaflet with a mistake fails once, and its problems come back with their places.
 * The outputs are written here, atomically, once per leaflet, whichever worker built them.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { problem } from '../base/problems.js';
import { writeOutputs } from '../base/write-outputs.js';
import type { ClaimSlug, LeafletBuilder } from './build-library.js';
import { LeafletFailed, refuseLinks, type LeafletBuildOptions } from './build-leaflet.js';
import {
  contentFailureSchema,
  DEFAULT_MAX_JOB_BYTES,
  formatMB,
  leafletResultSchema,
  QUEUE_NAME,
  receiveProblem,
  type LeafletJob,
} from './job.js';
import type { Library } from './config.js';
import { connectRedis, redactRedisUrl } from './redis.js';

export interface QueueOptions {
  url: string;
  outDir: string;
  /** Progress lines; none when not given. */
  report?: (line: string) => void;
  maxJobBytes?: number;
  /** How often the progress line is printed, ms. */
  progressEvery?: number;
}

export function queueBuilder(options: QueueOptions) {
  return (library: Library, buildOptions: LeafletBuildOptions, claimSlug: ClaimSlug): LeafletBuilder => {
    const report = options.report ?? (() => {});
    const connection = connectRedis(options.url, report);
    const queue = new Queue(QUEUE_NAME, { connection });
    // BullMQ leaves connections it is given open: both are closed here.
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    const listening = events.waitUntilReady();
    const run = randomBytes(6).toString('hex');
    const counts = { added: 0, active: new Set<string>(), done: 0, failed: 0 };
    const ours = (jobId: string) => jobId.startsWith(`${run}-`);
    events.on('active', ({ jobId }) => ours(jobId) && counts.active.add(jobId));
    events.on('completed', ({ jobId }) => ours(jobId) && counts.active.delete(jobId));
    events.on('failed', ({ jobId }) => ours(jobId) && counts.active.delete(jobId));
    const started = performance.now();
    let warnedNoWorker = false;
    const progress = setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      const queued = counts.added - counts.done - counts.failed - counts.active.size;
      report(`queue: ${queued} queued, ${counts.active.size} active, ${counts.done} done, ${counts.failed} failed (${(counts.done / seconds).toFixed(2)} leaflets/s)`);
      if (!warnedNoWorker && seconds > 5 && counts.active.size === 0 && counts.done === 0) {
        void queue.getWorkersCount().then((workers) => {
          if (workers > 0 || warnedNoWorker) return;
          warnedNoWorker = true;
          report(`no worker is taking jobs from ${redactRedisUrl(options.url)}: start one with \`npm run worker -- --redis <url>\``);
        }, () => undefined);
      }
    }, options.progressEvery ?? 2000);
    let index = 0;

    return {
      async build(leaflet) {
        refuseLinks(library.root, leaflet);
        const files = await Promise.all(
          leaflet.files.map(async (file) => ({ path: file, base64: (await readFile(path.join(library.root, file))).toString('base64') })),
        );
        const bytes = files.reduce((sum, file) => sum + Math.floor((file.base64.length * 3) / 4), 0);
        const limit = options.maxJobBytes ?? DEFAULT_MAX_JOB_BYTES;
        if (bytes > limit) {
          throw problem(`the leaflet's files are ${formatMB(bytes)}, more than a queue job may carry (${formatMB(limit)})`, {
            file: leaflet.input,
            hint: 'Make its pictures smaller, or build this library without --queue.',
          });
        }
        const jobId = `${run}-${(index += 1)}`;
        const outputsKey = `massage-press:outputs:${jobId}`;
        const data: LeafletJob = {
          leaflet: leaflet.id,
          files,
          library: { title: library.config.title, defaults: library.config.defaults, logo: library.config.logo, downloadBaseUrl: library.config.downloadBaseUrl },
          options: { formats: [...buildOptions.formats], strict: buildOptions.strict, buildTime: buildOptions.buildTime.toISOString() },
          outputsKey,
        };
        await listening;
        const job = await queue.add('leaflet', data, {
          jobId,
          attempts: 3,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: true,
          removeOnFail: true,
        });
        counts.added += 1;
        const inLibrary = (file: string) => path.join(library.root, file);
        try {
          let returned: unknown;
          try {
            returned = await job.waitUntilFinished(events);
          } catch (error) {
            counts.failed += 1;
            const reason = (error as Error).message;
            const content = contentFailureSchema.safeParse(safeJson(reason));
            if (content.success) throw new LeafletFailed(content.data.problems.map((sent) => receiveProblem(sent, inLibrary)));
            throw problem(`a worker could not build the leaflet: ${reason}`, { file: leaflet.input, hint: 'See the worker\'s log; the job was tried 3 times.' });
          }
          const result = leafletResultSchema.parse(returned);
          claimSlug(result.entry.slug, leaflet);
          const stored = await connection.hgetallBuffer(outputsKey);
          const missing = result.outputs.filter((name) => !stored[name]);
          if (missing.length) throw problem(`the worker's outputs are missing from Redis: ${missing.join(', ')}`, { file: leaflet.input });
          await writeOutputs(path.join(options.outDir, result.entry.slug), result.outputs.map((name) => ({ name, bytes: stored[name]! })));
          counts.done += 1;
          return { entry: result.entry, warnings: result.warnings.map((sent) => receiveProblem(sent, inLibrary)) };
        } finally {
          await connection.del(outputsKey).catch(() => undefined);
        }
      },
      async close() {
        clearInterval(progress);
        await events.close();
        await queue.close();
        await Promise.all([connection, eventsConnection].map((client) => client.quit().catch(() => client.disconnect())));
      },
    };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
