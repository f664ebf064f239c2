/**
 * A stage that fails for a reason that is not the manuscript's (a browser that times out or
 * goes away) names itself and the manuscript, instead of a bare "Navigation timeout of
 * 30000 ms exceeded".
 */
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import { formatProblem, isProblem, ManuscriptProblems } from '../scripts/base/problems.js';
import { createProgress, namingFailures, STAGE_FAILED } from '../scripts/base/progress.js';
import { fixture, tempDir } from './support/cli.js';

describe('a stage that fails', () => {
  it('names itself and the manuscript, and keeps the cause', async () => {
    const progress = namingFailures(createProgress({ quiet: true }), '/books/long.md');
    const cause = new Error('Navigation timeout of 30000 ms exceeded');
    const failure = await progress.stage('print PDF (a4)', () => Promise.reject(cause)).catch((error: unknown) => error);
    expect(isProblem(failure)).toBe(true);
    expect(formatProblem(failure as never)).toMatch(/^\/books\/long\.md: error print PDF \(a4\) failed: Navigation timeout of 30000 ms exceeded\n {2}This is not a mistake in the manuscript/);
    expect((failure as { cause: unknown; ruleId: string }).cause).toBe(cause);
    expect((failure as { ruleId: string }).ruleId).toBe(STAGE_FAILED);
  });

  it('leaves a problem of the manuscript as it is', async () => {
    const out = await tempDir();
    const failure = await build({ input: fixture('bad/missing-image.md'), outDir: out, formats: ['epub'] }).catch((error: unknown) => error);
    // Reported with every other problem of the manuscript, each as it was found.
    expect(failure).toBeInstanceOf(ManuscriptProblems);
    const errors = (failure as ManuscriptProblems).messages.filter((message) => message.fatal);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.ruleId).not.toBe(STAGE_FAILED);
      expect(error.file).toBe(fixture('bad/missing-image.md'));
    }
  });

  it('in a real build: the print stage whose browser fails is named, with the manuscript', async () => {
    const out = await tempDir();
    // A browser whose every page fails to open, as Chromium's did on a busy machine.
    const failing = { newPage: () => Promise.reject(new Error('Navigation timeout of 30000 ms exceeded')), process: () => null, close: async () => {}, once: () => {} };
    const browser = new SharedBrowser(async () => failing as unknown as Browser);
    const input = path.join(fixture('handout'), 'handout.md');
    const failure = await build({ input, outDir: out, formats: ['pdf'], browser }).catch((error: unknown) => error);
    expect(isProblem(failure)).toBe(true);
    expect(formatProblem(failure as never)).toMatch(new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: error print PDF \\(a4\\) failed: Navigation timeout of 30000 ms exceeded`));
  });
});
