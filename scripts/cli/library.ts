/**
 * `npm run build -- library/`: the build CLI's way with a library. Each leaflet is
 * reported as it is done, every problem at its `file:line:column`, and at the end a
 * summary ("38 built, 1 failed, 41 unchanged"); the exit code is 1 when any leaflet failed.
 */
import path from 'node:path';
import type { CliOptions } from './options.js';
import { describeFile } from '../outputs/published-files.js';
import { formatDuration } from '../base/progress.js';
import { formatProblem } from '../base/problems.js';
import { buildLibrary, type LeafletEvent } from '../library/build-library.js';

export interface LibraryCliOptions extends CliOptions {
  /** Progress lines on stderr (the queue's counts); none when quiet. */
  quiet: boolean;
}

export async function libraryMain(options: LibraryCliOptions): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const onLeaflet = (event: LeafletEvent) => {
    if (event.status === 'failed') {
      err(`failed ${event.leaflet}`);
      for (const found of event.problems) err(formatProblem(found));
      return;
    }
    for (const warning of event.warnings) err(formatProblem(warning));
    const files = event.entry.files.map((file) => `${file.name} (${describeFile(file)})`).join(', ');
    out(`built ${event.leaflet} → ${shown(path.join(options.outDir, event.entry.slug))}/ in ${formatDuration(event.milliseconds)}: ${files}`);
  };
  const result = await buildLibrary({
    input: options.input,
    outDir: options.outDir,
    formats: options.formats,
    strict: options.strict,
    force: options.force,
    jobs: options.jobs,
    reviewReport: options.reviewReport,
    // BullMQ and ioredis are loaded only for a queue: every other build starts without them.
    builder: options.queue ? (await import('../library/queue.js')).queueBuilder({ url: options.queue, outDir: options.outDir, report: options.quiet ? undefined : err }) : undefined,
    onLeaflet,
  });
  if (result.cacheIgnored) err(`note: the record of earlier builds was not used (${result.cacheIgnored}): every leaflet was built`);
  for (const file of result.written) out(`wrote ${shown(file)}`);
  const total = result.built.length + result.failed.length + result.unchanged.length;
  out(
    `${total} leaflet${total === 1 ? '' : 's'}: ${result.built.length} built, ${result.failed.length} failed, ${result.unchanged.length} unchanged` +
      ` in ${formatDuration(performance.now() - started)}; the catalogue lists ${result.entries.length}`,
  );
  if (result.failed.length) {
    err(`\n${result.failed.length} leaflet${result.failed.length === 1 ? '' : 's'} failed:`);
    for (const { problems } of result.failed) for (const found of problems) err(formatProblem(found));
  }
  return result.failed.length ? 1 : 0;
}
