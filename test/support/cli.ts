/**
 * Run the build CLI as a user would, in its own process, and keep what it
 * printed and how it exited; plus the folders and files the CLI tests use.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../scripts/render/template.js';

const run = promisify(execFile);

export const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);

export const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'press-cli-'));

const cliCommand = (args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'build.ts'), ...args]];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const [command, commandArgs] = cliCommand(args);
  return run(command, commandArgs, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** Start the CLI without waiting for it, e.g. to signal it or run several at once. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [command, commandArgs] = cliCommand(args);
  return spawn(command, commandArgs, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
