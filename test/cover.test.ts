/**
 * The EPUB's cover: drawn from the front matter by default (render/cover-page.ts, rasterised
 * by resvg), or a finished image the front matter names with `cover:`.
 */
import { readdir, readFile, rm, writeFile, mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser/launch.js';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import type { Asset } from '../scripts/manuscript/images.js';
import { COVER_SIZE } from '../scripts/manuscript/load.js';
import type { Metadata } from '../scripts/manuscript/metadata.js';
import { COVER_CACHE, makeCover, pruneDrawnCovers, rasterise, THUMBNAIL_SIZE } from '../scripts/outputs/cover.js';
import { coverPage } from '../scripts/render/cover-page.js';
import { coverFiles } from '../scripts/library/thumbnail.js';
import { solidPng, tempDir } from './support/cli.js';
import { buildInProcess } from './support/in-process-build.js';
import { epubCover, expectEpubcheckClean, imageDimensions, openEpub, pngPixels } from './support/outputs.js';

/**
 * The EPUB of the manuscript in `dir`, built in this process; `launch` starts the browser, if the build asks
 * for one (it is closed after), and says how many it started.
 */
async function buildEpub(dir: string, launch: () => Promise<Browser> = () => launchBrowser()) {
  let started = 0;
  const browser = new SharedBrowser(() => ((started += 1), launch()));
  const out = await tempDir();
  try {
    const built = await buildInProcess({ input: dir, outDir: out, formats: ['epub'], browser });
    return { out, started, ...built };
  } finally {
    await browser.close();
  }
}

async function manuscript(frontMatter: string, files: Record<string, Buffer> = {}): Promise<string> {
  const dir = await tempDir('press-cover-');
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), bytes);
  }
  await writeFile(path.join(dir, 'book.md'), `---\ntitle: A Book With Its Own Cover\nauthor: A. Author\n${frontMatter}---\n\n# A Book With Its Own Cover\n\nText.\n`);
  return dir;
}

describe('the EPUB cover', () => {
  it('uses a finished `cover:` image as it is, without starting a browser', async () => {
    const image = solidPng(1600, 2560);
    const dir = await manuscript('cover: art/front.png\n', { 'art/front.png': image });
    // With a browser that cannot start: the build fails if it tries to start one.
    const { out, refused, report } = await buildEpub(dir, () => Promise.reject(new Error('the build started a browser')));
    expect(refused, report).toBe(false);
    const [epubName] = await readdir(out);
    const cover = await epubCover(await openEpub(path.join(out, epubName!)));
    expect(cover).toMatchObject({ href: 'cover.png', mediaType: 'image/png', width: 1600, height: 2560 });
    expect(Buffer.from(cover!.bytes).equals(image)).toBe(true);
    await expectEpubcheckClean(path.join(out, epubName!));
  });

  it('is drawn without the browser, once for a front matter: a rebuild takes the kept cover', async () => {
    // A title no build drew before, so that the first build must draw it.
    const title = `A Cover Drawn Once ${process.pid}-${Date.now()}`;
    const dir = await tempDir('press-cover-');
    const write = (heading: string) => writeFile(path.join(dir, 'book.md'), `---\ntitle: ${heading}\nauthor: A. Author\n---\n\n# ${heading}\n\nText.\n`);
    const drawn = async () => {
      // With a browser that cannot start: the build fails if it tries to start one.
      const { out, started, refused, report } = await buildEpub(dir, () => Promise.reject(new Error('the build started a browser')));
      expect(refused, report).toBe(false);
      expect(started).toBe(0);
      const [epubName] = (await readdir(out)).filter((name) => name.endsWith('.epub'));
      return (await epubCover(await openEpub(path.join(out, epubName!))))!.bytes;
    };
    const kept = async (bytes: Uint8Array) => {
      for (const name of (await readdir(COVER_CACHE)).filter((file) => file.endsWith('.png'))) {
        const file = path.join(COVER_CACHE, name);
        if (Buffer.from(bytes).equals(await readFile(file).catch(() => Buffer.alloc(0)))) return file;
      }
      return undefined;
    };

    await write(title);
    const first = await drawn();
    const file = await kept(first);
    expect(file).toBeDefined();
    // The next build takes the kept file as it is: one changed by hand shows in its EPUB.
    const marker = solidPng(1600, 2560, [200, 40, 40]);
    await writeFile(file!, marker);
    try {
      expect(Buffer.from(await drawn()).equals(marker)).toBe(true);
      await write(`${title}, retitled`);
      const retitled = await drawn();
      expect(Buffer.from(retitled).equals(marker)).toBe(false);
      expect(Buffer.from(retitled).equals(Buffer.from(first))).toBe(false);
    } finally {
      await rm(file!, { force: true });
    }
  });

  it('refuses a cover smaller than 1600×2560 px, pointing at the front matter line', async () => {
    const dir = await manuscript('cover: small.png\n', { 'small.png': solidPng(800, 1280) });
    const { out, refused, report } = await buildEpub(dir);
    expect(refused).toBe(true);
    expect(report).toMatch(/book\.md:4:1: error the cover is 800×1280 px, smaller than 1600×2560: small\.png/);
    expect(report).toContain('Leave out `cover:`');
    expect(await readdir(out)).toEqual([]);
  });

  it('names a cover or cover art that is not there', async () => {
    const dir = await manuscript('coverArt: images/missing.jpg\n');
    const { refused, report } = await buildEpub(dir);
    expect(refused).toBe(true);
    expect(report).toMatch(/book\.md:4:1: error front matter `coverArt`: image not found: images\/missing\.jpg/);
  });
});

