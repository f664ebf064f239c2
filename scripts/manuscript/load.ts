/**
 * Load a manuscript: one `.md` file, or a folder of them in file-name order.
 * Each file is read as strict UTF-8 and parsed once; the first file's YAML
 * front matter, checked against the metadata schema, describes the publication.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { imageSize } from 'image-size';
import { parseDocument } from 'yaml';
import type { Root, Yaml } from 'mdast';
import { metadataSchema, type Metadata } from './metadata.js';
import { parseMarkdown } from './parse.js';
import { problem } from '../problems.js';
import { ImageRefused, readLocalImage, type Asset } from './images.js';

export interface ManuscriptFile {
  file: VFile;
  /** The file's Markdown tree, front matter removed. */
  tree: Root;
}

export interface Manuscript {
  /** The manuscript folder: images must lie inside it. */
  root: string;
  /** In reading order. */
  files: ManuscriptFile[];
  metadata: Metadata;
  /** The masthead logo named by the front matter. */
  logo?: Asset;
  /** The finished cover image front matter `cover` names. */
  cover?: Asset;
  /** The picture front matter `coverArt` names, for the generated cover. */
  coverArt?: Asset;
}

/** The smallest cover stores accept without complaint (width × height, px). */
export const COVER_SIZE = { width: 1600, height: 2560 } as const;

export interface LoadOptions {
  /** Front matter every manuscript of a library shares (library.yaml, checked there): its own front matter overrides them. */
  defaults?: Record<string, unknown>;
  /** The library's logo, used when the front matter names none of its own. */
  logo?: Asset;
}

export async function loadManuscript(input: string, options: LoadOptions = {}): Promise<Manuscript> {
  const { root, paths } = await listMarkdownFiles(path.resolve(input));
  const files = await Promise.all(paths.map(readUtf8));
  const trees = files.map(parseMarkdown);

  const frontMatter = trees.map((tree) => tree.children.find((node): node is Yaml => node.type === 'yaml'));
  frontMatter.forEach((extra, index) => {
    if (index > 0 && extra) {
      throw problem('front matter is only read from the first file', {
        file: files[index]!.path,
        place: extra.position,
        hint: `Move these keys into the front matter of ${path.basename(files[0]!.path)}.`,
      });
    }
  });
  const first = frontMatter[0];
  if (!first) {
    throw problem('the manuscript has no front matter', {
      file: files[0]!.path,
      place: { line: 1, column: 1 },
      hint: 'Start the first file with a YAML block between --- lines that gives at least `title:` and `author:` or `publisher:`.',
    });
  }
  const metadata = readMetadata(first, files[0]!, options.defaults);
  const bodies = trees.map((tree): Root => ({ ...tree, children: tree.children.filter((node) => node.type !== 'yaml') }));
  if (bodies.every((tree) => tree.children.length === 0)) {
    throw problem('the manuscript has no text', { file: files[0]!.path, hint: 'Write the article below the front matter.' });
  }
  const [logo, cover, coverArt] = await Promise.all([
    metadata.logo ? readFrontMatterImage('logo', metadata.logo, root, first, files[0]!) : options.logo,
    metadata.cover ? readCover(metadata.cover, root, first, files[0]!) : undefined,
    metadata.coverArt ? readFrontMatterImage('coverArt', metadata.coverArt, root, first, files[0]!) : undefined,
  ]);
  return { root, files: files.map((file, index) => ({ file, tree: bodies[index]! })), metadata, logo, cover, coverArt };
}

/** An image front matter names, relative to the manuscript folder; problems point at its key. */
async function readFrontMatterImage(key: string, src: string, root: string, node: Yaml, file: VFile): Promise<Asset> {
  return readLocalImage(src, root, root).catch((error: unknown) => {
    if (!(error instanceof ImageRefused)) throw error;
    throw problem(`front matter \`${key}\`: ${error.message}`, {
      file: file.path,
      place: findKey(node.value, key, (node.position?.start.line ?? 1) + 1),
      hint: error.note,
    });
  });
}

