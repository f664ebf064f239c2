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

/** How much of a folder is kept: the files used last, at most this many, and, when given, of at most this many bytes in all. */
export interface KeptLimits {
  files: number;
  bytes?: number;
}

/** The file `name` of `folder` when it was made before; else made and kept, the folder held to `keep` files (keepFile). */
export async function keptFile(folder: string, name: string, make: () => Promise<Uint8Array>, keep: number): Promise<Uint8Array> {
  const before = await readKeptFile(folder, name);
  if (before) return before;
  const bytes = await make();
  await keepFile(folder, name, bytes, { files: keep });
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

/** What this process has kept in each folder since it last pruned it. */
const keptSincePruned = new Map<string, { files: number; bytes: number }>();

/**
 * Keep `bytes` as the file `name` of `folder`, and prune the folder to its `limits`: on the first file this process
 * keeps there, and again once the files kept since reach an eighth of either limit. Pruning against a byte limit
 * reads the size of every file, which after each of a large library's leaflets would add up.
 */
export async function keepFile(folder: string, name: string, bytes: Uint8Array, limits: KeptLimits): Promise<void> {
  await writeWhole(path.join(folder, name), bytes);
  const since = keptSincePruned.get(folder);
  if (since) {
    since.files += 1;
    since.bytes += bytes.length;
    if (since.files < limits.files / 8 && (limits.bytes === undefined || since.bytes < limits.bytes / 8)) return;
  }
  keptSincePruned.set(folder, { files: 0, bytes: 0 });
  await pruneKeptFiles(folder, limits, path.extname(name)).catch(() => undefined);
}

/** Keep the files (of `extension`) used last, by time of change, which a use renews, within `limits`; delete the rest. */
export async function pruneKeptFiles(folder: string, limits: KeptLimits, extension: string): Promise<void> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(extension));
  if (names.length <= limits.files && limits.bytes === undefined) return;
  const used = await Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(folder, name)).catch(() => undefined);
      return { name, at: info?.mtimeMs ?? 0, size: info?.size ?? 0 };
    }),
  );
  used.sort((a, b) => b.at - a.at);
  // The file used last is kept whatever its size: it was just made or read.
  let total = 0;
  const kept = used.findIndex(({ size }, index) => {
    total += size;
    return index > 0 && (index >= limits.files || (limits.bytes !== undefined && total > limits.bytes));
  });
  if (kept === -1) return;
  await Promise.all(used.slice(kept).map(({ name }) => rm(path.join(folder, name), { force: true })));
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