/** The cover drawn for `metadata` (English unless it says), with `art` over it if given. */
async function drawn(metadata: Partial<Metadata> & { title: string }, art?: Asset) {
  const cover = await makeCover({ metadata: { lang: 'en', ...metadata } as Metadata, coverArt: art });
  return { ...cover, pixels: pngPixels(cover.bytes) };
}

const GROUND: RGB = [0x1f, 0x66, 0x70];
const GOLD: RGB = [0xe8, 0xb0, 0x4a];
type RGB = [number, number, number];
const near = (colour: RGB, expected: RGB, by = 6) => colour.every((value, index) => Math.abs(value - expected[index]!) <= by);
/** The title's white (and the authors'): no other colour of the cover has all three channels over 200. */
const isText = ([r, g, b]: RGB) => r > 200 && g > 200 && b > 200;

/** Where the text is: each band of rows with text (a line), its first and last row, and its leftmost and rightmost text pixel. */
function textLines({ width, height, rgb }: ReturnType<typeof pngPixels>, from = 0, to = height) {
  const lines: { top: number; bottom: number; left: number; right: number; pixels: number }[] = [];
  let gap = Infinity;
  for (let y = from; y < to; y++) {
    let [left, right, pixels] = [Infinity, -1, 0];
    for (let x = 0; x < width; x++) {
      if (!isText(rgb(x, y))) continue;
      [left, right, pixels] = [Math.min(left, x), x, pixels + 1];
    }
    if (!pixels) {
      gap += 1;
      continue;
    }
    // Rows of a line are never 12 empty rows apart (the gap between lines is more).
    if (gap > 12) lines.push({ top: y, bottom: y, left, right, pixels });
    const line = lines.at(-1)!;
    Object.assign(line, { bottom: y, left: Math.min(line.left, left), right: Math.max(line.right, right), pixels: line.pixels + pixels });
    gap = 0;
  }
  return lines;
}

