import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISCLAIMER } from '../scripts/render/publication.js';
import { foldSpace, pdfInfo, pdfPages } from './support/outputs.js';
import { pdfDictionaries, pdfImages } from './support/pdf-structure.js';
import { decodeQr } from './support/qr.js';
import { sharedBuild } from './support/shared-builds.js';

/** A handout that uses every piece of print furniture: logo, figure with caption, table, contact, own disclaimer, QR. */
let a4: string;
let largeLetter: string;

beforeAll(() => {
  const { files } = sharedBuild('handout');
  a4 = files.find((file) => file.endsWith('-a4.pdf'))!;
  largeLetter = files.find((file) => file.endsWith('-large-print-letter.pdf'))!;
});

describe('a handout with all the print furniture', () => {
  it('builds exactly the editions its front matter lists', async () => {
    expect(path.basename(a4)).toBe('caring-for-tired-feet-a4.pdf');
    expect(path.basename(largeLetter)).toBe('caring-for-tired-feet-large-print-letter.pdf');
    expect((await pdfInfo(largeLetter))['Page size']).toBe('612 x 792 pts (letter)');
  });

  it('embeds the photo at its full resolution, with its caption on the same page', async () => {
    const images = await pdfImages(a4);
    const photo = images.find((image) => image.width === 1200 && image.height === 800);
    expect(photo, JSON.stringify(images)).toBeDefined();
    const pages = await pdfPages(a4);
    expect(foldSpace(pages[photo!.page - 1]!.replaceAll('\u00ad', ''))).toContain('Figure 1. Pressure zones on the sole of the foot.');
  });

  it('keeps the image’s alt text in the tagged PDF', async () => {
    const dictionaries = await pdfDictionaries(a4);
    expect(dictionaries.map((object) => object['Alt'])).toContain('Outline of a foot with three shaded pressure zones on the sole');
  });

  it('declares the British English it is written in', async () => {
    const dictionaries = await pdfDictionaries(a4);
    expect(dictionaries.map((object) => object['Lang'])).toContain('en-GB');
  });

  it('keeps a short table whole on one page, with its header', async () => {
    const pages = (await pdfPages(a4)).map((page) => foldSpace(page.replaceAll('\u00ad', '')));
    const withTable = pages.filter((page) => /Step What to do How long/.test(page));
    expect(withTable).toHaveLength(1);
    for (const row of ['Soak your feet in warm water', 'Roll the sole over a ball', 'Stretch your toes apart']) expect(withTable[0]).toContain(row);
  });

  it('closes with the clinic’s contact details, its own disclaimer and a QR code to the ebook', async () => {
    for (const pdf of [a4, largeLetter]) {
      const pages = await pdfPages(pdf);
      const last = foldSpace(pages.at(-1)!);
      expect(last).toContain('Riverside Foot Clinic, 12 Mill Lane, Exampletown');
      expect(last).toContain('Telephone: 01234 567890');
      expect(last).toContain('This fixture is not medical advice; ask your podiatrist before you try anything it describes.');
      expect(last).not.toContain(foldSpace(DEFAULT_DISCLAIMER));
      expect(await decodeQr(pdf, pages.length)).toEqual(['https://clinic.example.org/ebooks/tired-feet.epub']);
    }
  });
});
