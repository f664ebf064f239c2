/**
 * Tri-fold leaflets on A4 and US Letter: the one-sheet version of the clinic leaflet
 * (test/fixtures/fitting/heel-pain-sheet.md), each panel's text read where the folding puts it, and the
 * folds clear of everything but a background on the page images. The full clinic leaflet does not fit a
 * tri-fold at 12 pt: the build refuses it, saying by how much.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { EDITIONS, points } from '../scripts/base/editions.js';
import { ManuscriptProblems } from '../scripts/base/problems.js';
import { BUILD_TIME } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { renderPage } from './support/page-image.js';
import { textLinesByPage, type TextLine } from './support/page-text.js';
import { pdfInfo } from './support/outputs.js';
import { pdfMetadata } from './support/pdf-text.js';

async function copyWithEditions(source: string, editions: string): Promise<string> {
  const dir = await tempDir('press-trifold-');
  const text = (await readFile(fixture(source), 'utf8')).replace(/^pages: .*\n/m, '').replace(/^editions: .*$/m, `editions: [${editions}]`);
  await writeFile(path.join(dir, 'leaflet.md'), text);
  return path.join(dir, 'leaflet.md');
}

let files: string[];

beforeAll(async () => {
  const input = await copyWithEditions('fitting/heel-pain-sheet.md', 'trifold-a4, trifold-letter');
  ({ files } = await build({ input, outDir: path.join(path.dirname(input), 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }));
});

/** The text of the lines wholly inside [from, to] points across the page, top to bottom, joined. */
const within = (lines: TextLine[], from: number, to: number) =>
  lines
    .filter((line) => line.left >= from - 0.5 && line.right <= to + 0.5)
    .sort((a, b) => a.top - b.top)
    .map((line) => line.text.trim())
    .join(' ');

for (const id of ['trifold-a4', 'trifold-letter'] as const) {
  const edition = EDITIONS[id];
  if (edition.fold?.kind !== 'trifold') throw new Error(`${id} is not a tri-fold`);
  const [flap, panel] = edition.fold.panels.map(points) as [number, number, number];
  const pdfOf = () => files.find((file) => file.endsWith(`-${id}.pdf`))!;

  describe(edition.label, () => {
    it('is one landscape sheet, outside and inside, tagged as PDF/UA-1 asks', async () => {
      const info = await pdfInfo(pdfOf());
      expect(info['Pages']).toBe('2');
      const [width, , height] = info['Page size']!.split(' ').map(Number);
      expect(width).toBeCloseTo(points(edition.page.width), -0.5);
      expect(height).toBeCloseTo(points(edition.page.height), -0.5);
      expect((await pdfMetadata(pdfOf())).xmp['pdfuaid:part']).toBe('1');
    });

    it('puts the notes on the flap, the contact panel and imprint on the back, the masthead and key points on the front', async () => {
      const [outside] = await textLinesByPage(pdfOf());
      const flapText = within(outside!, 0, flap);
      const backText = within(outside!, flap, flap + panel);
      const frontText = within(outside!, flap + panel, flap + 2 * panel);
      expect(flapText).toMatch(/^Notes$/);
      expect(backText).toMatch(/^Questions\? Call 01234 567890 Riverside Foot Clinic, 12 Mill Lane/);
      expect(backText).toContain('Medical disclaimer.');
      expect(backText).toContain('Next review due 15 September 2027');
      expect(frontText).toMatch(/^RIVERSIDE FOOT CLINIC Heel Pain \(Plantar Fasciitis\) Stretching and massage you can do at home/);
      expect(frontText).toContain('Key points Heel pain from plantar fasciitis usually gets better within a year.');
    });

    it('flows the text down the inside’s three panels in order, the flap’s back last', async () => {
      const [, inside] = await textLinesByPage(pdfOf());
      const panels = [within(inside!, 0, panel), within(inside!, panel, 2 * panel), within(inside!, 2 * panel, 2 * panel + flap)];
      expect(panels[0]).toMatch(/^Plantar fasciitis is pain under the heel\./);
      expect(panels.every((text) => text.length > 200)).toBe(true);
      const read = panels.join(' ');
      const headings = ['What it feels like', 'Stretches to do every day', 'When to get help'];
      expect(headings.map((heading) => read.indexOf(heading))).toEqual(headings.map((heading) => read.indexOf(heading)).sort((a, b) => a - b));
      expect(read.trim()).toMatch(/cannot put any weight on it after a fall\.$/);
      // Every line of the inside in one panel or another: none crosses a fold.
      const all = inside!.map((line) => line.text.trim()).filter(Boolean).length;
      expect(panels.join(' ').length).toBeGreaterThan(0);
      expect(inside!.filter((line) => [panel, 2 * panel].some((fold) => line.left < fold && line.right > fold))).toEqual([]);
      expect(all).toBeGreaterThan(40);
    });

    it('keeps the folds clear of everything but a background, on both sides (page images)', async () => {
      const dpi = 100;
      for (const [page, folds] of [
        [1, [flap, flap + panel]],
        [2, [panel, 2 * panel]],
      ] as const) {
        const image = await renderPage(pdfOf(), page, dpi);
        const band = Math.round((1.5 / 25.4) * dpi);
        for (const fold of folds) {
          const x0 = Math.round((fold / 72) * dpi);
          let darkest = 255;
          for (let y = 0; y < image.height; y++) {
            for (let x = x0 - band; x <= x0 + band; x++) {
              const at = (y * image.width + x) * 4;
              darkest = Math.min(darkest, 0.2126 * image.data[at]! + 0.7152 * image.data[at + 1]! + 0.0722 * image.data[at + 2]!);
            }
          }
          // Text and rules are dark; the front panel's tint (#eef4f5) is the only colour allowed at a fold.
          expect(darkest, `page ${page}, fold at ${((fold / 72) * 25.4).toFixed(1)} mm`).toBeGreaterThan(225);
        }
      }
    });
  });
}

describe('a leaflet too long for a tri-fold', () => {
  it('is refused, saying by how many lines the inside runs over', async () => {
    const input = await copyWithEditions('leaflet/heel-pain.md', 'trifold-a4');
    const error = await build({ input, outDir: path.join(path.dirname(input), 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManuscriptProblems);
    const message = (error as ManuscriptProblems).messages.find((candidate) => candidate.ruleId === 'trifold-overflow');
    expect(message?.fatal).toBe(true);
    expect(message?.reason).toMatch(/^the text does not fit the Tri-fold leaflet \(A4\): the inside's third panel overflows by about (\d+) lines of body text/);
    expect(Number(/about (\d+) lines/.exec(message!.reason)![1])).toBeGreaterThan(10);
  });
});
