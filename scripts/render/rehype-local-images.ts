/**
 * rehype plugin: resolve every `<img>` to a file inside the manuscript folder.
 * Remote URLs, paths that leave the folder, missing files and formats an EPUB
 * cannot carry are errors at the image's line and column. Each image is read
 * once and recorded as an asset; its `src` becomes the asset's key (its path
 * relative to the manuscript folder), which each edition turns into its own URL.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';

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

export interface LocalImagesOptions {
  /** The manuscript folder: images must lie inside it. */
  root: string;
}

export default function rehypeLocalImages(options: LocalImagesOptions) {
  return async (tree: Root, file: VFile) => {
    const images: Element[] = [];
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img') images.push(node);
    });
    const assets: Asset[] = (file.data.assets ??= []);
    for (const image of images) {
      const asset = await resolveImage(image, file, options.root);
      image.properties.src = asset.key;
      if (!assets.some((known) => known.key === asset.key)) assets.push(asset);
    }
  };
}

async function resolveImage(image: Element, file: VFile, root: string): Promise<Asset> {
  const src = String(image.properties.src ?? '');
  if (!src) {
    throw fatal(file, image, 'image without a source', 'Give the image a path: ![description](images/photo.jpg).');
  }
  return readImage(src, path.dirname(file.path), root, (reason, note) => {
    throw fatal(file, image, reason, note);
  });
}

function fatal(file: VFile, image: Element, reason: string, note: string) {
  const message = file.message(reason, { place: image.position, ruleId: 'image', source: 'press' });
  message.fatal = true;
  message.note = note;
  return message;
}

/**
 * Read the image `src` names, relative to `baseDir`, as an asset of the manuscript
 * folder `root`; `fail` reports why it cannot be used (and must throw).
 */
export async function readImage(src: string, baseDir: string, root: string, fail: (reason: string, note: string) => never): Promise<Asset> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    fail(`remote image not allowed: ${src}`, 'The build never downloads anything: save the image into the manuscript folder and link it by its relative path.');
  }
  const relativeToFile = decodeURIComponent(src.split(/[?#]/)[0]!);
  const absolutePath = path.resolve(baseDir, relativeToFile);
  const key = path.relative(root, absolutePath).split(path.sep).join('/');
  if (key.startsWith('../') || path.isAbsolute(key)) {
    fail(`image outside the manuscript folder: ${src}`, `Copy the image into ${root} and link it from there.`);
  }
  const mediaType = IMAGE_TYPES[path.extname(absolutePath).toLowerCase()];
  if (!mediaType) {
    fail(`unsupported image format: ${src}`, `Use one of ${Object.keys(IMAGE_TYPES).join(', ')} (convert WebP, TIFF or HEIC images to PNG or JPEG).`);
  }
  const bytes = await readFile(absolutePath).catch((): never =>
    fail(`image not found: ${src}`, `No file at ${absolutePath}: check the spelling and the folder.`),
  );
  return { key, absolutePath, mediaType: mediaType!, bytes };
}

declare module 'vfile' {
  interface DataMap {
    /** Images a manuscript file uses, set by rehype-local-images. */
    assets: Asset[];
  }
}
