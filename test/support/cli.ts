/**
 * Run the project's command-line scripts as a user would (`npm run build` runs
 * `node scripts/cli/launch.mjs build`, the bundled script), each in its own process, and keep what it printed and how it
 * exited; plus the folders and files the CLI tests use.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';

const run = promisify(execFile);

export const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);

export const tempDir = (prefix = 'press-cli-') => mkdtemp(path.join(os.tmpdir(), prefix));

/** `script` is the name of a script under scripts/ (`build`, `check`, `dev`). */
const scriptCommand = (script: string, args: string[]): [string, string[]] => [
  process.execPath,
  [path.join(PROJECT_ROOT, 'scripts', 'cli', 'launch.mjs'), script, ...args],
];

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** As in CI, unless a test says otherwise: no progress lines, so what the scripts print is only what they report. */
const scriptEnv = (env: NodeJS.ProcessEnv) => ({ ...process.env, CI: 'true', ...env });

/** Run `scripts/<script>` to its end, failed or not. */
export async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  const [command, commandArgs] = scriptCommand(script, args);
  return run(command, commandArgs, { cwd: PROJECT_ROOT, env: scriptEnv(env), maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/**
 * EPUBCHECK_JAR naming no file: `npm run check` then says that it skipped epubcheck, and finds all the rest. For
 * tests of the rest; check.test.ts tests what epubcheck finds, each run of it a Java virtual machine of its own.
 */
export const WITHOUT_EPUBCHECK = { EPUBCHECK_JAR: path.join(PROJECT_ROOT, 'no-epubcheck.jar') };

/** The build CLI. */
export const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runScript('build', args, env);

/** Start the build CLI without waiting for it, e.g. to signal it or run several at once. */
export const startCli = (args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess => startScript('build', args, env);

/** Start `scripts/<script>` without waiting for it (a queue worker, a build to signal). */
export function startScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [command, commandArgs] = scriptCommand(script, args);
  return spawn(command, commandArgs, { cwd: PROJECT_ROOT, env: scriptEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A PNG of one colour, made here so that no large image needs to live in the repository. */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [31, 102, 112]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
