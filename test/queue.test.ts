/**
 * A library built on a BullMQ queue by real worker processes (`npm run worker`) against a
 * real redis-server: the same outputs as a build in one process; a worker killed in the
 * middle of a job loses nothing; a leaflet with a mistake fails once, with its place; crafted
 * jobs are refused without a retry and read nothing outside their folder; passwords and TLS
 * work, and no secret reaches a log.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../scripts/library/job.js';
import { cli, startCli, startScript } from './support/cli.js';
import { copyLibrary, filesWithTimes } from './support/library.js';
import { readOpdsFeed } from './support/opds.js';
import { startRedisServer, type RedisServer } from '../scripts/dev-tools/redis-server.js';

const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const SOURCE_DATE_EPOCH = '1700000000';
const SLUGS = ['caring-for-tired-feet', 'gentle-calf-stretches', 'looking-after-your-back'];

interface RunningWorker {
  process: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

const workers: RunningWorker[] = [];

/**
 * `npm run worker`, one job at a time, looking every second for jobs whose worker has gone. Its own jobs keep
 * the default lock of a minute, renewed every half minute: a worker slowed down by a busy machine keeps them.
 */
function startWorker(url: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): RunningWorker {
  const child = startScript('worker', ['--redis', url, '--jobs', '1', '--stalled-interval', '1000', '--max-job-size', '1', ...args], { SOURCE_DATE_EPOCH, ...env });
  let output = '';
  const waiting: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void; reject: (error: Error) => void }[] = [];
  const check = () => {
    for (const waiter of waiting.splice(0)) {
      const match = output.match(waiter.pattern);
      if (match) waiter.resolve(match);
      else waiting.push(waiter);
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()));
  child.stderr!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()));
  // A worker that ends while a test waits for it: the test fails with what it printed.
  child.once('exit', (code, signal) => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error(`the worker ended (${code ?? signal}) before printing ${waiter.pattern}:\n${output}`));
  });
  const worker: RunningWorker = {
    process: child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        waiting.push({ pattern, resolve, reject });
        check();
      }),
  };
  workers.push(worker);
  return worker;
}

