/**
 * Reading an image the manuscript refers to, with the rules every edition
 * relies on: a path inside the manuscript folder, an existing file, and a
 * format an EPUB reading system must support. Never a download.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Asset {
  /** Path relative to the manuscript folder, with `/` separators: the key `src` attributes carry. */
  key: string;
  absolutePath: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * Image formats every EPUB 3 reading system must support (the EPUB 3.2 core media
 * types). WebP is not one of them: it became a core type only in EPUB 3.3, older
 * reading systems cannot show it and epubcheck 4 rejects it without a fallback.
 */
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

/** Why an image cannot be used, and what to do about it. */
export class ImageRefused extends Error {
  constructor(
    reason: string,
    readonly note: string,
  ) {
    super(reason);
  }
}

/** Read the image `src` names, relative to `baseDir`; it must lie inside `root`. */
export async function readLocalImage(src: string, baseDir: string, root: string): Promise<Asset> {
  if (!src) throw new ImageRefused('image without a source', 'Give the image a path: ![description](images/photo.jpg).');
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    throw new ImageRefused(
      `remote image not allowed: ${src}`,
      'The build never downloads anything: save the image into the manuscript folder and link it by its relative path.',
    );
  }
  const absolutePath = path.resolve(baseDir, decodeURIComponent(src.split(/[?#]/)[0]!));
  const key = path.relative(root, absolutePath).split(path.sep).join('/');
  if (key.startsWith('../') || path.isAbsolute(key)) {
    throw new ImageRefused(`image outside the manuscript folder: ${src}`, `Copy the image into ${root} and link it from there.`);
  }
  const mediaType = IMAGE_TYPES[path.extname(absolutePath).toLowerCase()];
  if (!mediaType) {
    throw new ImageRefused(
      `unsupported image format: ${src}`,
      `Use one of ${Object.keys(IMAGE_TYPES).join(', ')} (convert WebP, TIFF or HEIC images to PNG or JPEG).`,
    );
  }
  const bytes = await readFile(absolutePath).catch(() => {
    throw new ImageRefused(`image not found: ${src}`, `No file at ${absolutePath}: check the spelling and the folder.`);
  });
  return { key, absolutePath, mediaType, bytes };
}
