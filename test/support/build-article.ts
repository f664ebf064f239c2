/**
 * vitest global setup: build the real article once, into a temporary folder,
 * with a fixed SOURCE_DATE_EPOCH; every output test reads those files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build } from '../../scripts/build.js';
import { PROJECT_ROOT } from '../../scripts/render/template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    articleOutDir: string;
    articleFiles: string[];
  }
}

export default async function setup(project: TestProject) {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'press-article-'));
  const { files } = await build({
    input: path.join(PROJECT_ROOT, 'manuscript'),
    outDir,
    formats: ['pdf', 'epub'],
    buildTime: new Date(1_700_000_000_000),
  });
  project.provide('articleOutDir', outDir);
  project.provide('articleFiles', files);
  return async () => {
    await rm(outDir, { recursive: true, force: true });
  };
}
