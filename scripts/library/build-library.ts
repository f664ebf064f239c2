/**
 * Build a library: plan (hash each leaflet; skip those built from the same inputs before
 * whose outputs are still there), build the rest, each on its own (one that fails does not
 * stop the others), here with one shared browser or on a queue's workers, then write the
 * catalogue page (with its 404 page and fonts), the OPDS feeds, the sitemap and the record of what was built from what.
 *
 *   load library → plan → build leaflets (--jobs at once) → catalogue + OPDS + sitemap (+ review report) → cache
 *
 * Leaflets stream through: at most `jobs` are held at once, and what is kept of each is its
 * catalogue entry, so memory does not grow with the library.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { VFileMessage } from 'vfile-message';
import { buildTimeFromEnv } from '../base/build-time.js';
import { SharedBrowser } from '../browser/shared-browser.js';
import { launchBrowser } from '../browser/launch.js';
import type { Format } from '../base/formats.js';
import { isProblem, ManuscriptProblems, problem } from '../base/problems.js';
import { writeOutputs, type OutputFile } from '../base/write-outputs.js';
import { leafletHash, outputsIntact, readCache, toolHash, writeCache, type LibraryCache } from './cache.js';
import { renderCataloguePages } from './catalogue.js';
import { renderSitemap } from './sitemap.js';
import type { CatalogueEntry } from './entry.js';
import { buildLeaflet, LeafletFailed, type LeafletBuildOptions } from './build-leaflet.js';
import { loadLibrary, type Library, type LeafletSource } from './config.js';
import { renderFeeds } from './opds.js';
import { renderReviewReport } from './review-report.js';

export interface LibraryBuildOptions {
  /** The library folder (it holds library.yaml). */
  input: string;
  outDir: string;
  formats: readonly Format[];
  strict: boolean;
  /** Build every leaflet, whatever the cache says. */
  force: boolean;
  /** Leaflets built at once; twice the number of cores by default (DEFAULT_JOBS). */
  jobs?: number;
  buildTime?: Date;
  /** Builds the leaflets elsewhere (a queue's workers) instead of in this process. */
  builder?: (library: Library, options: LeafletBuildOptions, claimSlug: ClaimSlug) => LeafletBuilder;
  /** Told of each leaflet as it is done. */
  onLeaflet?: (event: LeafletEvent) => void;
  /** Also write the review view (review.html): the leaflets by next review date, for the library's staff. */
  reviewReport?: boolean;
}

/** Claims a slug (an output folder) for a leaflet; throws when another leaflet of the library has it. */
export type ClaimSlug = (slug: string, leaflet: LeafletSource) => void;

/** Builds one leaflet and writes its outputs into `<outDir>/<slug>/`; throws its problems. */
export interface LeafletBuilder {
  build(leaflet: LeafletSource, hash: string): Promise<{ entry: CatalogueEntry; warnings: VFileMessage[] }>;
  close(): Promise<void>;
}

export type LeafletEvent =
  | { leaflet: string; status: 'built'; entry: CatalogueEntry; warnings: VFileMessage[]; milliseconds: number }
  | { leaflet: string; status: 'failed'; problems: VFileMessage[] };

export interface LibraryBuildResult {
  built: string[];
  unchanged: string[];
  failed: { leaflet: string; problems: VFileMessage[] }[];
  /** Catalogue files written (none when they did not change). */
  written: string[];
  /** Why the cache on disk was not used (a full build followed), when there was one. */
  cacheIgnored?: string;
  /** What the catalogue lists. */
  entries: CatalogueEntry[];
}

