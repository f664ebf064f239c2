/**
 * vitest global setup: make sure EPUBCheck is there (test/support/system-packages.ts), then
 * build the real article and the torture-test book once,
 * each into a temporary folder, at a fixed time (SOURCE_DATE_EPOCH's
 * 1700000000); every output test reads those files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build as buildOutputs } from '../../scripts/build.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { EPUBCHECK, ensureSystemPackage } from '../../scripts/dev-tools/system-packages.js';

declare module 'vitest' {
  export interface ProvidedContext {
    articleOutDir: string;
    articleFiles: string[];
    tortureOutDir: string;
    tortureFiles: string[];
  }
}

export const BUILD_TIME = new Date(1_700_000_000_000);
export const TORTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'torture');

export default async function setup(project: TestProject) {
  // Before anything is built: a missing EPUBCheck is installed now, or stops the run at once with what to do.
  ensureSystemPackage(EPUBCHECK);
  const build = async (input: string, prefix: string) => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), prefix));
    const { files } = await buildOutputs({ input, outDir, formats: ['pdf', 'epub', 'web'], buildTime: BUILD_TIME });
    return { outDir, files };
  };
  const [article, torture] = await Promise.all([build(path.join(PROJECT_ROOT, 'manuscript'), 'press-article-'), build(TORTURE, 'press-torture-')]);
  project.provide('articleOutDir', article.outDir);
  project.provide('articleFiles', article.files);
  project.provide('tortureOutDir', torture.outDir);
  project.provide('tortureFiles', torture.files);
  return async () => {
    await Promise.all([article.outDir, torture.outDir].map((dir) => rm(dir, { recursive: true, force: true })));
  };
}
