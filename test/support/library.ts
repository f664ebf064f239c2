/**
 * Helpers for the library tests: a writable copy of the fixture library, what a build
 * left in dist/ (every file with its time of change), and the links of a catalogue page
 * and an OPDS feed, each resolved to the file in dist/ it names.
 */
import { cp, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import { fixture, tempDir } from './cli.js';

/** A copy of test/fixtures/library to change, and a dist/ for it. */
export async function copyLibrary(): Promise<{ library: string; out: string }> {
  const dir = await tempDir('press-library-');
  const library = path.join(dir, 'library');
  await cp(fixture('library'), library, { recursive: true });
  return { library, out: path.join(dir, 'dist') };
}

/** Every file under `folder` (relative, `/`), with its time of change in ns. */
export async function filesWithTimes(folder: string): Promise<Map<string, bigint>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = new Map<string, bigint>();
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file).split(path.sep).join('/'), (await stat(file, { bigint: true })).mtimeNs);
  }
  return files;
}

/** Every `href` and `src` of an HTML page, as written. */
export async function pageLinks(file: string): Promise<string[]> {
  const tree = fromHtml(await readFile(file, 'utf8'));
  const links: string[] = [];
  visit(tree, 'element', (node: Element) => {
    for (const key of ['href', 'src'] as const) if (typeof node.properties[key] === 'string') links.push(node.properties[key]);
  });
  return links;
}

/** The file in `dist` a relative link from `page` names, or why it names none. */
export function resolveLink(dist: string, page: string, href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) throw new Error(`not a link into dist/: ${href}`);
  return path.join(path.dirname(path.join(dist, page)), decodeURI(href.split('#')[0]!));
}
