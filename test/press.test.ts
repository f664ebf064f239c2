/**
 * Press files for a print shop (front matter `press: true`, the `a4-press` edition): read as a preflight
 * tool reads them, through MuPDF: the page boxes, the marks outside the bleed on the page image, the output
 * intent and its profile, the XMP's PDF/X part, the fonts, no annotations; and a tri-fold's front-panel
 * tint running on into the bleed. What only a real preflight tool checks is in docs/print.md.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { EDITIONS, points } from '../scripts/base/editions.js';
import { ManuscriptProblems } from '../scripts/base/problems.js';
import { CMYK_PROFILE, CMYK_PROFILE_FILE, ensureSystemPackage } from '../scripts/dev-tools/system-packages.js';
import { BUILD_TIME } from './support/shared-builds.js';
import { fixture, tempDir } from './support/cli.js';
import { mupdf, openMupdf } from './support/mupdf-document.js';
import { pdfFonts } from './support/outputs.js';
import { pdfMetadata } from './support/pdf-text.js';

const PROFILE = process.env.PRESS_TEST_PROFILE ?? CMYK_PROFILE_FILE;

/** A copy of `source` in a folder of its own with the press profile beside it, its front matter's `editions` replaced and `extra` added. */
async function copyForPress(source: string, editions: string, extra: string): Promise<string> {
  const dir = await tempDir('press-press-');
  await copyFile(PROFILE, path.join(dir, 'press.icc'));
  const text = (await readFile(fixture(source), 'utf8')).replace(/^pages: .*\n/m, '').replace(/^editions: .*$/m, `editions: [${editions}]\n${extra}`);
  await writeFile(path.join(dir, 'leaflet.md'), text);
  return path.join(dir, 'leaflet.md');
}

let files: string[];
const pdfEnding = (ending: string) => files.find((file) => file.endsWith(ending))!;

