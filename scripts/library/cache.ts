/**
 * What makes a leaflet, as one hash, and the record of the hashes each leaflet was last built
 * from: a leaflet whose hash has not changed, and whose outputs are still where they were
 * written, is not built again.
 *
 * The hash covers the leaflet's files and what it may use (library.yaml, its images), and
 * everything that shapes the output besides: templates, styles, the fonts' packages, the tool
 * itself (its scripts and installed packages), the browser and the build options. So a changed
 * template rebuilds every leaflet, an edited leaflet rebuilds only itself.
 *
 * The record is `dist/.library-cache.json`, written whole or not at all. One that cannot be
 * read, of another format, or of another library, counts as none: a full build, never a wrong skip.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { browserFingerprint } from '../browser/location.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { writeOutputs } from '../base/write-outputs.js';
import { catalogueEntrySchema, type CatalogueEntry } from './entry.js';
import { LIBRARY_FILE, type LeafletSource } from './config.js';

export const CACHE_FILE = '.library-cache.json';
const FORMAT = 2;

const cacheSchema = z.object({
  format: z.literal(FORMAT),
  library: z.string(),
  leaflets: z.record(z.string(), z.object({ hash: z.string(), entry: catalogueEntrySchema })),
  /** What the catalogue files were made from, and their names: unchanged, they are not made again. */
  catalogue: z.object({ hash: z.string(), files: z.array(z.string()) }).optional(),
});

export type LibraryCache = z.infer<typeof cacheSchema>;

export interface CacheRead {
  cache: LibraryCache;
  /** Why the record on disk was not used, when there was one. */
  ignored?: string;
}

export async function readCache(outDir: string, libraryRoot: string): Promise<CacheRead> {
  const empty: LibraryCache = { format: FORMAT, library: libraryRoot, leaflets: {} };
  const text = await readFile(path.join(outDir, CACHE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return { cache: empty };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { cache: empty, ignored: 'it is not valid JSON' };
  }
  const result = cacheSchema.safeParse(parsed);
  if (!result.success) return { cache: empty, ignored: 'it is not a record this version of massage-press wrote' };
  if (result.data.library !== libraryRoot) return { cache: empty, ignored: `it records another library (${result.data.library})` };
  return { cache: result.data };
}

/** Written only when it changed: a build that changed nothing writes nothing. */
export async function writeCache(outDir: string, cache: LibraryCache): Promise<boolean> {
  const text = `${JSON.stringify(cache, null, 1)}\n`;
  const before = await readFile(path.join(outDir, CACHE_FILE), 'utf8').catch(() => undefined);
  if (before === text) return false;
  await writeOutputs(outDir, [{ name: CACHE_FILE, bytes: Buffer.from(text) }]);
  return true;
}

/** True when every file the entry lists is still in its folder, at the size it was written. */
export async function outputsIntact(outDir: string, entry: CatalogueEntry): Promise<boolean> {
  const files = [...[entry, ...entry.translations].flatMap((edition) => [...edition.files, ...(edition.webPage ? [edition.webPage] : [])]), ...entry.images];
  const sizes = await Promise.all(files.map((file) => stat(path.join(outDir, entry.slug, file.name)).then((info) => info.size, () => -1)));
  return sizes.every((size, index) => size === files[index]!.bytes);
}

const sha256 = () => createHash('sha256');

async function hashFolder(hash: ReturnType<typeof sha256>, folder: string): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile());
  const files = entries.map((entry) => path.join(entry.parentPath, entry.name)).sort();
  for (const file of files) hash.update(`${path.relative(PROJECT_ROOT, file)}\n`).update(await readFile(file));
}

/** Which options change what a leaflet's build makes. */
export interface OutputOptions {
  formats: readonly string[];
  strict: boolean;
  /** SOURCE_DATE_EPOCH, when set: the time the outputs record. */
  sourceDateEpoch?: string;
}

/**
 * Everything but the leaflets' own files: the same for every leaflet of one run. Reading it takes
 * a few milliseconds (the scripts, templates and styles are a few hundred kB; the fonts' packages
 * are named by their versions, and the browser by its file).
 */
export async function toolHash(options: OutputOptions): Promise<string> {
  const hash = sha256().update(JSON.stringify({ format: FORMAT, ...options }));
  for (const folder of ['scripts', 'templates', 'styles']) await hashFolder(hash, path.join(PROJECT_ROOT, folder));
  hash.update(await readFile(path.join(PROJECT_ROOT, 'package.json')));
  // Every installed package at its version: the lock file npm writes into node_modules.
  hash.update(await readFile(path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json')).catch(() => Buffer.from('no lock')));
  const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
  for (const fonts of ['source-serif-4', 'source-sans-3', 'source-code-pro']) {
    hash.update(await readFile(require.resolve(`@fontsource/${fonts}/package.json`)));
  }
  // A coordinator that sends the work to a queue may have no browser: its workers' browsers are theirs to keep the same.
  return hash.update(await browserFingerprint().catch(() => 'no browser on this machine')).digest('hex');
}

/** A leaflet's hash: the tool's, library.yaml, and each of its files by name and content. */
export async function leafletHash(root: string, leaflet: LeafletSource, tool: string, read: (file: string) => Promise<Buffer> = readFile): Promise<string> {
  const hash = sha256().update(tool).update(`\n${leaflet.id}\n`);
  hash.update(await read(path.join(root, LIBRARY_FILE)));
  for (const file of leaflet.files) {
    const bytes = await read(path.join(root, file)).catch(() => Buffer.from('missing'));
    hash.update(`\n${file}\n${bytes.length}\n`).update(bytes);
  }
  return hash.digest('hex');
}
