/**
 * The cover images a catalogue shows: the EPUB's cover as a file of its own, and a
 * thumbnail of it for lists (OPDS `image/thumbnail`), 200 × 320 px: a drawn cover's own,
 * rasterised with it from the same SVG (outputs/cover.ts), or a finished cover scaled to
 * fill it (cropped as CSS `object-fit: cover` would) by the same rasteriser.
 */
import { coverFileName, rasterise, THUMBNAIL_SIZE, type CoverImage } from '../outputs/cover.js';
import type { OutputFile } from '../base/write-outputs.js';
import type { CatalogueImage } from './entry.js';

export type CoverFile = OutputFile & { mediaType: string; role: CatalogueImage['role'] };

export async function coverFiles(cover: CoverImage): Promise<CoverFile[]> {
  const name = coverFileName(cover.mediaType);
  return [
    { name, mediaType: cover.mediaType, bytes: cover.bytes, role: 'cover' },
    { name: 'cover-thumbnail.png', mediaType: 'image/png', bytes: cover.thumbnail ?? (await thumbnail(cover)), role: 'thumbnail' },
  ];
}

function thumbnail(cover: CoverImage): Promise<Uint8Array> {
  const { width, height } = THUMBNAIL_SIZE;
  const image = `data:${cover.mediaType};base64,${Buffer.from(cover.bytes).toString('base64')}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/><image width="${width}" height="${height}" preserveAspectRatio="xMidYMid slice" xlink:href="${image}"/></svg>`;
  return rasterise(svg, width);
}
