/**
 * What every printed edition owes a reader, read from its page images: no box, rule, table or figure
 * runs over the text block's edge or is cut off by it, and the call-out titles, headings and links keep
 * a contrast of 4.5:1 printed in grey.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { EDITIONS, points, relativePageCount, type EditionId } from '../scripts/base/editions.js';
import { BUILD_TIME } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { mupdf, openMupdf } from './support/mupdf-document.js';
import { textLinesByPage } from './support/page-text.js';

const PAGED: EditionId[] = ['a4', 'letter', 'large-print', 'large-print-letter', 'a5-booklet', 'half-letter-booklet'];
const sources = ['leaflet/heel-pain.md', 'handout/handout.md'];
const built = new Map<string, string[]>();

beforeAll(async () => {
  for (const source of sources) {
    // The manuscript's folder copied, with its pictures, and every paged edition asked for.
    const dir = await tempDir('press-pages-');
    await cp(path.dirname(fixture(source)), path.join(dir, 'manuscript'), { recursive: true });
    const input = path.join(dir, 'manuscript', path.basename(source));
    const text = (await readFile(input, 'utf8')).replace(/^editions: .*\n/m, '').replace(/^---\n/, `---\neditions: [${PAGED.join(', ')}]\n`);
    await writeFile(input, text);
    const { files } = await build({ input, outDir: path.join(dir, 'dist'), formats: ['pdf'], buildTime: BUILD_TIME });
    built.set(source, files);
  }
});

interface GreyPage {
  width: number;
  height: number;
  /** One byte a pixel, 0 black, 255 white. */
  grey: Uint8Array;
  dpi: number;
}

async function greyPage(file: string, index: number, dpi: number): Promise<GreyPage> {
  const document = await openMupdf(file);
  const page = document.loadPage(index);
  const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceGray, false);
  const width = pixmap.getWidth();
  const stride = pixmap.getStride();
  const pixels = pixmap.getPixels();
  const grey = new Uint8Array(width * pixmap.getHeight());
  for (let y = 0; y < pixmap.getHeight(); y++) grey.set(pixels.subarray(y * stride, y * stride + width), y * width);
  const result = { width, height: pixmap.getHeight(), grey, dpi };
  pixmap.destroy();
  page.destroy();
  return result;
}

describe('nothing crosses the text block', () => {
  for (const source of sources) {
    for (const id of PAGED) {
      it(`${id} of ${source}: no ink beside the text block, and every box ruled at the left is ruled at the right`, async () => {
        const file = built.get(source)!.find((candidate) => candidate.endsWith(`-${id}.pdf`))!;
        const { margins } = EDITIONS[id];
        const document = await openMupdf(file);
        const dpi = 100;
        const px = (mm: number) => (points(mm) / 72) * dpi;
        for (let index = 0; index < document.countPages(); index++) {
          const { width, height, grey } = await greyPage(file, index, dpi);
          const [left, right, top, bottom] = [px(margins.left), width - px(margins.right), px(margins.top), height - px(margins.bottom)];
          const ink = (x: number, y: number) => grey[y * width + x]! < 200;
          const outside: string[] = [];
          // Between the running head and the foot: nothing left of the text block or right of it (0.5 mm allowed for antialiasing).
          for (let y = Math.ceil(top); y < Math.floor(bottom); y++) {
            for (let x = 0; x < width; x++) {
              if (x >= left - px(0.5) && x <= right + px(0.5)) continue;
              if (ink(x, y)) outside.push(`(${(x / px(1)).toFixed(1)} mm, ${(y / px(1)).toFixed(1)} mm)`);
            }
          }
          expect(outside.slice(0, 5), `page ${index + 1}`).toEqual([]);
          // A box's left rule (ink down the text block's left edge for 8 mm or more) has its right rule: not cut off.
          const edgeBand = (x0: number, x1: number, y: number) => {
            for (let x = Math.round(x0); x <= Math.round(x1); x++) if (ink(x, y)) return true;
            return false;
          };
          let run = 0;
          const leftRuled: number[] = [];
          for (let y = Math.ceil(top); y < Math.floor(bottom); y++) {
            if (edgeBand(left - px(0.5), left + px(0.3), y)) run++;
            else {
              if (run >= px(8)) for (let row = y - run; row < y; row++) leftRuled.push(row);
              run = 0;
            }
          }
          const cut = leftRuled.filter((y) => !edgeBand(right - px(1.2), right + px(0.5), y));
          expect(cut.length, `page ${index + 1}: rows of a box ruled at the left with nothing at the text block's right edge`).toBeLessThan(px(1));
        }
      });
    }
  }
});

