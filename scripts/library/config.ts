/**
 * Load a library: a folder with a `library.yaml` holding the library's title and the
 * front matter its leaflets share, and the leaflets themselves: each `.md` file of the
 * folder, and each sub-folder that holds `.md` files (a folder manuscript). Everything
 * else in the folder (an `images/` folder, the logo) is shared by the single-file leaflets.
 *
 * Nothing is read through a symbolic link: a link may point anywhere on the machine, and
 * what a leaflet is built from must lie inside its library (a queue sends it to another machine).
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { metadataSchema } from '../manuscript/metadata.js';
import { problem } from '../base/problems.js';
import { translatedFolder, translationOf } from '../manuscript/translation-files.js';
import escapeStringRegexp from 'escape-string-regexp';

export const LIBRARY_FILE = 'library.yaml';

/** A folder is a library when it holds a library.yaml; otherwise it is one publication. */
export const isLibrary = (folder: string) => existsSync(path.join(folder, LIBRARY_FILE));

/** The library a leaflet belongs to: the folder of a leaflet file, or the folder around a leaflet folder, when it holds a library.yaml. */
export function libraryFolderOf(leaflet: string): string | undefined {
  const folder = path.dirname(path.resolve(leaflet));
  return [folder, path.dirname(folder)].find(isLibrary);
}

const shape = metadataSchema.shape;

/** The front matter keys a library may give its leaflets, checked as the leaflets' own are. */
const SHARED_KEYS = ['author', 'publisher', 'contact', 'disclaimer', 'editions', 'rights', 'lang', 'keywords', 'reviewInterval'] as const;

export const librarySchema = z
  .object({
    title: z.string().trim().min(1).describe('Title of the library: the catalogue page and the OPDS feed carry it.'),
    description: z.string().trim().min(1).optional().describe('A sentence about the library, under its title.'),
    identifier: z.string().trim().min(1).optional().describe('Stable identifier of the OPDS feed; derived from the title when absent.'),
    ...Object.fromEntries(SHARED_KEYS.map((key) => [key, shape[key].optional()])),
    logo: z.string().trim().min(1).optional().describe('Masthead logo for every leaflet without one of its own: an image in the library folder.'),
    downloadBaseUrl: z
      .url({ protocol: /^https?$/, error: 'must be a full http(s) address such as https://example.com/leaflets/' })
      .optional()
      .describe('Where dist/ is published: each leaflet without a `downloadUrl` gets <downloadBaseUrl>/<slug>/<slug>.epub.'),
  })
  .strict();

export interface LibraryConfig {
  title: string;
  description?: string;
  identifier?: string;
  /** The shared front matter as written (leaflets' front matter is merged over it, then checked). */
  defaults: Record<string, unknown>;
  /** library.yaml's `logo`, relative to the library folder. */
  logo?: string;
  downloadBaseUrl?: string;
}

export interface LeafletSource {
  /** The leaflet's path in the library, with `/`: `knee-pain.md`, or `back-care` for a folder. */
  id: string;
  /** What loadManuscript reads: the .md file or the folder. */
  input: string;
  /** Every file it is built from, relative to the library folder, sorted: its Markdown, then what it may use. */
  files: string[];
  /** Symbolic links among what it would be built from: it is refused. */
  links: string[];
}

export interface Library {
  root: string;
  config: LibraryConfig;
  leaflets: LeafletSource[];
}

/** The folder manuscript `name` (`back-care.es`) translates, when one is beside it (`back-care`). */
function translatedFolderOf(name: string, entries: readonly Dirent[]): string | undefined {
  const folder = translatedFolder(name);
  if (!folder || !entries.some((entry) => entry.name === name && entry.isDirectory())) return undefined;
  return entries.some((entry) => entry.name === folder.source && entry.isDirectory()) ? folder.source : undefined;
}

