/**
 * The EPUB's cover: drawn from templates/cover.html.ejs by default (see the article
 * and torture-test suites), or a finished image the front matter names with `cover:`.
 */
import { readdir, writeFile, mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser/launch.js';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { makeCover, pruneDrawnCovers, THUMBNAIL_SIZE } from '../scripts/outputs/cover.js';
import { solidPng, tempDir } from './support/cli.js';
import { buildInProcess } from './support/in-process-build.js';
import { epubCover, expectEpubcheckClean, imageDimensions, openEpub } from './support/outputs.js';

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

  it('is drawn once for a front matter: a rebuild takes the drawn cover and starts no browser for the EPUB', async () => {
    // A title no build drew before, so that the first build must draw it.
    const title = `A Cover Drawn Once ${process.pid}-${Date.now()}`;
    const dir = await tempDir('press-cover-');
    const write = (heading: string) => writeFile(path.join(dir, 'book.md'), `---\ntitle: ${heading}\nauthor: A. Author\n---\n\n# ${heading}\n\nText.\n`);
    const drawn = async () => {
      const { out, started, refused, report } = await buildEpub(dir);
      expect(refused, report).toBe(false);
      const [epubName] = (await readdir(out)).filter((name) => name.endsWith('.epub'));
      return { startedBrowser: started > 0, cover: (await epubCover(await openEpub(path.join(out, epubName!))))!.bytes };
    };

    await write(title);
    const first = await drawn();
    expect(first.startedBrowser).toBe(true);
    const again = await drawn();
    expect(again.startedBrowser).toBe(false);
    expect(Buffer.from(again.cover).equals(Buffer.from(first.cover))).toBe(true);

    await write(`${title}, retitled`);
    const retitled = await drawn();
    expect(retitled.startedBrowser).toBe(true);
    expect(Buffer.from(retitled.cover).equals(Buffer.from(first.cover))).toBe(false);
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

describe('the thumbnail of a drawn cover', () => {
  it('is drawn with the cover, at 200 × 320 px, and shows it: its pixels close to the cover scaled down', { timeout: 60_000 }, async () => {
    const dir = await tempDir('press-cover-');
    const title = `A Thumbnail Drawn ${process.pid}-${Date.now()}`;
    await writeFile(path.join(dir, 'book.md'), `---\ntitle: ${title}\nauthor: A. Author\n---\n\n# ${title}\n\nText.\n`);
    const browser = await launchBrowser();
    try {
      const drawn = await makeCover(await loadManuscript(path.join(dir, 'book.md')), () => Promise.resolve(browser));
      expect(imageDimensions(drawn.bytes)).toMatchObject({ width: 1600, height: 2560, type: 'png' });
      expect(imageDimensions(drawn.thumbnail!)).toMatchObject({ ...THUMBNAIL_SIZE, type: 'png' });
      // The cover scaled down by a canvas, pixel by pixel against the thumbnail. Text is drawn afresh at the
      // small size, so its edges differ a little: 0.4 % of the values by more than 48 of 255, where the
      // cover's top-left 200 × 320 px instead of the whole cover gave 2.7 %.
      const page = await browser.newPage();
      const far = await page.evaluate(
        async (cover: string, thumbnail: string, width: number, height: number) => {
          const pixels = async (source: string) => {
            const image = new Image();
            image.src = source;
            await image.decode();
            const canvas = new OffscreenCanvas(width, height);
            const context = canvas.getContext('2d')!;
            context.imageSmoothingQuality = 'high';
            context.drawImage(image, 0, 0, width, height);
            return context.getImageData(0, 0, width, height).data;
          };
          const [scaled, drawn] = [await pixels(cover), await pixels(thumbnail)];
          let count = 0;
          for (let index = 0; index < scaled.length; index++) if (index % 4 !== 3 && Math.abs(scaled[index]! - drawn[index]!) > 48) count++;
          return count / ((scaled.length / 4) * 3);
        },
        `data:image/png;base64,${Buffer.from(drawn.bytes).toString('base64')}`,
        `data:image/png;base64,${Buffer.from(drawn.thumbnail!).toString('base64')}`,
        THUMBNAIL_SIZE.width,
        THUMBNAIL_SIZE.height,
      );
      expect(far).toBeLessThan(0.01);
      // Kept with the cover: the next build takes both, without the browser.
      const again = await makeCover(await loadManuscript(path.join(dir, 'book.md')), undefined);
      expect(Buffer.from(again.thumbnail!).equals(Buffer.from(drawn.thumbnail!))).toBe(true);
    } finally {
      await browser.close();
    }
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
