/**
 * Files the build keeps in the project's cache (node_modules/.cache/massage-press/) to make them once:
 * a drawn cover, a font cut down to a text. Each is named by a hash of everything it is made from,
 * written whole (renamed into place) or not at all, and marked as used when read again; only the
 * `keep` used last of a folder are kept. A cache that cannot be written is only slower.
 */
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

/** The project's cache: what a build can make again, kept to make it once. */
export const CACHE_ROOT = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press');

/** The file `name` of `folder` when it was made before; else made, kept, and the folder pruned to `keep` files. */
export async function keptFile(folder: string, name: string, make: () => Promise<Uint8Array>, keep: number): Promise<Uint8Array> {
  const before = await readKeptFile(folder, name);
  if (before) return before;
  const bytes = await make();
  await keepFile(folder, name, bytes, keep);
  return bytes;
}

/** The file `name` of `folder`, marked as used, when a build kept it before. */
export async function readKeptFile(folder: string, name: string): Promise<Buffer | undefined> {
  const file = path.join(folder, name);
  const before = await readFile(file).catch(() => undefined);
  if (before) {
    // Marked as used: pruning forgets the files no build has asked for longest.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
  }
  return before;
}

/** Keep `bytes` as the file `name` of `folder`, and prune the folder to the `keep` files used last. */
export async function keepFile(folder: string, name: string, bytes: Uint8Array, keep: number): Promise<void> {
  await writeWhole(path.join(folder, name), bytes);
  await pruneKeptFiles(folder, keep, path.extname(name)).catch(() => undefined);
}

/** Keep the `keep` files (of `extension`) used last, by time of change, which a use renews; delete the rest. */
export async function pruneKeptFiles(folder: string, keep: number, extension: string): Promise<void> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(extension));
  if (names.length <= keep) return;
  const used = await Promise.all(names.map(async (name) => ({ name, at: (await stat(path.join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  used.sort((a, b) => b.at - a.at);
  await Promise.all(used.slice(keep).map(({ name }) => rm(path.join(folder, name), { force: true })));
}

async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch {
    // Not kept: the next build makes it again.
    await rm(partial, { force: true }).catch(() => undefined);
  }
}