/** `exclude`: a folder inside the library never read (the output folder, when it is put there). */
export async function loadLibrary(folder: string, exclude: string[] = []): Promise<Library> {
  const root = path.resolve(folder);
  const config = await readLibraryConfig(root);
  const skipped = new Set(exclude.map((dir) => path.resolve(dir)));
  const entries = (await readdir(root, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules');
  entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

  const leaflets: LeafletSource[] = [];
  const shared: string[] = [];
  const sharedLinks: string[] = [];
  // A leaflet's translations (knee-pain.es.md, back-care.es/) are built with it (manuscript/translations.ts), not alone.
  const names = entries.map((entry) => entry.name);
  const translations = new Map<string, string[]>();
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (skipped.has(full) || entry.name === LIBRARY_FILE) continue;
    const source = translationOf(entry.name, names)?.source ?? translatedFolderOf(entry.name, entries);
    if (source) {
      const files = entry.isDirectory() ? (await listFiles(root, entry.name, skipped)).files : [entry.name];
      translations.set(source, [...(translations.get(source) ?? []), ...files]);
      continue;
    }
    if (entry.isSymbolicLink()) {
      if (entry.name.endsWith('.md')) leaflets.push({ id: entry.name, input: full, files: [entry.name], links: [entry.name] });
      else sharedLinks.push(entry.name);
    } else if (entry.isFile()) {
      if (entry.name.endsWith('.md')) leaflets.push({ id: entry.name, input: full, files: [entry.name], links: [] });
      else shared.push(entry.name);
    } else if (entry.isDirectory()) {
      const inside = await listFiles(root, entry.name, skipped);
      const isManuscript = (await readdir(full)).some((name) => name.endsWith('.md') && !name.startsWith('.'));
      if (isManuscript) leaflets.push({ id: entry.name, input: full, files: inside.files, links: inside.links });
      else {
        shared.push(...inside.files);
        sharedLinks.push(...inside.links);
      }
    }
  }
  // A single-file leaflet may use any shared file (its images, the library's logo): all of them are its inputs.
  for (const leaflet of leaflets) {
    if (leaflet.id.endsWith('.md')) {
      leaflet.files = [leaflet.id, ...shared];
      leaflet.links = [...leaflet.links, ...sharedLinks];
    }
  }
  for (const leaflet of leaflets) leaflet.files.push(...(translations.get(leaflet.id) ?? []));
  if (config.logo && !config.logo.includes('..')) {
    // A folder leaflet uses the library's logo too, from outside its folder.
    for (const leaflet of leaflets) if (!leaflet.files.includes(config.logo)) leaflet.files.push(config.logo);
  }
  return { root, config, leaflets };
}

async function listFiles(root: string, folder: string, skipped: Set<string>): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const child = `${relative}/${entry.name}`;
      if (skipped.has(path.join(root, child))) continue;
      if (entry.isSymbolicLink()) links.push(child);
      else if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  await walk(folder);
  return { files, links };
}

/** The library file of the library in `folder`, checked. */
export async function readLibraryConfig(folder: string): Promise<LibraryConfig> {
  const file = path.join(folder, LIBRARY_FILE);
  const info = await lstat(file);
  if (info.isSymbolicLink()) throw problem('library.yaml is a symbolic link', { file, hint: 'Put the library file itself in the library folder.' });
  const text = await readFile(file, 'utf8');
  const document = parseDocument(text);
  const yamlError = document.errors[0];
  if (yamlError) {
    const [line, column] = yamlError.linePos?.[0] ? [yamlError.linePos[0].line, yamlError.linePos[0].col] : [1, 1];
    throw problem(`malformed library file: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, {
      file,
      place: { line, column },
      hint: 'Fix the YAML (indent with spaces; quote values that contain a colon).',
    });
  }
  const raw: unknown = document.toJS() ?? {};
  const result = librarySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    const key = unknownKeys?.[0] ?? String(issue.path[0] ?? '');
    const node = key ? (document.getIn([key], true) as { range?: [number, number, number] } | undefined) : undefined;
    const keyOffset = key ? new RegExp(`^${escapeStringRegexp(key)}\\s*:`, 'm').exec(text)?.index : undefined;
    const offset = unknownKeys ? keyOffset : (node?.range?.[0] ?? keyOffset);
    const before = text.slice(0, offset ?? 0);
    throw problem(unknownKeys ? `unknown library key${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` : `library \`${issue.path.join('.')}\` ${issue.message}`, {
      file,
      place: { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') },
      hint: `Known keys: ${Object.keys(librarySchema.shape).join(', ')} (see README, "A library of leaflets").`,
    });
  }
  const { title, description, identifier, logo, downloadBaseUrl } = result.data;
  const written = raw as Record<string, unknown>;
  const defaults = Object.fromEntries(SHARED_KEYS.filter((key) => written[key] !== undefined).map((key) => [key, written[key]]));
  return { title, description, identifier, logo, downloadBaseUrl, defaults };
}