export async function buildLibrary(options: LibraryBuildOptions): Promise<LibraryBuildResult> {
  const outDir = path.resolve(options.outDir);
  const library = await loadLibrary(options.input, [outDir]);
  const buildOptions: LeafletBuildOptions = { formats: options.formats, strict: options.strict, buildTime: options.buildTime ?? buildTimeFromEnv() };

  // Plan: which leaflets were built from these very inputs, and are still in dist/ as written.
  const [{ cache, ignored }, tool] = await Promise.all([
    readCache(outDir, library.root),
    toolHash({ formats: options.formats, strict: options.strict, sourceDateEpoch: process.env.SOURCE_DATE_EPOCH }),
  ]);
  const fileHashes = new Map<string, Promise<Buffer>>();
  const planned = await Promise.all(
    library.leaflets.map(async (leaflet) => {
      const hash = await leafletHash(library.root, leaflet, tool, (file) => cachedRead(fileHashes, file));
      const before = cache.leaflets[leaflet.id];
      const unchanged = !options.force && before?.hash === hash && (await outputsIntact(outDir, before.entry));
      return { leaflet, hash, before, unchanged };
    }),
  );
  fileHashes.clear();
  const next: LibraryCache = { format: cache.format, library: library.root, leaflets: {} };
  const slugs = new Map<string, string>();
  for (const { leaflet, before, unchanged } of planned) {
    if (!unchanged) continue;
    next.leaflets[leaflet.id] = before!;
    slugs.set(before!.entry.slug, leaflet.id);
  }

  const result: LibraryBuildResult = { built: [], unchanged: planned.filter((plan) => plan.unchanged).map((plan) => plan.leaflet.id), failed: [], written: [], cacheIgnored: ignored, entries: [] };
  const toBuild = planned.filter((plan) => !plan.unchanged);
  if (toBuild.length) {
    const claimSlug: ClaimSlug = (slug, leaflet) => {
      const holder = slugs.get(slug);
      if (holder && holder !== leaflet.id) {
        throw problem(`another leaflet of the library, ${holder}, has the slug \`${slug}\``, {
          file: leaflet.input,
          hint: 'Give one of them a `slug:` of its own in its front matter: each leaflet has its own folder in the output.',
        });
      }
      slugs.set(slug, leaflet.id);
    };
    const jobs = options.jobs ?? DEFAULT_JOBS;
    const builder = options.builder?.(library, buildOptions, claimSlug) ?? directBuilder(library, outDir, buildOptions, claimSlug, jobs);
    try {
      await eachAtOnce(toBuild, jobs, async ({ leaflet, hash, before }) => {
        const started = performance.now();
        try {
          const { entry, warnings } = await builder.build(leaflet, hash);
          next.leaflets[leaflet.id] = { hash, entry };
          result.built.push(leaflet.id);
          options.onLeaflet?.({ leaflet: leaflet.id, status: 'built', entry, warnings, milliseconds: performance.now() - started });
        } catch (error) {
          // The last good version stays in dist/ and in the catalogue.
          if (before) next.leaflets[leaflet.id] = before;
          const problems = problemsOf(error, leaflet);
          result.failed.push({ leaflet: leaflet.id, problems });
          options.onLeaflet?.({ leaflet: leaflet.id, status: 'failed', problems });
        }
      });
    } finally {
      await builder.close();
    }
  }

  // The catalogue: what is built, in the library's order; made again only when what it lists or how
  // it is made changed (a no-change run renders nothing), and written only where it changed.
  next.leaflets = Object.fromEntries(library.leaflets.filter((leaflet) => next.leaflets[leaflet.id]).map((leaflet) => [leaflet.id, next.leaflets[leaflet.id]!]));
  result.entries = Object.values(next.leaflets).map(({ entry }) => entry);
  const catalogueHash = createHash('sha256').update(JSON.stringify([tool, library.config, result.entries])).digest('hex');
  const made = cache.catalogue;
  if (made?.hash === catalogueHash && made.files.every((name) => existsSync(path.join(outDir, name)))) {
    next.catalogue = made;
  } else {
    const catalogue = [...(await renderCataloguePages(library.config, result.entries)), ...renderFeeds(library.config, result.entries), ...renderSitemap(library.config, result.entries)];
    result.written = await writeChanged(outDir, catalogue);
    next.catalogue = { hash: catalogueHash, files: catalogue.map((file) => file.name) };
  }
  // Made each time it is asked for: which reviews are overdue depends on the day as well as on the leaflets.
  if (options.reviewReport) result.written.push(...(await writeChanged(outDir, [await renderReviewReport(library.config, result.entries, buildOptions.buildTime)])));
  await writeCache(outDir, next);
  return result;
}

/**
 * Leaflets built at once by default. A leaflet's build waits much of its time (on Chromium, on its prints),
 * and with one leaflet in flight per core the cores were idle half the time;
 * two per core kept them busy (docs/performance.md).
 */
export const DEFAULT_JOBS = os.availableParallelism() * 2;

/**
 * In this process: one browser for the whole library, each leaflet written as soon as it is built. The
 * browser has a renderer process per core (at most one per leaflet in flight), so that the leaflets' pages
 * are laid out and printed side by side, not in turn in one renderer.
 */
function directBuilder(library: Library, outDir: string, options: LeafletBuildOptions, claimSlug: ClaimSlug, jobs: number): LeafletBuilder {
  const browser = new SharedBrowser(() => launchBrowser({ renderers: Math.min(jobs, os.availableParallelism()) }));
  const context = { root: library.root, config: library.config, outDir, browser, options, claimSlug };
  return {
    build: (leaflet) => buildLeaflet(leaflet, context),
    close: () => browser.close(),
  };
}

/** Run `work` on every item, `limit` at a time, in order of start. */
export async function eachAtOnce<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

function cachedRead(cache: Map<string, Promise<Buffer>>, file: string): Promise<Buffer> {
  let read = cache.get(file);
  if (!read) cache.set(file, (read = readFile(file)));
  return read;
}

/** Every problem a leaflet's failure stands for, each naming its file. */
export function problemsOf(error: unknown, leaflet: LeafletSource): VFileMessage[] {
  if (error instanceof LeafletFailed) return error.problems;
  // Every problem the manuscript has, errors and warnings, each at its place (the build reports them all at once).
  if (error instanceof ManuscriptProblems) return error.messages;
  if (isProblem(error)) return [error];
  return [problem(`the leaflet could not be built: ${(error as Error)?.message ?? String(error)}`, { file: leaflet.input, cause: error })];
}

async function writeChanged(outDir: string, files: OutputFile[]): Promise<string[]> {
  const changed = [];
  for (const file of files) {
    const before = await readFile(path.join(outDir, file.name)).catch(() => undefined);
    if (!before || !before.equals(file.bytes)) changed.push(file);
  }
  return changed.length ? writeOutputs(outDir, changed) : [];
}
