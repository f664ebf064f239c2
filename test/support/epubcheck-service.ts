/**
 * EPUBCheck for the test run (test/support/EpubcheckService.java): one Java virtual machine, started by the
 * global setup, checks every EPUB the tests ask about with the checker the `epubcheck` command runs, and
 * answers with what that command prints. Started once, EPUBCheck compiles its schemas once: a JVM per EPUB
 * spends most of its time doing that again.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { epubcheckJar, readEpubcheckReport, type EpubCheckResult } from '../../scripts/check/epubcheck.js';
import { EPUBCHECK, ensureSystemPackage } from '../../scripts/dev-tools/system-packages.js';

const SERVICE = path.join(PROJECT_ROOT, 'test', 'support', 'EpubcheckService.java');

declare module 'vitest' {
  export interface ProvidedContext {
    epubcheckPort: number;
  }
}

/**
 * For a global setup: EPUBCheck installed when missing (or the run stopped at once, saying what to do),
 * the service started and its port provided to the test files; resolves to what stops it.
 */
export function provideEpubcheckService(project: TestProject, options: ServiceOptions = {}): Promise<() => Promise<void>> {
  // Thrown here and now, before the caller starts anything else.
  ensureSystemPackage(EPUBCHECK);
  return startEpubcheckService(options).then((service) => {
    project.provide('epubcheckPort', service.port);
    return () => service.stop();
  });
}

/** The global setup of a run that needs only the service: npm run test:scale, whose EPUBs are large. */
export default function setup(project: TestProject) {
  return provideEpubcheckService(project);
}

export interface ServiceOptions {
  /**
   * Many small EPUBs (npm test's): the JVM compiles with its quick compiler only. Its optimising compiler costs
   * more than it saves over a few dozen EPUBs of a few hundred kB, and pays only on large books.
   */
  smallEpubs?: boolean;
}

export interface EpubcheckService {
  port: number;
  stop(): Promise<void>;
}

/** Starts the service on a free loopback port; it stops with `stop()`, or on its own when this process ends. */
export async function startEpubcheckService({ smallEpubs = false }: ServiceOptions = {}, jar = epubcheckJar()): Promise<EpubcheckService> {
  if (!jar) throw new Error('EPUBCheck is not installed: provideEpubcheckService installs it');
  // Its standard input is the lifeline: it closes when this process ends, however it ends, and the service with it.
  const java = spawn('java', [...(smallEpubs ? ['-XX:TieredStopAtLevel=1'] : []), '-cp', jar, SERVICE], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    java.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /^port (\d+)$/m.exec(output);
      if (listening) resolve(Number(listening[1]));
    });
    java.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    java.once('error', reject);
    java.once('exit', (code, signal) => reject(new Error(`the EPUBCheck service ended (${code ?? signal}) before it listened:\n${output}`)));
  });
  return {
    port,
    async stop() {
      if (java.exitCode !== null || java.signalCode !== null) return;
      const exited = once(java, 'exit');
      java.stdin.end();
      await exited;
    },
  };
}

/** What `epubcheck FILE` says of an EPUB, asked of the service at `port`. */
export async function checkWithService(port: number, file: string): Promise<EpubCheckResult> {
  const output = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.end(`${path.resolve(file)}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.once('error', reject);
  });
  return readEpubcheckReport(output);
}
