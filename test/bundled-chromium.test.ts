/**
 * The Chromium that `npm install` brings on Linux x64 (@sparticuz/chromium), which a machine with
 * no browser of its own prints with: unpacked once and completely into the project's cache, and
 * printing the article as well as an installed Chrome or Chromium does. On a machine that has a
 * browser the rest of the suite prints with that one; these tests use the bundled one in any case.
 */
import { readdir, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledChromium, bundledChromiumUnavailable, isComplete } from '../scripts/browser/bundled-chromium.js';
import { installHint } from '../scripts/browser/location.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { cli, tempDir } from './support/cli.js';
import { flattenOutline, pdfFonts, pdfInfo, pdfOutline } from './support/outputs.js';
import { decodeQr } from './support/qr.js';

describe('where no npm package ships a Chromium', () => {
  it('says why, and what to install instead', () => {
    expect(bundledChromiumUnavailable('darwin', 'arm64')).toBe('no npm package ships a Chromium for darwin');
    expect(bundledChromiumUnavailable('linux', 'arm64')).toMatch(/Linux x64 only, not arm64/);
    expect(installHint('darwin')).toMatch(/Google Chrome .*PUPPETEER_EXECUTABLE_PATH/);
    expect(installHint('linux')).toMatch(/apt-get install chromium/);
  });
});

describe.runIf(bundledChromiumUnavailable() === undefined)('the bundled Chromium', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await tempDir('press-bundled-');
  });
  afterAll(() => rm(cache, { recursive: true, force: true }));

  it('is unpacked once, completely, and again when a copy is found cut short', async () => {
    const unpacks: string[] = [];
    const onUnpack = (folder: string) => unpacks.push(folder);
    const first = (await bundledChromium({ cache, onUnpack }))!;
    expect(unpacks).toEqual([first.folder]);
    expect(path.dirname(first.folder)).toBe(cache);
    expect(isComplete(first.folder)).toBe(true);
    // Nothing half-written is left beside it.
    expect(await readdir(cache)).toEqual([path.basename(first.folder)]);

    await bundledChromium({ cache, onUnpack });
    expect(unpacks).toHaveLength(1);

    // As an unpack stopped by Ctrl-C halfway through the binary leaves it.
    await truncate(path.join(first.folder, 'chromium'), 1_000_000);
    expect(isComplete(first.folder)).toBe(false);
    const again = (await bundledChromium({ cache, onUnpack }))!;
    expect(unpacks).toHaveLength(2);
    expect(isComplete(again.folder)).toBe(true);
  });

  it('prints the article tagged, in its own fonts, with bookmarks and a QR code that reads, and says so', async () => {
    const bundled = (await bundledChromium())!;
    expect(bundled.folder.startsWith(path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press'))).toBe(true);
    const out = await tempDir();
    // Not quiet: the progress names the browser.
    const { code, stderr } = await cli(['--out', out, '--format', 'pdf'], { PUPPETEER_EXECUTABLE_PATH: bundled.executablePath, CI: '' });
    expect(code, stderr).toBe(0);
    const browserLines = stderr.split('\n').filter((line) => /^\s*browser /.test(line));
    expect(browserLines).toHaveLength(1);
    expect(browserLines[0]).toMatch(/^ {2}browser Chromium 1\d\d\.\d+\.\d+\.\d+ \(PUPPETEER_EXECUTABLE_PATH: (.+)\)$/);
    expect(browserLines[0]).toContain(bundled.executablePath);

    const a4 = path.join(out, 'the-many-benefits-of-foot-massage-a4.pdf');
    expect((await pdfInfo(a4))['Tagged']).toBe('yes');
    const fonts = await pdfFonts(a4);
    expect(fonts.some((font) => font.name.includes('SourceSerif4'))).toBe(true);
    expect(fonts.some((font) => font.name.includes('SourceSans3'))).toBe(true);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name, 'the bundled Chromium fell back to its own font').toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceSans3)/);
    }
    const bookmarks = flattenOutline(await pdfOutline(a4)).map((entry) => entry.title);
    expect(bookmarks).toEqual(expect.arrayContaining(['The Many Benefits of Foot Massage', 'Improves Circulation', 'Restless Foot Syndrome']));
    const pages = Number((await pdfInfo(a4))['Pages']);
    expect(await decodeQr(a4, pages)).toEqual(['https://example.com/handouts/foot-massage.epub']);
  });
});