/** WCAG's relative luminance of a grey level. */
const luminance = (level: number) => {
  const value = level / 255;
  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
};

describe('printed in grey', () => {
  const targets = [
    'What it feels like',
    'Note',
    'TIP: Make it a habit',
    'IMPORTANT: Using a foot massager',
    'Caution',
    'WARNING: When to get help',
    'Royal College of Podiatry: heel pain',
    'Questions? Call 01234 567890',
  ];
  for (const id of ['a4', 'large-print', 'a5-booklet'] as const) {
    it(`${id}: the call-out titles, headings and links keep 4.5:1 against their background`, async () => {
      const file = built.get('leaflet/heel-pain.md')!.find((candidate) => candidate.endsWith(`-${id}.pdf`))!;
      const pages = await textLinesByPage(file);
      const found = new Map<string, number>();
      for (const [index, lines] of pages.entries()) {
        // A line that is a title or heading, or starts with the link (its address may follow on the line).
        const targetOf = (text: string) => targets.find((target) => text.trim().toUpperCase() === target.toUpperCase() || (target.startsWith('Royal') && text.trim().replace(/^\d+\. /, '').startsWith(target)));
        const wanted = lines.filter((line) => targetOf(line.text));
        if (!wanted.length) continue;
        const dpi = 300;
        const page = await greyPage(file, index, dpi);
        for (const line of wanted) {
          const scale = dpi / 72;
          const levels: number[] = [];
          for (let y = Math.floor(line.top * scale); y < Math.ceil(line.bottom * scale); y++) {
            // A reference's link is read right of its number, which is in the text's black.
            const from = targetOf(line.text)!.startsWith('Royal') ? line.left + (line.right - line.left) * 0.3 : line.left;
            for (let x = Math.floor(from * scale); x < Math.ceil(line.right * scale); x++) levels.push(page.grey[y * page.width + x]!);
          }
          // The text's own grey is its darkest; the background, the level most of the line's box has.
          const counts = new Map<number, number>();
          for (const level of levels) counts.set(level, (counts.get(level) ?? 0) + 1);
          const background = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
          const text = levels.reduce((darkest, level) => Math.min(darkest, level), 255);
          const contrast = (luminance(background) + 0.05) / (luminance(text) + 0.05);
          found.set(targetOf(line.text)!, Math.min(contrast, found.get(targetOf(line.text)!) ?? Infinity));
        }
      }
      for (const target of targets) {
        const contrast = found.get(target);
        expect(contrast, `${target}: not found on any page`).toBeDefined();
        expect(contrast!, target).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});

describe('which edition makes the most pages', () => {
  // A large publication prints its editions in turn, the one of most pages first (build.ts), by this estimate.
  it('an edition estimated to make a sixth more pages than another makes at least as many, of either text', async () => {
    for (const source of sources) {
      const pages = new Map<EditionId, number>();
      for (const id of PAGED) pages.set(id, (await openMupdf(built.get(source)!.find((file) => file.endsWith(`-${id}.pdf`))!)).countPages());
      const pairs = PAGED.flatMap((more) => PAGED.filter((fewer) => relativePageCount(EDITIONS[more]) > 1.15 * relativePageCount(EDITIONS[fewer])).map((fewer) => [more, fewer] as const));
      // Large print and the booklets, each against A4 and US Letter.
      expect(pairs).toHaveLength(8);
      for (const [more, fewer] of pairs) expect(pages.get(more), `${source}: ${more} against ${fewer}`).toBeGreaterThanOrEqual(pages.get(fewer)!);
      expect(Math.max(...pairs.map(([more, fewer]) => pages.get(more)! - pages.get(fewer)!)), source).toBeGreaterThan(0);
    }
  });
});
