/**
 * rehype plugin: resolve every `<img>` to a file inside the manuscript folder
 * (see manuscript/images.ts for the rules). A refused image is an error at its
 * line and column, and the next images are still checked, so that one run
 * reports them all. Each image is read once and recorded as an asset; its `src`
 * becomes the asset's key, which each edition turns into its own URL.
 */
import { visit } from 'unist-util-visit';
import path from 'node:path';
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { ImageRefused, readLocalImage, type Asset } from '../../manuscript/images.js';
import { fileProblem } from '../../base/problems.js';

export type { Asset };

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
    const read = new Map<string, Asset>();
    for (const image of images) {
      const src = String(image.properties.src ?? '');
      let asset = read.get(src);
      if (!asset) {
        asset = await readLocalImage(src, path.dirname(file.path), options.root).catch((error: unknown) => {
          if (!(error instanceof ImageRefused)) throw error;
          fileProblem(file, error.message, { place: image.position, ruleId: 'image', hint: error.note, fatal: true });
          return undefined;
        });
        if (!asset) continue;
        read.set(src, asset);
        if (!assets.some((known) => known.key === asset!.key)) assets.push(asset);
      }
      image.properties.src = asset.key;
    }
  };
}

declare module 'vfile' {
  interface DataMap {
    /** Images a manuscript file uses, set by rehype-local-images. */
    assets: Asset[];
  }
}
