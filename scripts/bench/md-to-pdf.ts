/**
 * md-to-pdf 5.2.5, the peer the library is measured against: installed from the npm registry at
 * bench time into node_modules/.cache/massage-press/bench-peers/ (once), never a dependency of the
 * project. Its puppeteer would download a Chrome at install: install scripts are not run, and it
 * prints with the project's own Chromium (PUPPETEER_EXECUTABLE_PATH), so both print with the same browser.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findBrowser } from '../browser/location.js';
import { PROJECT_ROOT } from '../base/project-root.js';

export const MD_TO_PDF_VERSION = '5.2.5';
const folder = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press', 'bench-peers', `md-to-pdf-${MD_TO_PDF_VERSION}`);
const cli = path.join(folder, 'node_modules', 'md-to-pdf', 'dist', 'cli.js');

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; output: string }> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, output })));
}

/** md-to-pdf's command line, installed first if need be. */
export async function installMdToPdf(): Promise<string> {
  if (existsSync(cli)) return cli;
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'package.json'), '{ "private": true }\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const installed = await run(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `md-to-pdf@${MD_TO_PDF_VERSION}`], {
    cwd: folder,
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (installed.code !== 0 || !existsSync(cli)) throw new Error(`could not install md-to-pdf ${MD_TO_PDF_VERSION} from the npm registry:\n${installed.output}`);
  return cli;
}

export interface PeerRun {
  wallMs: number;
  /** CPU seconds of md-to-pdf and its browser (measure.ts). */
  cpuSeconds: number;
  /** PDFs it wrote, of the files it was given. */
  written: number;
  /** Its own words for the files it did not print ("Navigation timeout of 30000 ms exceeded"). */
  failures: string[];
}

/**
 * md-to-pdf on `files` (all in `folder`), as its command line runs them: one browser, every file at
 * once, each PDF written beside its Markdown (A4, its default paper). Measured by `measure`.
 */
export async function runMdToPdf(
  folder: string,
  files: readonly string[],
  measure: (command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }) => Promise<{ wallMs: number; cpuSeconds: number; stdout: string }>,
): Promise<PeerRun> {
  const { executablePath } = await findBrowser();
  const launch = JSON.stringify({ args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  const { wallMs, cpuSeconds, stdout } = await measure(process.execPath, [cli, ...files.map((file) => path.relative(folder, file)), '--launch-options', launch], {
    env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: executablePath },
    cwd: folder,
  });
  const written = (await readdir(folder)).filter((name) => name.endsWith('.pdf')).length;
  const failures = [...new Set([...stdout.matchAll(/(?:Error|TimeoutError): ([^\n]+)/g)].map((match) => match[1]!.trim()))];
  return { wallMs, cpuSeconds, written, failures };
}
