/**
 * Load a manuscript: one `.md` file, or a folder of them in file-name order.
 * Each file is read as strict UTF-8 and parsed once, or its tree read back from the
 * project's cache (kept-trees.ts); the first file's YAML front matter, checked
 * against the metadata schema, describes the publication.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isLanguageTag, narrowerTag } from '../languages/language.js';
import { VFile } from 'vfile';
import { imageSize } from 'image-size';
import { parseDocument } from 'yaml';
import type { Root, Yaml } from 'mdast';
import { DEFAULT_CHAPTER_LEVEL, metadataSchema, type Metadata } from './metadata.js';
import { parseMarkdown } from './parse.js';
import { keptTree } from './kept-trees.js';
import { fileProblem, isProblem, problem, sortProblems } from '../base/problems.js';
import type { VFileMessage } from 'vfile-message';
import { toString as mdastToString } from 'mdast-util-to-string';
import { ImageRefused, readLocalImage, type Asset } from './images.js';
import { translationOf } from './translation-files.js';
import { readPressProfile, type PressProfile } from './press-profile.js';
import escapeStringRegexp from 'escape-string-regexp';

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
  /** The print shop's ICC profile front matter `pressProfile` names, when a press file is asked for. */
  pressProfile?: PressProfile;
  /** The front matter as written (before defaults), which translations inherit from. */
  frontMatter?: Record<string, unknown>;
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
  return loadManuscriptFiles(root, paths, input, options);
}

/**
 * What a translation takes from its source: the front matter keys it does not set itself (`inherited`, checked with
 * its own), the pictures the source's front matter names, and its file name's language, which its own `lang` must match.
 */
export interface Inheritance {
  inherited: Record<string, unknown>;
  assets: Pick<Manuscript, 'logo' | 'cover' | 'coverArt' | 'pressProfile'>;
  lang: string;
}

/**
 * The manuscript made of these files, in this order (`input` names it); a translation's front matter over what it
 * inherits (`inheritance`).
 */
export async function loadManuscriptFiles(root: string, paths: string[], input: string, options: LoadOptions & { inheritance?: Inheritance } = {}): Promise<Manuscript> {
  const { inheritance } = options;
  const files = await Promise.all(paths.map(readUtf8));
  // A leading `---` block that is not keys and values (`---\nFoo\n---`) is Markdown, as CommonMark reads it.
  const trees = await Promise.all(
    files.map((file) =>
      keptTree(file, () => {
        const tree = parseMarkdown(file);
        return isMarkdownNotFrontMatter(tree) ? parseMarkdown(file, { frontMatter: false }) : tree;
      }),
    ),
  );

  const frontMatter = trees.map((tree) => tree.children.find((node): node is Yaml => node.type === 'yaml'));
  frontMatter.forEach((extra, index) => {
    if (index > 0 && extra) {
      fileProblem(files[index]!, 'front matter is only read from the first file', {
        place: extra.position,
        hint: `Move these keys into the front matter of ${path.basename(files[0]!.path)}.`,
        ruleId: 'front-matter',
        fatal: true,
      });
    }
  });
  const first = frontMatter[0];
  const defaults = inheritance ? { ...inheritance.inherited, lang: inheritance.lang } : options.defaults;
  const { metadata, written } = readMetadata(first, files[0]!, (chapterLevel) => titleOf(trees, chapterLevel, input), defaults, inheritance?.lang);
  const bodies = trees.map((tree): Root => ({ ...tree, children: tree.children.filter((node) => node.type !== 'yaml') }));
  if (bodies.every((tree) => tree.children.length === 0)) {
    throw problem('the manuscript has no text', { file: files[0]!.path, hint: 'Write the article in the file (below the front matter, if it has one).' });
  }
  // A front-matter image that cannot be used is an error at its key; the rest of the manuscript is still checked.
  const recorded = (error: unknown) => {
    if (!isProblem(error)) throw error;
    files[0]!.messages.push(error);
    return undefined;
  };
  // A translation's pictures are its source's, unless its own front matter names others.
  const own = (key: 'logo' | 'cover' | 'coverArt') => (inheritance ? written[key] !== undefined : true);
  const [logo, cover, coverArt] = await Promise.all([
    metadata.logo && first && own('logo') ? readFrontMatterImage('logo', metadata.logo, root, first, files[0]!).catch(recorded) : (inheritance?.assets.logo ?? options.logo),
    metadata.cover && first && own('cover') ? readCover(metadata.cover, root, first, files[0]!).catch(recorded) : inheritance?.assets.cover,
    metadata.coverArt && first && own('coverArt') ? readFrontMatterImage('coverArt', metadata.coverArt, root, first, files[0]!).catch(recorded) : inheritance?.assets.coverArt,
  ]);
  const pressProfile = inheritance ? inheritance.assets.pressProfile : await readPressProfile(metadata, root, files[0]!, (key) => findKey(String(files[0]!.value), key, 1));
  // What translations inherit: the front matter this manuscript was given (a library's defaults under its own).
  const given = inheritance ? written : { ...options.defaults, ...written };
  return { root, files: files.map((file, index) => ({ file, tree: bodies[index]! })), metadata, frontMatter: given, logo, cover, coverArt, pressProfile };
}

