/**
 * An output folder holding an earlier good build (the article built once by
 * build-article.ts), to show that a failed or interrupted build leaves it as it was.
 */
import { copyFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './cli.js';
import { sharedBuild } from './shared-builds.js';

export async function earlierDist() {
  const dir = await tempDir();
  const files = sharedBuild('article').files;
  for (const file of files) await copyFile(file, path.join(dir, path.basename(file)));
  const bytes = new Map(await Promise.all(files.map(async (file) => [path.basename(file), await readFile(file)] as const)));
  return {
    dir,
    /** Same names, same bytes: nothing added (no temporary files), nothing removed, nothing changed. */
    async expectUnchanged() {
      expect((await readdir(dir)).sort()).toEqual([...bytes.keys()].sort());
      for (const [name, expected] of bytes) expect((await readFile(path.join(dir, name))).equals(expected), name).toBe(true);
    },
  };
}

