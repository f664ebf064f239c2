/**
 * Nothing lost: an interrupted build leaves the earlier outputs and no
 * temporary files; builds running at once into one folder each write whole files.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { startCli, tempDir } from './support/cli.js';
import { earlierDist } from './support/earlier-dist.js';
import { expectEpubcheckClean, pdfInfo, pdfPages, readableText } from './support/outputs.js';

const run = promisify(execFile);

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });

async function waitFor(condition: () => Promise<boolean>, what: string) {
  for (let tries = 0; tries < 6000; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an interrupted build', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stopped by %s while writing leaves the earlier outputs and no temporary file', async (signal) => {
    const out = await tempDir();
    await writeFile(path.join(out, 'handout.pdf'), 'earlier pdf');
    await writeFile(path.join(out, 'handout.epub'), 'earlier epub');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/write-large-outputs.ts'), out, '768'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = exited(child);
    await waitFor(async () => (await readdir(out)).some((name) => name.endsWith('.tmp')), 'a temporary file');
    child.kill(signal);
    const { code, signal: endedBy } = await exit;
    expect(endedBy ?? code).toBe(signal); // interrupted mid-write, not finished
    expect((await readdir(out)).sort()).toEqual(['handout.epub', 'handout.pdf']);
    expect(await readFile(path.join(out, 'handout.pdf'), 'utf8')).toBe('earlier pdf');
    expect(await readFile(path.join(out, 'handout.epub'), 'utf8')).toBe('earlier epub');
  });

  it('stopped by SIGINT while the browser prints leaves the earlier outputs as they were', async () => {
    const dist = await earlierDist();
    const build = startCli(['--out', dist.dir]);
    const exit = exited(build);
    // Once the build has a child process, the browser is running: the build is between loading and writing.
    await waitFor(() => run('pgrep', ['-P', String(build.pid)]).then(() => true, () => false), 'the browser');
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

    // With progress lines on (no CI), "start browser" is printed once the browser has started.
    const build = startCli(['--out', out], { TMPDIR: temp, CI: '' });
    const exit = exited(build);
    let stderr = '';
    build.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    await waitFor(async () => stderr.includes('start browser'), 'the browser to start');
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