describe('the drawn cover', () => {
  const article = { title: 'The Many Benefits of Foot Massage', publisher: 'Home Massage Health Library', author: ['Patient Education Team'] };

  it('is 1600 × 2560 px with its thumbnail drawn from the same SVG at 200 × 320, and the same bytes each time it is drawn', async () => {
    const metadata = { ...article, lang: 'en' } as Metadata;
    const [once, again] = [await coverPage(metadata, {}), await coverPage(metadata, {})];
    expect(again.svg).toBe(once.svg);
    // The text is outlines: the SVG names no font, and the rasteriser loads none.
    expect(once.svg).not.toMatch(/<text|font-family/);
    const [first, second] = await Promise.all([rasterise(once.svg, COVER_SIZE.width), rasterise(again.svg, COVER_SIZE.width)]);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const cover = await makeCover({ metadata });
    expect(Buffer.from(cover.bytes).equals(Buffer.from(first))).toBe(true);
    expect(imageDimensions(cover.bytes)).toMatchObject({ width: 1600, height: 2560, type: 'png' });
    expect(imageDimensions(cover.thumbnail!)).toMatchObject({ ...THUMBNAIL_SIZE, type: 'png' });
    expect(Buffer.from(cover.thumbnail!).equals(Buffer.from(await rasterise(once.svg, THUMBNAIL_SIZE.width)))).toBe(true);
  });

  it('has a thumbnail that shows the cover: its pixels close to the cover scaled down', async () => {
    const { pixels, thumbnail } = await drawn({ ...article, title: 'A Thumbnail Drawn With Its Cover' });
    const small = pngPixels(thumbnail!);
    // Each thumbnail pixel against the mean of the 8 × 8 cover pixels it stands for. Text is drawn afresh at
    // the small size, so its edges differ a little.
    let [far, values] = [0, 0];
    for (let y = 0; y < small.height; y++) {
      for (let x = 0; x < small.width; x++) {
        const mean = [0, 0, 0];
        for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) pixels.rgb(x * 8 + dx, y * 8 + dy).forEach((value, index) => (mean[index]! += value / 64));
        small.rgb(x, y).forEach((value, index) => ((far += Number(Math.abs(value - mean[index]!) > 48)), (values += 1)));
      }
    }
    expect(far / values).toBeLessThan(0.01);
  });

  it('has the teal ground, the art over the top 46 % filling it, and the gold rule under it', async () => {
    // A 4 : 3 picture: cropped to fill the 1600 × 1178 px band, as CSS `object-fit: cover`.
    const art = { key: 'art.png', absolutePath: '/art.png', mediaType: 'image/png', bytes: solidPng(800, 600, [200, 40, 40]) };
    const { pixels } = await drawn(article, art);
    for (const [x, y] of [[2, 2], [1597, 2], [800, 600], [2, 1170], [1597, 1170]] as const) expect(near(pixels.rgb(x, y), [200, 40, 40]), `${x}, ${y}`).toBe(true);
    for (const x of [2, 800, 1597]) expect(near(pixels.rgb(x, 1190), GOLD), `rule at ${x}`).toBe(true);
    for (const [x, y] of [[2, 1215], [2, 2557], [1597, 2557], [800, 2500]] as const) expect(near(pixels.rgb(x, y), GROUND), `${x}, ${y}`).toBe(true);
    // The title under the rule, from the left edge of the text block.
    const [title] = textLines(pixels, 1202, 2300);
    expect(title!.left).toBeGreaterThanOrEqual(140);
    expect(title!.left).toBeLessThan(160);
  });

  it('without art, sets the title mid-page under a gold bar, in lines of even length; a longer title in more lines', async () => {
    const short = await drawn({ title: article.title });
    // No rule across the page (in the right margin, where no text is).
    expect(near(short.pixels.rgb(1520, 1190), GROUND)).toBe(true);
    const lines = textLines(short.pixels);
    expect(lines).toHaveLength(3);
    // Balanced: the shortest line at least half the longest ("The Many / Benefits of / Foot Massage").
    const widths = lines.map((line) => line.right - line.left);
    expect(Math.min(...widths) / Math.max(...widths)).toBeGreaterThan(0.5);
    // The gold bar: 24 rows of gold at the text block's left edge, above the title.
    const goldRows = Array.from({ length: lines[0]!.top }, (_, y) => y).filter((y) => near(short.pixels.rgb(200, y), GOLD));
    expect(goldRows).toHaveLength(24);
    // Mid-page: the heading (bar to last line) about as far from the top as from the foot.
    const [above, below] = [goldRows[0]!, 2560 - lines.at(-1)!.bottom];
    expect(Math.abs(above - below)).toBeLessThan(300);

    const long = textLines((await drawn({ title: 'Caring for Your Feet After Surgery: A Practical Guide to Massage, Movement and Recovery at Home' })).pixels);
    expect(long.length).toBeGreaterThan(lines.length);
    for (const line of long) expect(line.right).toBeLessThanOrEqual(1460);
  });

  it('draws an Arabic title from the right and a Japanese one, in their script faces', async () => {
    const arabic = textLines((await drawn({ title: 'فوائد تدليك القدمين', lang: 'ar' })).pixels);
    expect(arabic.length).toBeGreaterThan(0);
    expect(arabic.reduce((sum, line) => sum + line.pixels, 0)).toBeGreaterThan(5000);
    // Right-aligned in the text block: its lines end at the right edge, and a short title stays clear of the left.
    for (const line of arabic) expect(line.right).toBeGreaterThan(1440);
    for (const line of arabic) expect(line.right).toBeLessThanOrEqual(1460);
    expect(Math.min(...arabic.map((line) => line.left))).toBeGreaterThan(300);

    const japanese = textLines((await drawn({ title: 'フットマッサージの効果', lang: 'ja' })).pixels);
    expect(japanese.reduce((sum, line) => sum + line.pixels, 0)).toBeGreaterThan(5000);
    expect(Math.min(...japanese.map((line) => line.left))).toBeLessThan(160);
  });

  it('gives Nastaliq lines their room: an Urdu title in two lines clear of each other and of the gold bar', async () => {
    const { pixels } = await drawn({ title: 'پاؤں کی مالش کے بے شمار فوائد', lang: 'ur' });
    const lines = textLines(pixels);
    expect(lines).toHaveLength(2);
    const goldRows = Array.from({ length: 2560 }, (_, y) => y).filter((y) => near(pixels.rgb(1400, y), GOLD));
    expect(goldRows).toHaveLength(24);
    expect(lines[0]!.top).toBeGreaterThan(goldRows.at(-1)!);
  });
});

