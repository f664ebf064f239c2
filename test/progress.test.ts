import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress, formatSize, quietFromEnv } from '../scripts/base/progress.js';
import { runScript } from './support/cli.js';

describe('build progress', () => {
  it('prints each stage with its time and keeps the times', async () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = createProgress({ write: (text) => lines.push(text), now: () => clock });
    const result = await progress.stage('load manuscript', async () => {
      clock += 42;
      return 'loaded';
    });
    await progress.stage('print PDF', async () => {
      clock += 1500;
    });
    expect(result).toBe('loaded');
    expect(progress.timings).toEqual([
      { stage: 'load manuscript', startedAt: 0, milliseconds: 42 },
      { stage: 'print PDF', startedAt: 42, milliseconds: 1500 },
    ]);
    expect(lines.join('')).toMatch(/load manuscript +42 ms\n.*print PDF +1\.50 s\n$/s);
  });

  it('is silent when quiet but still keeps the times', async () => {
    const lines: string[] = [];
    const progress = createProgress({ quiet: true, write: (text) => lines.push(text) });
    await progress.stage('render Markdown', async () => undefined);
    expect(lines).toEqual([]);
    expect(progress.timings.map((timing) => timing.stage)).toEqual(['render Markdown']);
  });

  it('is quiet in CI and when asked', () => {
    expect(quietFromEnv(false, { CI: 'true' })).toBe(true);
    expect(quietFromEnv(true, {})).toBe(true);
    expect(quietFromEnv(false, {})).toBe(false);
  });

  it('writes sizes as people read them', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(41_479)).toBe('41 kB');
    expect(formatSize(1_234_567)).toBe('1.2 MB');
  });
});

describe('the build CLI’s progress', () => {
  it('lists each stage with its time on stderr, and each output with its size on stdout', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'press-progress-'));
    const { code, stdout, stderr } = await runScript('build', ['--out', out, '--format', 'epub'], { CI: '' });
    expect(code).toBe(0);
    for (const stage of ['load manuscript', 'render Markdown', 'apply templates', 'pack EPUB', 'write outputs']) {
      expect(stderr).toMatch(new RegExp(`^ +${stage} +\\d+(\\.\\d+)? m?s$`, 'm'));
    }
    const epub = path.join(out, 'the-many-benefits-of-foot-massage.epub');
    expect(stdout).toContain(`the-many-benefits-of-foot-massage.epub (${formatSize((await stat(epub)).size)})`);
  });

  it('prints no progress with --quiet', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'press-progress-'));
    const { code, stdout, stderr } = await runScript('build', ['--out', out, '--format', 'epub', '--quiet'], { CI: '' });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('the-many-benefits-of-foot-massage.epub');
  });

  it('prints every stage’s start and time and the total with --timings, even in CI', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'press-progress-'));
    const { code, stdout } = await runScript('build', ['--out', out, '--format', 'pdf,epub', '--timings']);
    expect(code).toBe(0);
    const report = stdout.slice(stdout.indexOf('timings (ms):\n'));
    const rows = new Map([...report.matchAll(/^ {2}(\S.*?) +(\d+) +(\d+)$/gm)].map((match) => [match[1]!, { start: Number(match[2]), wall: Number(match[3]) }]));
    for (const stage of ['load manuscript', 'render Markdown', 'apply templates', 'start browser', 'print PDF (a4)', 'print PDF (letter)', 'print PDF (large-print)', 'draw cover', 'pack EPUB', 'write outputs', 'total']) {
      expect(rows.has(stage), `no row for ${stage} in\n${report}`).toBe(true);
    }
    // Stages overlap, so the total is the wall time: every stage ends within it (1 ms of rounding aside).
    const total = rows.get('total')!.wall;
    for (const [stage, { start, wall }] of rows) expect(start + wall, stage).toBeLessThanOrEqual(total + 1);
    // And the start column is a timeline: the Markdown is rendered after it is loaded, the outputs written last.
    const end = (stage: string) => rows.get(stage)!.start + rows.get(stage)!.wall;
    expect(rows.get('render Markdown')!.start).toBeGreaterThanOrEqual(end('load manuscript') - 1);
    for (const [stage] of rows) if (stage !== 'write outputs' && stage !== 'total') expect(rows.get('write outputs')!.start, stage).toBeGreaterThanOrEqual(end(stage) - 1);
  });
});
