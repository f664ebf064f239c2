/**
 * How the bench measures a command: its wall time, the peak memory (PSS) and the CPU time of it and
 * every process it starts, Chromium included; and how repeated runs are summed up.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { PROJECT_ROOT } from '../base/project-root.js';

export interface Measured {
  wallMs: number;
  peakPssMiB: number;
  /**
   * CPU seconds of the whole process tree, each process's as last sampled: at least what it used, short
   * of what a process used in its last fifth of a second.
   */
  cpuSeconds: number;
  stdout: string;
}

export type Measure = (command: string, args: string[], options?: MeasureOptions) => Promise<Measured>;


export interface MeasureOptions {
  /** `ignore`, or `capture` to read it with stdout (a peer's own failure messages); shown by default. */
  stderr?: 'inherit' | 'ignore' | 'capture';
  env?: NodeJS.ProcessEnv;
  /** The project folder by default. */
  cwd?: string;
  /** A peer that fails some files exits non-zero; its run still counts. */
  anyExit?: boolean;
}

/** Run a command, sampling the memory and CPU time of it and all its descendants. */
export async function measure(command: string, args: string[], options: MeasureOptions = {}): Promise<Measured> {
  const started = performance.now();
  const stderr = options.stderr ?? 'inherit';
  const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', stderr === 'capture' ? 'pipe' : stderr] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let peak = 0;
  const cpuSecondsByProcess = new Map<number, number>();
  let sampling = false;
  // Every 200 ms, one sample at a time: reading /proc costs CPU the build would otherwise have.
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void sampleTree(child.pid!, cpuSecondsByProcess)
      .then((kib) => (peak = Math.max(peak, kib)))
      .finally(() => (sampling = false));
  }, 200);
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  clearInterval(sampler);
  if (code !== 0 && !options.anyExit) throw new Error(`${command} ${args.join(' ')} exited ${code}`);
  const cpuSeconds = [...cpuSecondsByProcess.values()].reduce((sum, seconds) => sum + seconds, 0);
  return { wallMs: performance.now() - started, peakPssMiB: peak / 1024, cpuSeconds, stdout };
}

/** USER_HZ: /proc counts CPU time in hundredths of a second on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The CPU time in a process's or thread's `/proc/…/stat`: its utime and stime, the 14th and 15th fields. */
export function cpuSecondsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * The proportional set size (KiB) of a process and its descendants, shared pages counted once across the
 * tree; and, into `cpuSeconds`, the CPU time each has used so far, its threads' (ended ones too) together.
 */
async function sampleTree(root: number, cpuSeconds: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, stat] of await processTree(root)) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    cpuSeconds.set(pid, cpuSecondsOf(stat));
  }
  return total;
}

/** A process and its descendants, by the parents /proc gives (Linux), each with its `/proc/PID/stat` as read. */
export async function processTree(root: number): Promise<Map<number, string>> {
  const stats = new Map<number, string>();
  for (const name of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (stat) stats.set(Number(name), stat);
  }
  const parents = new Map([...stats].map(([pid, stat]) => [pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])]));
  const inTree = (pid: number): boolean => pid === root || (parents.has(pid) && pid !== parents.get(pid) && inTree(parents.get(pid)!));
  return new Map([...stats].filter(([pid]) => inTree(pid)));
}

const ms = (value: number) => `${Math.round(value)} ms`;

/** Repeated runs: the median run, the range of their wall times (`, 1500 ms–1700 ms`) and their highest memory. */
export const median = (runs: Measured[]): Measured => runs.toSorted((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
export const range = (runs: Measured[]) => (runs.length > 1 ? `, ${ms(Math.min(...runs.map((run) => run.wallMs)))}–${ms(Math.max(...runs.map((run) => run.wallMs)))}` : '');
export const peakPssMiB = (runs: Measured[]) => Math.max(...runs.map((run) => run.peakPssMiB));

/** Other work on the machine, which slows every run: printed with the runs it weighs on. */
export const load = () => `load average ${os.loadavg().map((value) => value.toFixed(2)).join(', ')} (1, 5, 15 min)`;
