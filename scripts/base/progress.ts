/**
 * What the build tells a person while it works: each stage with its time as
 * it finishes, then each output with its size and pages. Quiet in CI
 * (CI=true) and with --quiet, where a log of timings is noise; the stage
 * times are kept either way, so a `--timings` report can reuse them.
 */
import { isProblem, problem } from './problems.js';

export interface StageTiming {
  stage: string;
  /** When the stage began, from the start of the build: stages overlap, and this shows how. */
  startedAt: number;
  milliseconds: number;
}

export interface Progress {
  /** Run one stage of the build, timing it. */
  stage<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** A line for a person between the stages (which browser prints, say); left out when quiet. */
  note(text: string): void;
  /** Every stage run so far, in the order they finished. */
  readonly timings: readonly StageTiming[];
  readonly quiet: boolean;
}

export interface ProgressOptions {
  quiet?: boolean;
  /** Where progress goes; stderr, so that stdout carries only the results. */
  write?: (text: string) => void;
  now?: () => number;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const quiet = options.quiet ?? false;
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const now = options.now ?? (() => performance.now());
  const timings: StageTiming[] = [];
  const buildStart = now();
  return {
    quiet,
    timings,
    note(text) {
      if (!quiet) write(`  ${text}\n`);
    },
    async stage(name, work) {
      const start = now();
      const result = await work();
      const milliseconds = now() - start;
      timings.push({ stage: name, startedAt: start - buildStart, milliseconds });
      if (!quiet) write(`  ${name.padEnd(18)} ${formatDuration(milliseconds).padStart(8)}\n`);
      return result;
    },
  };
}

/**
 * The same stages, but an error that is not already a problem of the manuscript (a browser that went
 * away, a timeout, a bug) is reported as one: which stage failed, and on which manuscript. On a busy
 * machine a large book's print once failed with "Navigation timeout of 30000 ms exceeded" and nothing
 * else: no stage, no file.
 */
/** The rule of a problem that is a stage's failure, not the manuscript's: worth trying again. */
export const STAGE_FAILED = 'stage-failed';

export function namingFailures(progress: Progress, manuscript: string): Progress {
  return {
    get quiet() {
      return progress.quiet;
    },
    get timings() {
      return progress.timings;
    },
    note: (text) => progress.note(text),
    stage: (name, work) =>
      progress.stage(name, work).catch((cause: unknown) => {
        if (isProblem(cause)) throw cause;
        throw problem(`${name} failed: ${(cause as Error)?.message ?? String(cause)}`, {
          file: manuscript,
          ruleId: STAGE_FAILED,
          hint: 'This is not a mistake in the manuscript: run the build again, with --debug for the stack trace, and report it if it fails again.',
          cause,
        });
      }),
  };
}

/**
 * The `--timings` report: each stage's start (from the start of the build) and its wall
 * time, in whole milliseconds, then the total. Stages run side by side (the editions print
 * while the EPUB is packed), so the total is the build's wall time, not their sum.
 */
export function formatTimings(timings: readonly StageTiming[], totalMilliseconds: number): string {
  const rows = [...timings.map(({ stage, startedAt, milliseconds }) => [stage, startedAt, milliseconds] as const), ['total', 0, totalMilliseconds] as const];
  const width = Math.max(...rows.map(([stage]) => stage.length));
  const row = (stage: string, start: string, wall: string) => `  ${stage.padEnd(width)}  ${start.padStart(7)}  ${wall.padStart(7)}\n`;
  return `timings (ms):\n${row('', 'start', 'wall')}${rows.map(([stage, start, ms]) => row(stage, String(Math.round(start)), String(Math.round(ms)))).join('')}`;
}

/** Quiet when asked, and in CI, where CI=true is set by every common service. */
export function quietFromEnv(asked: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return asked || env.CI === 'true' || env.CI === '1';
}

export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(2)} s`;
}

/** File sizes as people read them (SI units, as file managers on macOS and GNOME show them). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
