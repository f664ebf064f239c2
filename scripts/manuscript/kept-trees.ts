/**
 * A manuscript file's Markdown tree, kept in the project's cache (node_modules/.cache/massage-press/trees/)
 * by its text and the code that parsed it. A library or a book is rebuilt whole after every change of
 * template, style or font, and none of those changes its text: the rebuild reads each tree back (V8's
 * deserializer, a thirtieth of the parse or less) instead of parsing the Markdown again, which is a book's longest step
 * before its print can start (docs/performance.md).
 *
 * The code is named by the command line's bundle, whose name is made from every script, the installed
 * packages and esbuild's version (scripts/cli/bundle.mjs), and by V8's version, which writes the tree.
 * Code run from its sources (tsx, the tests) has no such name, and parses every time.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { CACHE_ROOT, keepFile, readKeptFile } from '../base/kept-files.js';

/**
 * A library's files and their translations, each kept once, and drafts: at most 2,048 trees, and 256 MiB in all. A
 * leaflet's tree is about 20 kB, the 345-page book's 2.4 MB, the 5 MB test manuscript's some 20 MB: a writer saving
 * a large manuscript again and again leaves a tree each time.
 */
export const KEPT_TREES = { files: 2048, bytes: 256 * 2 ** 20 };

/** Where trees are kept (the bench empties it for a cold build). */
export const TREE_CACHE = path.join(CACHE_ROOT, 'trees');

/** The bundle's part of its own name that names the sources it was made from: `build-<16 hex digits>.cjs`. */
const BUNDLED_SOURCES = /-([0-9a-f]{16})\.cjs$/;

/** The sources this code was bundled from, when it runs from the command line's bundle (`import.meta.url` is then the bundle's). */
export const BUNDLED_CODE = BUNDLED_SOURCES.exec(import.meta.url)?.[1];

export interface KeptTreeOptions {
  /** What names the code that parses: the bundle's sources by default; none, and nothing is kept. */
  code?: string;
  /** Where trees are kept (a test's own folder). */
  folder?: string;
}

/** `file`'s tree as `parse` makes it, or as it made it before from the same text with the same code. */
export async function keptTree(file: VFile, parse: (file: VFile) => Root, { code = BUNDLED_CODE, folder = TREE_CACHE }: KeptTreeOptions = {}): Promise<Root> {
  if (!code) return parse(file);
  const name = `${createHash('sha256').update(`${code}\n${process.versions.v8}\n`).update(String(file.value)).digest('hex').slice(0, 32)}.v8`;
  const kept = await readKeptFile(folder, name);
  if (kept) {
    try {
      return v8.deserialize(kept) as Root;
    } catch {
      // Written by another V8 that shares the name, or cut short: parsed again, and kept again below.
    }
  }
  const tree = parse(file);
  await keepFile(folder, name, v8.serialize(tree), KEPT_TREES);
  return tree;
}