/** Every message on the manuscript's files (and `more`), by file in reading order, then place. */
export function manuscriptMessages(manuscript: Pick<Manuscript, 'files'>, more: VFileMessage[] = []): VFileMessage[] {
  const files = manuscript.files.map(({ file }) => file);
  return sortProblems([...files.flatMap((file) => file.messages), ...more], files.map((file) => file.path));
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
  const all = (await readdir(input)).filter((name) => name.endsWith('.md') && !name.startsWith('.'));
  // `care.es.md` beside `care.md` is its translation (scripts/manuscript/translations.ts), not part of the source.
  const names = all.filter((name) => !translationOf(name, all));
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

/** Whether the file's leading `---` block is well-formed YAML that holds no keys (a word, a list): text, not front matter. */
function isMarkdownNotFrontMatter(tree: Root): boolean {
  const block = tree.children[0];
  if (block?.type !== 'yaml' || !block.value.trim()) return false;
  const document = parseDocument(block.value);
  const value: unknown = document.errors.length ? undefined : document.toJS();
  return document.errors.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value));
}

/** Where the title comes from when the front matter gives none. */
interface DerivedTitle {
  text: string;
  /** `heading` for the first `#` heading, `name` for the file or folder name. */
  from: 'heading' | 'name';
}

/**
 * The publication's metadata from the front matter, which may be absent: every problem in it is
 * recorded on the file (the keys at fault are left out, so the rest of the manuscript is still
 * checked), a missing title is taken from the text, and each missing field the outputs would
 * like is a warning.
 */
function readMetadata(
  node: Yaml | undefined,
  file: VFile,
  deriveTitle: (chapterLevel: number) => DerivedTitle,
  defaults: Record<string, unknown> = {},
  /** A translation's language, from its file name: its own `lang`, if given, must agree. */
  translationLang?: string,
): { metadata: Metadata; written: Record<string, unknown> } {
  // The YAML text starts on the line after the opening `---`.
  const firstLine = (node?.position?.start.line ?? 1) + 1;
  const frontMatterPlace = node?.position?.start ?? { line: 1, column: 1 };
  const error = (reason: string, place: { line: number; column: number }, hint: string) =>
    fileProblem(file, reason, { place, hint, ruleId: 'front-matter', fatal: true });
  const document = parseDocument(node?.value ?? '');
  let data: Record<string, unknown> = { ...defaults };
  let written: Record<string, unknown> = {};
  if (document.errors.length) {
    for (const yamlError of document.errors) {
      const [line, column] = yamlError.linePos?.[0] ? [yamlError.linePos[0].line, yamlError.linePos[0].col] : [1, 1];
      error(
        `malformed front matter: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        { line: firstLine + line - 1, column },
        'Fix the YAML between the --- lines (indent with spaces; quote values that contain a colon).',
      );
    }
  } else {
    const value: unknown = document.toJS() ?? {};
    if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) written = value as Record<string, unknown>;
    else error('the front matter is not a list of keys and values', frontMatterPlace, 'Write one `key: value` a line between the --- lines, e.g. `title: My handout`.');
  }
  // A translation's file name and its front matter may name its language more or less narrowly (`care.zh.md` with
  // `lang: zh-Hans`): the narrower wins. Two different languages are an error.
  if (translationLang && written.lang !== undefined) {
    const narrower = typeof written.lang === 'string' && isLanguageTag(written.lang) ? narrowerTag(translationLang, written.lang) : undefined;
    if (narrower === undefined) {
      error(
        `front matter \`lang\` is ${String(written.lang)}, but the file name says ${translationLang}`,
        findKey(node?.value ?? '', 'lang', firstLine),
        `A translation's language is the one in its file name (${path.basename(file.path)}), or a narrower form of it (${translationLang}-…): correct the one that is wrong.`,
      );
    }
    if (narrower !== written.lang) {
      const { lang: _wider, ...rest } = written;
      written = rest;
    }
  }
  data = { ...defaults, ...written };

  const withTitle = (fields: Record<string, unknown>) => {
    if (fields.title !== undefined) return { fields, derived: undefined };
    const derived = deriveTitle(typeof fields.chapterLevel === 'number' ? fields.chapterLevel : DEFAULT_CHAPTER_LEVEL);
    return { fields: { ...fields, title: derived.text }, derived };
  };
  let { fields, derived } = withTitle(data);
  let result = metadataSchema.safeParse(fields);
  if (!result.success) {
    const atFault = new Set<string>();
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.');
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
      if (unknownKeys) {
        for (const unknown of unknownKeys) {
          atFault.add(unknown);
          error(`unknown front matter key: ${unknown}`, findKey(node?.value ?? '', unknown, firstLine), `Known keys: ${Object.keys(metadataSchema.shape).join(', ')} (see README).`);
        }
        continue;
      }
      atFault.add(String(issue.path[0]));
      const keyNode = key ? document.getIn(issue.path.slice(0, 1) as string[], true) : undefined;
      const range = (keyNode as { range?: [number, number, number] } | undefined)?.range;
      error(
        `front matter \`${key}\` ${issue.message}`,
        range ? offsetToPoint(node?.value ?? '', range[0], firstLine) : { line: firstLine, column: 1 },
        `\`${key}\`: ${metadataSchema.shape[issue.path[0] as keyof Metadata]?.description ?? 'see README'}`,
      );
    }
    ({ fields, derived } = withTitle(Object.fromEntries(Object.entries(data).filter(([key]) => !atFault.has(key)))));
    result = metadataSchema.safeParse(fields);
    if (!result.success) throw problem(`front matter: ${result.error.issues[0]!.message}`, { file: file.path, place: frontMatterPlace });
  }
  const metadata = result.data;

  const missing = (reason: string, hint: string) => fileProblem(file, reason, { place: frontMatterPlace, hint, ruleId: 'front-matter-missing' });
  if (derived?.from === 'name') {
    missing(`no title: the file name is the title, “${derived.text}”`, 'Start the text with a `# Title` heading, or give `title:` in the front matter.');
  }
  if (!metadata.author) missing('no author: the PDF’s Author and the EPUB’s dc:creator are left empty', 'Give `author:` in the front matter (a name, or a list of names).');
  if (!metadata.publisher) missing('no publisher: the imprint and the EPUB’s dc:publisher name no publisher', 'Give `publisher:` in the front matter: the clinic or company that publishes the handout.');
  return { metadata, written };
}

