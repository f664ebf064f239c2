/**
 * `npm run worker -- --redis redis://host:6379`: a worker that builds a library's leaflets
 * from a BullMQ queue, for any coordinator (`npm run build -- library/ --queue <url>`) that
 * uses the same Redis. Start as many as there are machines (or cores) to spare; each runs
 * one browser. Ctrl-C or SIGTERM stops it; a job it was building is tried again by another worker.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatProblem, isProblem, problem } from '../base/problems.js';
import { runMain } from './run-main.js';
import { DEFAULT_MAX_JOB_BYTES, QUEUE_NAME } from '../library/job.js';
import { redactRedisUrl } from '../library/redis.js';
import { startWorker } from '../library/queue-worker.js';
import { cleanUpOnSignal } from '../base/signals.js';

export const WORKER_HELP = `Usage: npm run worker -- --redis <url> [options]

Builds the leaflets of libraries sent to a BullMQ queue (\`npm run build -- library/ --queue <url>\`).

Options:
  --redis <url>         the Redis server: redis://host:6379, redis://:password@host:6379, or
                        rediss://… for TLS (default: REDIS_URL); the password is never printed
  --jobs <n>            leaflets built at once (default: the number of cores)
  --max-job-size <MB>   refuse jobs whose files add up to more (default: ${DEFAULT_MAX_JOB_BYTES / 1e6})
  --lock-duration <ms>  how long a job stays this worker's without news before another worker
                        takes it over (default: 60000)
  --stalled-interval <ms>
                        how often this worker looks for jobs whose worker has gone (default: half
                        the lock duration, at least 1000)
  -h, --help            show this help
`;

async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        redis: { type: 'string' },
        jobs: { type: 'string' },
        'max-job-size': { type: 'string' },
        'lock-duration': { type: 'string' },
        'stalled-interval': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(WORKER_HELP);
      return 0;
    }
    const url = values.redis ?? process.env.REDIS_URL;
    if (!url || !/^rediss?:\/\//.test(url)) {
      throw problem('the worker needs the URL of a Redis server (redis:// or rediss://)', { hint: 'Pass --redis redis://host:6379 or set REDIS_URL.' });
    }
    const number = (name: string, value: string | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const parsed = Number(value);
      if (!(parsed > 0)) throw problem(`--${name} must be a number above 0, not ${value}`);
      return parsed;
    };
    const lockDuration = number('lock-duration', values['lock-duration'], 60_000);
    const report = (line: string) => process.stdout.write(`${line}\n`);
    const worker = await startWorker({
      url,
      concurrency: Math.round(number('jobs', values.jobs, os.availableParallelism())),
      maxJobBytes: number('max-job-size', values['max-job-size'], DEFAULT_MAX_JOB_BYTES / 1e6) * 1e6,
      lockDuration,
      stalledInterval: number('stalled-interval', values['stalled-interval'], Math.max(1000, Math.round(lockDuration / 2))),
      report,
    });
    report(`worker ready: queue ${QUEUE_NAME} on ${redactRedisUrl(url)}, ${worker.worker.opts.concurrency} at once`);
    // Until stopped: Ctrl-C or SIGTERM closes the worker (its jobs go back to the queue) and its browser.
    await new Promise<void>((resolve) => {
      cleanUpOnSignal(async () => {
        report('stopping the worker');
        await worker.close();
        resolve();
      });
    });
    return 0;
  } catch (error) {
    process.stderr.write(`${isProblem(error) ? formatProblem(error) : (error as Error).message}\n`);
    return 1;
  }
}

runMain(main);
