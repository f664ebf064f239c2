import { writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ChromiumPdf } from '../scripts/pdf-postprocess/chromium-pdf.js';
import { pdfPages } from './support/outputs.js';
import { pdfSoundness } from './support/pdf-structure.js';

/** A PDF as Skia writes one: every object at the top level, a classic cross-reference table. */
async function classicPdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false });
  for (let page = 0; page < pages; page++) document.addPage([595, 842]).drawText(`Page ${page + 1}`);
  return document.save({ useObjectStreams: false });
}

describe('ChromiumPdf', () => {
  it('writes the PDF again with the objects it was given, the rest as they were', async () => {
    const pdf = ChromiumPdf.read(await classicPdf(3));
    const rootRef = pdf.trailer.get(PDFName.of('Root')) as PDFRef;
    const catalog = pdf.lookupDict(rootRef)!;
    catalog.set(PDFName.of('Lang'), PDFString.of('en-GB'));
    pdf.set(rootRef, catalog);
    const written = pdf.write();

    const file = path.join(os.tmpdir(), `press-chromium-pdf-${process.pid}.pdf`);
    try {
      await writeFile(file, written);
      expect(await pdfSoundness(file)).toMatchObject({ repaired: false, problems: [] });
      expect((await pdfPages(file)).join('\n')).toMatch(/Page 1[\s\S]*Page 2[\s\S]*Page 3/);
    } finally {
      await rm(file, { force: true });
    }
    const reread = await PDFDocument.load(written);
    expect(reread.getPageCount()).toBe(3);
    expect(reread.catalog.get(PDFName.of('Lang'))).toEqual(PDFString.of('en-GB'));
  });

  it('refuses, saying why, a PDF it cannot read: one with a cross-reference stream', async () => {
    const written = ChromiumPdf.read(await classicPdf(1)).write();
    expect(() => ChromiumPdf.read(written)).toThrow(/without a cross-reference table/);
  });
});