/**
 * The title when the front matter gives none: the text of the first `#` heading (articles, where
 * it is set as the title), else the name of the manuscript file or folder (books, whose every `#` is a chapter).
 */
function titleOf(trees: Root[], chapterLevel: number, input: string): DerivedTitle {
  if (chapterLevel > 1) {
    for (const tree of trees) {
      const text = tree.children.map(titleText).find(Boolean);
      if (text) return { text, from: 'heading' };
    }
  }
  const name = path.basename(input, path.extname(input)).replace(/[-_]+/g, ' ').trim();
  return { text: name || 'Untitled', from: 'name' };
}

/**
 * The words of a `#` heading, or of an HTML block's `<h1>` (a README's centred title); the alt text of
 * its images only when it has no words (a logo), not of a badge beside them.
 */
function titleText(node: Root['children'][number]): string {
  const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (node.type === 'heading' && node.depth === 1) {
    return fold(mdastToString(node, { includeImageAlt: false })) || fold(mdastToString(node, { includeImageAlt: true }));
  }
  const h1 = node.type === 'html' ? /^\s*<h1[\s>][^>]*>?([\s\S]*?)<\/h1>/i.exec(node.value)?.[1] : undefined;
  if (!h1) return '';
  const alts = [...h1.matchAll(/<img\s[^>]*\balt\s*=\s*("([^"]*)"|'([^']*)')/gi)].map((match) => match[2] ?? match[3] ?? '');
  return fold(decodeHtmlText(h1.replace(/<[^>]*>/g, ' '))) || fold(alts.join(' '));
}

/** The few character references a title is likely to hold. */
function decodeHtmlText(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return named[name.toLowerCase()] ?? whole;
    const code = Number(name[1]!.toLowerCase() === 'x' ? `0${name.slice(1)}` : name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function offsetToPoint(text: string, offset: number, firstLine: number) {
  const before = text.slice(0, offset);
  return { line: firstLine + before.split('\n').length - 1, column: offset - before.lastIndexOf('\n') };
}

/** Where `key:` starts in front matter `text` whose first line is line `firstLine` of its file. */
export function findKey(text: string, key: string, firstLine: number) {
  const match = new RegExp(`^${escapeStringRegexp(key)}\\s*:`, 'm').exec(text);
  return match ? offsetToPoint(text, match.index, firstLine) : { line: firstLine, column: 1 };
}
