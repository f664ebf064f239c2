/**
 * Nothing lost: an interrupted build leaves the earlier outputs and no
 * temporary files; builds running at once into one folder each write whole files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { findBrowser } from '../scripts/browser/location.js';
import { startCli, tempDir } from './support/cli.js';
import { earlierDist } from './support/earlier-dist.js';
import { fifoFolder, readFifo } from './support/fifo.js';
import { expectEpubcheckClean, pdfInfo, pdfPages, readableText } from './support/outputs.js';

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });

/** Resolves once `child` has printed `count` lines that match `pattern`; fails if it ends first. */
const printed = (child: ChildProcess, pattern: RegExp, count: number) =>
  new Promise<string[]>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const lines = output.split('\n').filter((line) => pattern.test(line));
      if (lines.length >= count) resolve(lines);
    });
    child.once('exit', (code, signal) => reject(new Error(`ended (${code ?? signal}) before printing ${pattern}:\n${output}`)));
  });

/**
 * A build whose browser holds it in the middle of printing (test/support/browser-holding-prints.mjs), and
 * the moment it is there: the first PDF asked for, nothing printed yet. The test then signals it, sure to
 * catch it printing however busy the machine is.
 */
async function buildHeldWhilePrinting(args: string[], env: NodeJS.ProcessEnv = {}) {
  const control = await fifoFolder('printing');
  const standIn = path.join(control, 'browser');
  const script = path.join(PROJECT_ROOT, 'test', 'support', 'browser-holding-prints.mjs');
  await writeFile(standIn, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`, { mode: 0o755 });
  const { executablePath } = await findBrowser();
  const build = startCli(args, { ...env, PUPPETEER_EXECUTABLE_PATH: standIn, REAL_BROWSER: executablePath, BROWSER_CONTROL: control });
  const exit = exited(build);
  await readFifo(path.join(control, 'printing'), exit);
  return { build, exit };
}

describe('an interrupted build', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stopped by %s while writing leaves the earlier outputs and no temporary file', async (signal) => {
    const out = await tempDir();
    await writeFile(path.join(out, 'handout.pdf'), 'earlier pdf');
    await writeFile(path.join(out, 'handout.epub'), 'earlier epub');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/held-write.ts'), out, '1'], {
      cwd: PROJECT_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exit = exited(child);
    // Both outputs half-written into their temporary files, and held there.
    const writing = await printed(child, /^writing /, 2);
    expect((await readdir(out)).filter((name) => name.endsWith('.tmp')).sort()).toEqual(writing.map((line) => line.replace('writing ', '')).sort());
    child.kill(signal);
    const { code, signal: endedBy } = await exit;
    expect(endedBy ?? code).toBe(signal); // interrupted mid-write, not finished
    expect((await readdir(out)).sort()).toEqual(['handout.epub', 'handout.pdf']);
    expect(await readFile(path.join(out, 'handout.pdf'), 'utf8')).toBe('earlier pdf');
    expect(await readFile(path.join(out, 'handout.epub'), 'utf8')).toBe('earlier epub');
  });

  it('stopped by SIGINT while the browser prints leaves the earlier outputs as they were', async () => {
    const dist = await earlierDist();
    const { build, exit } = await buildHeldWhilePrinting(['--out', dist.dir]);
    build.kill('SIGINT');
    const { code, signal } = await exit;
    expect(code === 0 && signal === null).toBe(false);
    await dist.expectUnchanged();
  });

  it('leaves no browser profile behind, whether the build finishes or is stopped by SIGINT while printing', async () => {
    const temp = await tempDir('press-tmpdir-');
    const out = await tempDir();
    // The browser's profile goes to the system's temp folder: here, one of the test's own.
    const finished = await exited(startCli(['--out', out, '--format', 'pdf'], { TMPDIR: temp }));
    expect(finished.code, finished.stderr).toBe(0);
    expect(await readdir(temp)).toEqual([]);

    const { build, exit } = await buildHeldWhilePrinting(['--out', out], { TMPDIR: temp });
    expect(await readdir(temp)).toHaveLength(1);
    build.kill('SIGINT');
    const { code, signal } = await exit;
    expect(code === 0 && signal === null).toBe(false);
    expect(await readdir(temp)).toEqual([]);
  });
});

describe('two builds at once into one folder', () => {
  it('each write whole outputs and leave no temporary file', async () => {
    const out = await tempDir();
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const builds = [startCli(['--out', out], env), startCli(['--out', out], env)];
    const results = await Promise.all(builds.map(exited));
    for (const { code, stderr } of results) expect(code, stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'cover.png',
      'fonts',
      'index.html',
      'the-many-benefits-of-foot-massage-a4.pdf',
      'the-many-benefits-of-foot-massage-large-print.pdf',
      'the-many-benefits-of-foot-massage-letter.pdf',
      'the-many-benefits-of-foot-massage.epub',
    ]);
    const pdf = path.join(out, 'the-many-benefits-of-foot-massage-a4.pdf');
    expect((await pdfInfo(pdf)).Title).toBe('The Many Benefits of Foot Massage');
    expect(readableText((await pdfPages(pdf)).join('\n'))).toContain('That is where the many benefits of foot massage can help improve your quality of life.');
    await expectEpubcheckClean(path.join(out, 'the-many-benefits-of-foot-massage.epub'));
  });
});