describe('the thumbnail of a finished cover', () => {
  it('is the cover scaled to 200 × 320 px by the same rasteriser, filling it', async () => {
    const bytes = solidPng(1600, 2600, [200, 40, 40]);
    const [cover, thumbnail] = await coverFiles({ mediaType: 'image/png', bytes });
    expect(Buffer.from(cover!.bytes).equals(bytes)).toBe(true);
    expect(thumbnail).toMatchObject({ name: 'cover-thumbnail.png', mediaType: 'image/png', role: 'thumbnail' });
    const pixels = pngPixels(thumbnail!.bytes);
    expect({ width: pixels.width, height: pixels.height }).toEqual(THUMBNAIL_SIZE);
    // Cropped to fill (object-fit: cover): no white edge, the picture to every corner.
    for (const [x, y] of [[0, 0], [199, 0], [100, 160], [0, 319], [199, 319]] as const) expect(near(pixels.rgb(x, y), [200, 40, 40]), `${x}, ${y}`).toBe(true);
  });
});

describe('the drawn-cover cache', () => {
  it('keeps the covers used last and deletes the others', async () => {
    const folder = await tempDir('press-covers-');
    const day = 24 * 60 * 60;
    // Five covers, used 5, 4, 3, 2 and 1 days ago; and a file that is not a cover.
    for (let age = 5; age >= 1; age--) {
      const file = path.join(folder, `cover-${age}.png`);
      await writeFile(file, solidPng(2, 2));
      const at = Date.now() / 1000 - age * day;
      await utimes(file, at, at);
    }
    await writeFile(path.join(folder, 'notes.txt'), 'kept');
    await pruneDrawnCovers(folder, 3);
    expect((await readdir(folder)).sort()).toEqual(['cover-1.png', 'cover-2.png', 'cover-3.png', 'notes.txt']);
    await pruneDrawnCovers(folder, 3);
    expect(await readdir(folder)).toHaveLength(4);
  });
});
