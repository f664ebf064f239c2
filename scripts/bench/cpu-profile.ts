/**
 * `npm run bench -- --library --profile`: where a library build's CPU time goes, by stage.
 *
 * Two measurements of one build, taken together:
 * - every process and thread of the build's tree (Node, Chromium's browser process and its
 *   threads, the renderer, the print compositor), its CPU time read from /proc ten times a
 *   second, the last reading of each kept: Chromium's share, which no Node profiler sees;
 * - V8's sampling profile of the Node process (`--cpu-prof`), each sample charged to the
 *   innermost of our own modules on its stack, and that module to a stage of the pipeline
 *   (the bundle that launch.mjs runs marks where each module begins with a `// path` line).
 * Linux only (/proc); the Node profile costs a few per cent of the build's time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../base/project-root.js';
import { cpuSecondsOf, processTree } from './measure.js';

/** Each stage of the Node side, by the first of our modules that matches, innermost on the stack. */
const STAGES: readonly [RegExp, string][] = [
  [/^scripts\/(manuscript|languages)\//, 'load, front matter, checks'],
  [/^scripts\/fonts\/text-setting/, 'cover: text shaped and broken'],
  [/^scripts\/fonts\//, 'fonts chosen and sliced'],
  [/^scripts\/render\/(ebook|xhtml|epub-)/, 'EPUB: chapters (XHTML)'],
  [/^scripts\/render\/cover-page/, 'cover: SVG made'],
  [/^scripts\/render\//, 'Markdown render and templates'],
  [/^scripts\/browser\/locked-page/, 'print: page opened, its files served over CDP'],
  [/^scripts\/outputs\/pdf\.ts/, 'print: Chromium asked, PDF metadata'],
  [/^scripts\/pdf-postprocess\/chromium-pdf/, 'PDF: read and written again (object streams)'],
  [/^scripts\/pdf-postprocess\/(artifacts|untagged|content-tokens)/, 'PDF: running heads marked as artifacts'],
  [/^scripts\/pdf-postprocess\/text-layer/, 'PDF: text layer repaired'],
  [/^scripts\/pdf-postprocess\/structure/, 'PDF: structure tree (PDF/UA)'],
  [/^scripts\/pdf-postprocess\/hyphenation/, 'PDF: hyphenation rules (justified only)'],
  [/^scripts\/pdf-postprocess\//, 'PDF: other post-processing'],
  [/^scripts\/outputs\/cover/, 'cover: rasterised (resvg, on libuv threads: not in this profile)'],
  [/^scripts\/library\/thumbnail/, 'cover: thumbnail'],
  [/^scripts\/outputs\/epub/, 'EPUB: packed'],
  [/^scripts\/outputs\/download-page/, 'download page'],
  [/^scripts\/base\/write-outputs/, 'files written'],
  [/^scripts\/library\/(cache|build-library)/, 'library: plan, hashes, record'],
  [/^scripts\/library\//, 'library: catalogue, feeds, leaflet'],
  [/^scripts\/browser\//, 'browser: found, started, stopped'],
  [/^scripts\//, 'other of ours'],
];

/** Work with none of our frames on its stack, by the module doing it. */
const UNOWNED: readonly [RegExp, string][] = [
  [/^\(idle\)$/, 'idle'],
  [/^\(garbage collector\)$/, 'garbage collection'],
  [/puppeteer-core|rxjs|debug\//, 'CDP messages (puppeteer), not under a stage'],
  [/^\(program\)$|^$/, 'V8 and Node themselves'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfileReport {
  wallMs: number;
  /** CPU seconds of each process kind and thread, from /proc. */
  threads: Map<string, number>;
  /** CPU seconds of the Node main thread by stage (idle excluded). */
  nodeStages: Map<string, number>;
}

/**
 * Run `node scripts/cli/launch.mjs build …` (`nodeArgs`) with V8's profiler, reading the CPU time of its
 * whole process tree as it runs. The bundle the launcher ran is the newest of the build's in its cache.
 */
export async function profileBuild(nodeArgs: string[], cwd: string): Promise<CpuProfileReport> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-profile-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${folder}`, ...nodeArgs], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const threads = new Map<string, { kind: string; seconds: number }>();
  const kinds = new Map<number, string>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sampleTree(child.pid!, kinds, threads);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  sampling = false;
  await sampler;
  if (code !== 0) throw new Error(`the profiled build exited ${code}`);
  const wallMs = performance.now() - started;
  const byKind = new Map<string, number>();
  for (const { kind, seconds } of threads.values()) byKind.set(kind, (byKind.get(kind) ?? 0) + seconds);
  const profile = (await readdir(folder)).find((name) => name.endsWith('.cpuprofile'))!;
  return { wallMs, threads: byKind, nodeStages: await nodeStages(path.join(folder, profile), await newestBuildBundle()) };
}

const BUNDLES = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press');

async function newestBuildBundle(): Promise<string> {
  const bundles = (await readdir(BUNDLES)).filter((name) => /^build-.*\.cjs$/.test(name)).map((name) => path.join(BUNDLES, name));
  const times = await Promise.all(bundles.map(async (file) => (await stat(file)).mtimeMs));
  return bundles[times.indexOf(Math.max(...times))]!;
}

async function sampleTree(root: number, kinds: Map<number, string>, threads: Map<string, { kind: string; seconds: number }>): Promise<void> {
  for (const pid of (await processTree(root)).keys()) {
    // A renderer starts as a fork of the zygote, under its command line: asked again until it says what it is.
    if (!kinds.has(pid) || kinds.get(pid)!.endsWith('zygote')) kinds.set(pid, (await processKind(pid)) ?? kinds.get(pid) ?? 'gone');
    for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
      const stat = await readFile(`/proc/${pid}/task/${task}/stat`, 'utf8').catch(() => '');
      if (!stat) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
      const kind = kinds.get(pid)!;
      threads.set(`${pid}/${task}`, { kind: `${kind}: ${name}`, seconds: cpuSecondsOf(stat) });
    }
  }
}

/** `node`, `Chromium browser`, `Chromium renderer`, `Chromium utility` (the print compositor)… */
async function processKind(pid: number): Promise<string | undefined> {
  // Chromium's children retitle themselves: their whole command line then reads as one argument.
  const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split(/[\0 ]/);
  if (!command[0]) return undefined;
  if (path.basename(command[0] ?? '') === path.basename(process.execPath)) return 'Node';
  const type = command.find((argument) => argument.startsWith('--type='))?.slice('--type='.length);
  if (!command.some((argument) => /chrom|headless/i.test(argument))) return path.basename(command[0] ?? '?');
  return `Chromium ${type ?? 'browser'}`;
}

/** The Node main thread's profile, its samples charged to stages. */
async function nodeStages(profileFile: string, bundleFile: string): Promise<Map<string, number>> {
  const profile = JSON.parse(await readFile(profileFile, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const lines = (await readFile(bundleFile, 'utf8')).split('\n');
  const moduleAtLine: string[] = [];
  let current = '';
  for (const line of lines) {
    const start = /^\/\/ ((?:node_modules|scripts)\/.*)$/.exec(line);
    if (start) current = start[1]!;
    moduleAtLine.push(current);
  }
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const moduleOf = ({ callFrame }: ProfileNode) => (callFrame.url === `file://${bundleFile}` || callFrame.url === bundleFile ? moduleAtLine[callFrame.lineNumber] ?? '' : callFrame.url ? `node:${callFrame.url}` : callFrame.functionName);
  const stageOf = new Map<number, string>();
  const stageOfNode = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const ownModule = moduleOf(nodes.get(id)!);
    let stage: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !stage; at = parent.get(at)) {
      const module = moduleOf(nodes.get(at)!);
      stage = module.startsWith('scripts/') ? STAGES.find(([pattern]) => pattern.test(module))![1] : undefined;
    }
    stage ??= UNOWNED.find(([pattern]) => pattern.test(ownModule))?.[1] ?? `not under a stage: ${packageOf(ownModule)}`;
    stageOf.set(id, stage);
    return stage;
  };
  const seconds = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const stage = stageOfNode(id);
    seconds.set(stage, (seconds.get(stage) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1e6);
  });
  seconds.delete('idle');
  return seconds;
}

/** `puppeteer-core`, `node:zlib`, `writeUtf8String` (Node's own, from its name). */
function packageOf(module: string): string {
  const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(module);
  if (found) return found[1]!;
  return module.startsWith('node:') ? `node:${path.basename(module.slice(5)).replace(/\.js$/, '')}` : module;
}

/** The report as a table: Chromium's processes and threads, then Node's stages, largest first. */
export function formatCpuProfile(report: CpuProfileReport, leaflets: number): string {
  const rows = (entries: Map<string, number>, minimum: number) =>
    [...entries]
      .filter(([, seconds]) => seconds >= minimum)
      .sort((a, b) => b[1] - a[1])
      .map(([name, seconds]) => `    ${seconds.toFixed(2).padStart(7)} s  ${((seconds / leaflets) * 1000).toFixed(0).padStart(5)} ms/leaflet  ${name}`)
      .join('\n');
  const total = (entries: Map<string, number>) => [...entries.values()].reduce((sum, seconds) => sum + seconds, 0);
  const processes = new Map<string, number>();
  for (const [thread, seconds] of report.threads) processes.set(thread.split(':')[0]!, (processes.get(thread.split(':')[0]!) ?? 0) + seconds);
  return [
    `  CPU time of the whole build: ${total(report.threads).toFixed(1)} s in ${(report.wallMs / 1000).toFixed(1)} s wall (${(total(report.threads) / (report.wallMs / 1000)).toFixed(2)} cores busy on average)`,
    '  by process',
    rows(processes, 0.05),
    '  by thread (over 0.2 s)',
    rows(report.threads, 0.2),
    `  Node's main thread by stage (V8's profile, ${total(report.nodeStages).toFixed(1)} s busy)`,
    rows(report.nodeStages, 0.05),
  ].join('\n');
}