beforeAll(async () => {
  ensureSystemPackage(CMYK_PROFILE);
  const input = await copyForPress('fitting/heel-pain-sheet.md', 'a4-press, trifold-a4', 'press: true\npressProfile: press.icc');
  ({ files } = await build({ input, outDir: path.join(path.dirname(input), 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }));
});

const box = (page: mupdf.PDFObject, name: string) => {
  const values: number[] = [];
  page.get(name).forEach((value) => values.push(value.asNumber()));
  return values as [number, number, number, number];
};
const mm = (pt: number) => (pt * 25.4) / 72;

describe('a press file', () => {
  it('is written only for the press for a4-press, and besides the reading copy with press: true', () => {
    // Built as PDFs only: no web edition, whose page would list them.
    expect(files.map((file) => path.basename(file)).sort()).toEqual(['heel-pain-sheet-a4-press.pdf', 'heel-pain-sheet-trifold-a4-press.pdf', 'heel-pain-sheet-trifold-a4.pdf']);
  });

  for (const [ending, trim] of [
    ['-a4-press.pdf', EDITIONS.a4.page],
    ['-trifold-a4-press.pdf', EDITIONS['trifold-a4'].page],
  ] as const) {
    it(`sets ${ending.slice(1)}'s trim to the page, the bleed 3 mm beyond, and room for the marks beyond that`, async () => {
      const document = await openMupdf(pdfEnding(ending));
      for (let index = 0; index < document.countPages(); index++) {
        const page = document.findPage(index);
        const [tx0, ty0, tx1, ty1] = box(page, 'TrimBox');
        const [bx0, by0, bx1, by1] = box(page, 'BleedBox');
        const [mx0, my0, mx1, my1] = box(page, 'MediaBox');
        expect(mm(tx1 - tx0)).toBeCloseTo(trim.width, 1);
        expect(mm(ty1 - ty0)).toBeCloseTo(trim.height, 1);
        for (const bleed of [tx0 - bx0, ty0 - by0, bx1 - tx1, by1 - ty1]) expect(Math.abs(mm(bleed) - 3)).toBeLessThan(0.2);
        for (const room of [bx0 - mx0, by0 - my0, mx1 - bx1, my1 - by1]) expect(mm(room)).toBeGreaterThanOrEqual(9);
        expect(page.get('Annots').isNull()).toBe(true);
      }
    });
  }

  it('draws crop and registration marks outside the bleed and nothing else there (page image)', async () => {
    const document = await openMupdf(pdfEnding('-a4-press.pdf'));
    const page = document.loadPage(0);
    const dpi = 150;
    const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceGray, false);
    const [width, height, pixels] = [pixmap.getWidth(), pixmap.getHeight(), pixmap.getPixels()];
    const [mx0, my0, mx1, my1] = box(page.getObject(), 'MediaBox');
    const [bx0, by0, bx1, by1] = box(page.getObject(), 'BleedBox');
    const [tx0, , tx1, ty1] = box(page.getObject(), 'TrimBox');
    pixmap.destroy();
    page.destroy();
    // Pixel of a point in PDF space (y up from the media's bottom).
    const at = (x: number, y: number) => pixels[Math.round(((my1 - y) * dpi) / 72) * width + Math.round(((x - mx0) * dpi) / 72)]!;
    // A crop mark above the top-left corner, in line with the trim's left edge, 4–10 mm beyond it.
    const markY = ty1 + points(7);
    expect(Math.min(at(tx0, markY), at(tx0 + 0.3, markY), at(tx0 - 0.3, markY))).toBeLessThan(128);
    expect(Math.min(at(tx1, markY), at(tx1 + 0.3, markY), at(tx1 - 0.3, markY))).toBeLessThan(128);
    // Between the bleed and the media's edge: ink only where the marks are, a small share of the slug.
    let inked = 0;
    let slug = 0;
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const x = mx0 + (column * 72) / dpi;
        const y = my1 - (row * 72) / dpi;
        if (x >= bx0 && x <= bx1 && y >= by0 && y <= by1) continue;
        slug++;
        if (pixels[row * width + column]! < 200) inked++;
      }
    }
    expect(inked).toBeGreaterThan(0);
    expect(inked / slug).toBeLessThan(0.02);
  });

  it('names the print shop’s profile as its PDF/X output intent, says PDF/X-4 in its XMP, and is PDF 1.6 with every font embedded', async () => {
    for (const ending of ['-a4-press.pdf', '-trifold-a4-press.pdf']) {
      const file = pdfEnding(ending);
      const document = await openMupdf(file);
      const catalog = document.getTrailer().get('Root');
      const intents = catalog.get('OutputIntents');
      expect(intents.length).toBe(1);
      const intent = intents.get(0);
      expect(intent.get('S').asName()).toBe('GTS_PDFX');
      expect(intent.get('OutputConditionIdentifier').asString().length).toBeGreaterThan(0);
      expect(intent.get('Info').asString()).toBe(intent.get('OutputConditionIdentifier').asString());
      const profile = intent.get('DestOutputProfile');
      expect(profile.get('N').asNumber()).toBe(4);
      expect(Buffer.from(profile.readStream().asUint8Array()).equals(await readFile(PROFILE))).toBe(true);
      // Chromium's DeviceRGB colours are defined colours: sRGB is each page's DefaultRGB.
      for (let index = 0; index < document.countPages(); index++) {
        const defaultRgb = document.findPage(index).get('Resources').get('ColorSpace').get('DefaultRGB');
        expect(defaultRgb.get(0).asName()).toBe('ICCBased');
        expect(defaultRgb.get(1).get('N').asNumber()).toBe(3);
      }
      const { xmp, info } = await pdfMetadata(file);
      expect(xmp['pdfxid:gts_pdfxversion'] ?? xmp['pdfxid:GTS_PDFXVersion']).toBe('PDF/X-4');
      expect(xmp['pdf:trapped'] ?? xmp['pdf:Trapped']).toBe('False');
      expect(xmp['xmpmm:renditionclass'] ?? xmp['xmpMM:RenditionClass']).toBe('default');
      expect(xmp['pdfuaid:part']).toBeUndefined();
      expect((info['Trapped'] as { name?: string } | undefined)?.name ?? info['Trapped']).toBe('False');
      expect(info['Title']).toBe('Heel Pain (Plantar Fasciitis)');
      expect((await readFile(file)).subarray(0, 8).toString('latin1')).toBe('%PDF-1.6');
      const fonts = await pdfFonts(file);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.filter((font) => !font.embedded)).toEqual([]);
    }
  });

  it('runs the tri-fold’s front panel tint out into the bleed, and leaves the flap’s edge white', async () => {
    const document = await openMupdf(pdfEnding('-trifold-a4-press.pdf'));
    const page = document.loadPage(0);
    const dpi = 100;
    const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceRGB, false);
    const [width, stride, pixels] = [pixmap.getWidth(), pixmap.getStride(), pixmap.getPixels()];
    const [mx0, , , my1] = box(page.getObject(), 'MediaBox');
    const [tx0, ty0, tx1, ty1] = box(page.getObject(), 'TrimBox');
    pixmap.destroy();
    page.destroy();
    const rgb = (x: number, y: number) => {
      const at = Math.round(((my1 - y) * dpi) / 72) * stride + Math.round(((x - mx0) * dpi) / 72) * 3;
      return [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!];
    };
    const middle = (ty0 + ty1) / 2;
    // 1.5 mm beyond the trim, in the bleed: the front panel's tint (#eef4f5) on the right, and above it; paper white by the flap.
    // (Within 3 levels: MuPDF renders the colour through the sRGB profile.)
    const near = (actual: number[], expected: number[]) => expect(Math.max(...actual.map((value, index) => Math.abs(value - expected[index]!))), `${actual} vs ${expected}`).toBeLessThanOrEqual(3);
    near(rgb(tx1 + points(1.5), middle), [238, 244, 245]);
    near(rgb(tx1 - points(20), ty1 + points(1.5)), [238, 244, 245]);
    near(rgb(tx0 - points(1.5), middle), [255, 255, 255]);
    expect(width).toBeGreaterThan(0);
  });
});

describe('a press file without a profile', () => {
  it('is an error at `press` that says what profile to ask the print shop for', async () => {
    const input = await copyForPress('fitting/heel-pain-sheet.md', 'a4', 'press: true');
    const error = await build({ input, outDir: path.join(path.dirname(input), 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManuscriptProblems);
    const message = (error as ManuscriptProblems).messages.find((candidate) => candidate.ruleId === 'press-profile')!;
    expect(message.reason).toBe('a press file needs the print shop’s ICC output profile, and `pressProfile` names none');
    expect(message.line).toBe((await readFile(input, 'utf8')).split('\n').indexOf('press: true') + 1);
    expect(message.note).toMatch(/Ask the print shop for the ICC profile of their press and paper.*`pressProfile: FOGRA39\.icc`/);
  });

  it('is an error at `pressProfile` when the file is not an output profile', async () => {
    const input = await copyForPress('fitting/heel-pain-sheet.md', 'a4-press', 'pressProfile: leaflet.md');
    const error = await build({ input, outDir: path.join(path.dirname(input), 'dist'), formats: ['pdf'], buildTime: BUILD_TIME }).catch((caught: unknown) => caught);
    const message = (error as ManuscriptProblems).messages.find((candidate) => candidate.ruleId === 'press-profile')!;
    expect(message.reason).toBe('not an ICC profile: leaflet.md');
  });
});