async function stopWorkers() {
  await Promise.all(
    workers.splice(0).map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

const builtIn = (stdout: string) => [...stdout.matchAll(/^built (\S+) →/gm)].map((match) => match[1]).sort();

describe('a library on a queue', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
  });
  afterEach(stopWorkers);
  afterAll(async () => {
    await stopWorkers();
    await redis?.stop();
  });

  it('is built by three workers into the same files as in one process, and a leaflet with a mistake fails once, at its place', async () => {
    const ready = [startWorker(redis.url), startWorker(redis.url), startWorker(redis.url)];
    await Promise.all(ready.map((worker) => worker.waitFor(/^worker ready/m)));
    const { library, out } = await copyLibrary();
    const queued = await cli([library, '--out', out, '--queue', redis.url], { SOURCE_DATE_EPOCH });
    expect(queued.code, queued.stderr).toBe(0);
    expect(builtIn(queued.stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    // More than one worker took part.
    expect(ready.filter((worker) => /^built /m.test(worker.output())).length).toBeGreaterThan(1);

    const direct = path.join(path.dirname(out), 'direct');
    const inProcess = await cli([library, '--out', direct], { SOURCE_DATE_EPOCH });
    expect(inProcess.code, inProcess.stderr).toBe(0);
    const listed = async (folder: string) => [...(await filesWithTimes(folder)).keys()].filter((file) => file !== '.library-cache.json').sort();
    expect(await listed(out)).toEqual(await listed(direct));
    for (const file of await listed(out)) {
      if (file.endsWith('.pdf') || file.endsWith('.png')) continue;
      expect((await readFile(path.join(out, file))).equals(await readFile(path.join(direct, file))), file).toBe(true);
    }

    // A mistake: not retried, reported with its place in the library.
    await appendFile(path.join(library, 'tired-feet.md'), '\nSee [the stretches](#no-such-heading).\n');
    const broken = await cli([library, '--out', out, '--queue', redis.url], { SOURCE_DATE_EPOCH });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^3 leaflets: 0 built, 1 failed, 2 unchanged/m);
    expect(broken.stderr).toMatch(new RegExp(`${path.join(library, 'tired-feet.md').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:5: error .*no-such-heading`));
    const tries = ready.map((worker) => worker.output().match(/^building tired-feet\.md .*$/gm) ?? []).flat();
    // Once in the first build, once for the mistake: never a second try.
    expect(tries).toHaveLength(2);
    expect(tries.every((line) => line.endsWith('try 1)'))).toBe(true);

    for (const text of [queued.stdout, queued.stderr, broken.stdout, broken.stderr, ...ready.map((worker) => worker.output())]) expect(text).not.toContain(PASSWORD);
    expect(ready[0]!.output()).toContain(`on redis://:***@127.0.0.1:${redis.port},`);
  });

  it('loses nothing when a worker is killed in the middle of a job: the library completes, each leaflet built once', async () => {
    // The worker to be killed is held in the middle of its job: its browser never answers (a stand-in that reads
    // its pipe until the worker is gone), so it is killed building, whatever the machine's speed. Its lock lasts
    // 2 s: that long after it is killed, another worker's check finds its job without a worker.
    const neverAnswers = path.join(await mkdtemp(path.join(os.tmpdir(), 'press-browser-')), 'never-answers');
    await writeFile(neverAnswers, '#!/bin/sh\ncat <&3 >/dev/null\n', { mode: 0o755 });
    const first = startWorker(redis.url, { PUPPETEER_EXECUTABLE_PATH: neverAnswers }, ['--lock-duration', '2000']);
    const others = [startWorker(redis.url), startWorker(redis.url)];
    await Promise.all([first, ...others].map((worker) => worker.waitFor(/^worker ready/m)));
    const { library, out } = await copyLibrary();
    const coordinator = startCli([library, '--out', out, '--queue', redis.url, '--jobs', '3'], { SOURCE_DATE_EPOCH });
    let stdout = '';
    let stderr = '';
    coordinator.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    coordinator.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<number>((resolve) => coordinator.once('exit', (code) => resolve(code ?? 1)));

    const [, leaflet] = (await first.waitFor(/^building (\S+) \(job/m)) as RegExpMatchArray;
    first.process.kill('SIGKILL');
    expect(await done, stderr).toBe(0);
    expect(first.output()).not.toMatch(/^built /m);
    // Another worker built the job the killed one had taken.
    expect(others.some((worker) => worker.output().includes(`built ${leaflet} `))).toBe(true);

    expect(builtIn(stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect((await readdir(out)).sort()).toEqual(['.library-cache.json', '404.html', 'catalog.xml', 'fonts', 'index.html', 'sitemap.xml', ...SLUGS].sort());
    for (const slug of SLUGS) {
      const files = await readdir(path.join(out, slug));
      expect(files.filter((name) => name.endsWith('.tmp')), slug).toEqual([]);
      expect(files, slug).toContain(`${slug}.epub`);
      expect(files, slug).toContain(`${slug}-a4.pdf`);
    }
    const { opds1 } = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    expect(opds1.Entries.map((entry) => entry.Title).sort()).toEqual(['Caring for Tired Feet', 'Gentle Calf Stretches', 'Looking After Your Back']);
  });

  it('refuses crafted jobs without retrying them, and reads nothing outside a job', async () => {
    const worker = startWorker(redis.url);
    await worker.waitFor(/^worker ready/m);
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    // A picture outside any job folder, which a crafted manuscript points at.
    const secretName = `press-secret-${randomBytes(4).toString('hex')}.png`;
    const secret = path.join(os.tmpdir(), secretName);
    await writeFile(secret, await readFile(path.join(import.meta.dirname, 'fixtures', 'library', 'back-care', 'images', 'foot-zones.png')));
    try {
      await events.waitUntilReady();
      const manuscript = (body: string) => Buffer.from(`---\ntitle: Crafted\nauthor: Stranger\n---\n\n# Crafted\n\n${body}\n`).toString('base64');
      const crafted = (files: unknown[]) => ({
        leaflet: 'leaflet.md',
        files,
        library: { title: 'Crafted', defaults: {} },
        options: { formats: ['epub'], strict: false, buildTime: '2026-11-30T08:00:00.000Z' },
        outputsKey: `massage-press:outputs:crafted-${randomBytes(4).toString('hex')}`,
      });
      const cases: [string, unknown, RegExp][] = [
        ['climbs out', crafted([{ path: 'leaflet.md', base64: manuscript('Hello.') }, { path: '../../escaped.md', base64: manuscript('Out.') }]), /^refused: file name refused: "\.\.\/\.\.\/escaped\.md"/],
        ['absolute', crafted([{ path: '/etc/cron.d/press', base64: manuscript('Out.') }, { path: 'leaflet.md', base64: manuscript('Hi.') }]), /^refused: file name refused: "\/etc\/cron\.d\/press"/],
        ['a link', crafted([{ path: 'leaflet.md', base64: manuscript('Hi.') }, { path: 'images/x.png', base64: '', symlink: secret }]), /^refused: not a massage-press leaflet job: files\.1 Unrecognized key: "symlink"/],
        ['too large', crafted([{ path: 'leaflet.md', base64: manuscript('Hi.') }, { path: 'big.png', base64: 'A'.repeat(1_600_000) }]), /^refused: the job's files are 1\.2 MB, over the limit of 1\.0 MB/],
      ];
      for (const [name, data, reason] of cases) {
        const job = await queue.add('leaflet', data, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
        await expect(job.waitUntilFinished(events), name).rejects.toThrow(reason);
        const failed = (await Job.fromId(queue, job.id!))!;
        expect(failed.attemptsMade, name).toBe(1);
        await failed.remove();
      }
      expect(existsSync(path.join(os.tmpdir(), 'escaped.md'))).toBe(false);

      // A manuscript that points at a picture outside its folder: a mistake in the leaflet, reported at its place, not retried.
      const outside = crafted([{ path: 'leaflet.md', base64: manuscript(`![A secret](../../../${secretName})`) }]) as { outputsKey: string };
      const job = await queue.add('leaflet', outside, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
      const failure = await job.waitUntilFinished(events).then(
        () => undefined,
        (error: Error) => JSON.parse(error.message) as { problems: { reason: string; file: string; line: number; column: number }[] },
      );
      // Among the leaflet's other problems (its warnings too, each at its place).
      const outsideImage = failure?.problems.find((found) => /^image outside the manuscript folder/.test(found.reason));
      expect(outsideImage).toMatchObject({ file: 'leaflet.md', line: 8, column: 1 });
      expect((await Job.fromId(queue, job.id!))!.attemptsMade).toBe(1);
      expect(await connection.exists(outside.outputsKey)).toBe(0);
      expect(worker.output()).toMatch(/^refused job \d+: file name refused/m);
    } finally {
      await rm(secret, { force: true });
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([connection.quit(), eventsConnection.quit()]);
    }
  });
});

describe('a queue over TLS', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD, tls: true });
  });
  afterAll(async () => {
    await stopWorkers();
    await redis?.stop();
  });

  it('works with rediss:// and a password, and no secret is printed', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const trust = { NODE_EXTRA_CA_CERTS: redis.caFile! };
    const worker = startWorker(redis.url, trust);
    await worker.waitFor(/^worker ready/m);
    const { library, out } = await copyLibrary();
    const { code, stdout, stderr } = await cli([library, '--out', out, '--queue', '--format', 'epub'], { ...trust, REDIS_URL: redis.url });
    expect(code, stderr).toBe(0);
    expect(builtIn(stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    for (const text of [stdout, stderr, worker.output()]) expect(text).not.toContain(PASSWORD);
    expect(worker.output()).toContain(`on rediss://:***@127.0.0.1:${redis.port},`);
  });
});
