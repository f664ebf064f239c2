/**
 * The ebook's cover image: the front matter's finished `cover` as it is, or the cover
 * drawn from the front matter (render/cover-page.ts: an SVG whose text is glyph outlines)
 * and rasterised by resvg (@resvg/resvg-js) as a PNG of COVER_SIZE, with its thumbnail
 * (a library's catalogue lists it) rasterised from the same SVG at THUMBNAIL_SIZE.
 *
 * Not drawn by the browser: Chromium captures every screenshot on its one compositor
 * thread, so a library's covers were drawn one after another while the cores waited
 * (docs/performance.md). resvg rasterises on libuv's thread pool (`renderAsync`), while
 * the main thread and Chromium go on with the prints. The same SVG and the same resvg
 * give the same bytes.
 *
 * A drawn cover is kept in node_modules/.cache/massage-press/covers/, named by a hash of
 * everything that makes it: the SVG (its text's outlines come from the fonts, its art is in
 * it) and resvg's version. A clinic rebuilds a handout many times under the same title: the
 * cover is drawn once. The KEPT_COVERS used last are kept; older ones are deleted when a build
 * draws its first cover, and after every eighth of that many more (base/kept-files.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { COVER_SIZE, type Manuscript } from '../manuscript/load.js';
import { coverPage, COVER_PAGE_MEDIA_TYPE } from '../render/cover-page.js';
import { CACHE_ROOT, keptFile, pruneKeptFiles } from '../base/kept-files.js';

export interface CoverImage {
  mediaType: string;
  bytes: Uint8Array;
  /** A drawn cover's thumbnail (PNG, THUMBNAIL_SIZE), drawn with it; a finished cover has none. */
  thumbnail?: Uint8Array;
}

/** 200 × 320 px for the 1600 × 2560 cover: 1/8. */
export const THUMBNAIL_SIZE = { width: COVER_SIZE.width / 8, height: COVER_SIZE.height / 8 } as const;

/** The cover's file beside the web edition and in a library's folder: `cover.png` or `cover.jpg`. */
export const coverFileName = (mediaType: string) => `cover.${mediaType === 'image/jpeg' ? 'jpg' : 'png'}`;

/** What the cover is made from: the front matter and the images it names. */
export type CoverInputs = Pick<Manuscript, 'metadata' | 'cover' | 'coverArt'>;

export async function makeCover(manuscript: CoverInputs): Promise<CoverImage> {
  if (manuscript.cover) return { mediaType: manuscript.cover.mediaType, bytes: manuscript.cover.bytes };
  const { svg, width } = await coverPage(manuscript.metadata, manuscript);
  const name = `${createHash('sha256').update(`${RESVG_VERSION}\n${svg}`).digest('hex')}.png`;
  const [bytes, thumbnail] = await Promise.all([
    keptFile(COVER_CACHE, name, () => rasterise(svg, width), KEPT_COVERS),
    keptFile(THUMBNAIL_CACHE, name, () => rasterise(svg, THUMBNAIL_SIZE.width), KEPT_COVERS),
  ]);
  return { mediaType: COVER_PAGE_MEDIA_TYPE, bytes, thumbnail };
}

/** An SVG as a PNG `width` px wide, drawn on libuv's threads; it must need no font (its text is outlines). */
export async function rasterise(svg: string, width: number): Promise<Uint8Array> {
  const image = await renderAsync(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false }, logLevel: 'off' });
  return image.asPng();
}

/** resvg's version: another one may draw other pixels, so it names the covers it drew. */
const RESVG_VERSION = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-js/package.json'), 'utf8')) as { version: string }).version;

/** A clinic's handouts and their drafts, not every title ever tried (sizes: docs/performance.md). */
export const KEPT_COVERS = 64;

/** Keep the `keep` covers used last (by time of change, which a rebuild renews), and delete the rest. */
export const pruneDrawnCovers = (folder: string, keep: number) => pruneKeptFiles(folder, { files: keep }, '.png');

/** Where drawn covers are kept (the bench empties it for a cold build). */
export const COVER_CACHE = path.join(CACHE_ROOT, 'covers');
/** Their thumbnails, by the same names. */
const THUMBNAIL_CACHE = path.join(COVER_CACHE, 'thumbnails');