async function readCover(src: string, root: string, node: Yaml, file: VFile): Promise<Asset> {
  const asset = await readFrontMatterImage('cover', src, root, node, file);
  const place = findKey(node.value, 'cover', (node.position?.start.line ?? 1) + 1);
  const generated = 'Leave out `cover:` to have the build draw one from the title (with `coverArt:` for a picture on it).';
  if (asset.mediaType !== 'image/jpeg' && asset.mediaType !== 'image/png') {
    throw problem(`the cover must be a JPEG or PNG image: ${src}`, { file: file.path, place, hint: `Export the cover as .jpg or .png. ${generated}` });
  }
  let size: { width?: number; height?: number } = {};
  try {
    size = imageSize(asset.bytes);
  } catch {
    throw problem(`the cover is not a readable image: ${src}`, { file: file.path, place, hint: `Export the cover again as .jpg or .png. ${generated}` });
  }
  const { width = 0, height = 0 } = size;
  if (width < COVER_SIZE.width || height < COVER_SIZE.height) {
    throw problem(`the cover is ${width}×${height} px, smaller than ${COVER_SIZE.width}×${COVER_SIZE.height}: ${src}`, {
      file: file.path,
      place,
      hint: `Ebook stores ask for covers of at least ${COVER_SIZE.width}×${COVER_SIZE.height} px. ${generated}`,
    });
  }
  return asset;
}

async function listMarkdownFiles(input: string): Promise<{ root: string; paths: string[] }> {
  const info = await stat(input).catch((cause: unknown) => {
    throw problem(`cannot read the manuscript: ${(cause as Error).message}`, {
      file: input,
      hint: 'Pass an existing .md file or a folder of .md files.',
      cause,
    });
  });
  if (!info.isDirectory()) return { root: path.dirname(input), paths: [input] };
  const names = (await readdir(input)).filter((name) => name.endsWith('.md') && !name.startsWith('.'));
  if (names.length === 0) {
    throw problem('the manuscript folder has no .md files', { file: input, hint: 'Add the article as a Markdown (.md) file.' });
  }
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { root: input, paths: names.map((name) => path.join(input, name)) };
}

async function readUtf8(filePath: string): Promise<VFile> {
  const bytes = await readFile(filePath);
  try {
    return new VFile({ path: filePath, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) });
  } catch (cause) {
    // Decoded leniently, the first bad byte becomes U+FFFD: its place is the line and column to fix.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const before = lenient.slice(0, lenient.indexOf('\uFFFD'));
    throw problem('the file is not valid UTF-8', {
      file: filePath,
      place: { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') },
      hint: 'Save the file with UTF-8 encoding (most editors offer it under "Save with encoding").',
      cause,
    });
  }
}

function readMetadata(node: Yaml, file: VFile, defaults: Record<string, unknown> = {}): Metadata {
  // The YAML text starts on the line after the opening `---`.
  const firstLine = (node.position?.start.line ?? 1) + 1;
  const document = parseDocument(node.value);
  const yamlError = document.errors[0];
  if (yamlError) {
    const [line, column] = yamlError.linePos?.[0] ? [yamlError.linePos[0].line, yamlError.linePos[0].col] : [1, 1];
    throw problem(`malformed front matter: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, {
      file: file.path,
      place: { line: firstLine + line - 1, column },
      hint: 'Fix the YAML between the --- lines (indent with spaces; quote values that contain a colon).',
    });
  }
  const frontMatter: unknown = document.toJS() ?? {};
  const isRecord = typeof frontMatter === 'object' && !Array.isArray(frontMatter) && !(frontMatter instanceof Date);
  const result = metadataSchema.safeParse(isRecord ? { ...defaults, ...frontMatter } : frontMatter);
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const key = issue.path.map(String).join('.');
  const keyNode = key ? document.getIn(issue.path.slice(0, 1) as string[], true) : undefined;
  const range = (keyNode as { range?: [number, number, number] } | undefined)?.range;
  const place = range ? offsetToPoint(node.value, range[0], firstLine) : { line: firstLine, column: 1 };
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
  throw problem(
    unknownKeys ? `unknown front matter key${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` : `front matter \`${key}\` ${issue.message}`,
    {
      file: file.path,
      place: unknownKeys ? findKey(node.value, unknownKeys[0]!, firstLine) : place,
      hint: unknownKeys
        ? `Known keys: ${Object.keys(metadataSchema.shape).join(', ')} (see README).`
        : `\`${key}\`: ${metadataSchema.shape[issue.path[0] as keyof Metadata]?.description ?? 'see README'}`,
    },
  );
}

function offsetToPoint(text: string, offset: number, firstLine: number) {
  const before = text.slice(0, offset);
  return { line: firstLine + before.split('\n').length - 1, column: offset - before.lastIndexOf('\n') };
}

function findKey(text: string, key: string, firstLine: number) {
  const match = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'm').exec(text);
  return match ? offsetToPoint(text, match.index, firstLine) : { line: firstLine, column: 1 };
}
