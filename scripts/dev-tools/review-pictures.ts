/**
 * The README's pictures of a review copy (docs/review-a4-page-1.png, -page-2.png): the clinic
 * leaflet's review copy from version 1 to version 3 of the history leaflet-history.ts makes,
 * its first two pages rendered by MuPDF. Run it again whenever the review copy's look changes:
 *
 *   npx tsx scripts/dev-tools/review-pictures.ts
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as mupdf from 'mupdf';
import { PROJECT_ROOT } from '../base/project-root.js';
import { makeReviewCopy } from '../review/review-copy.js';
import { leafletHistory } from './leaflet-history.js';

/** The README's pictures are drawn at 72 dpi: a page 595 px wide. */
const DPI = 72;
const PAGES = [1, 2];

const history = await leafletHistory();
const out = await mkdtemp(path.join(os.tmpdir(), 'press-review-pictures-'));
try {
  const copy = await makeReviewCopy({ input: history.leaflet, since: '1', outDir: out, formats: ['pdf'], buildTime: new Date('2026-03-01T12:00:00Z') });
  const pdf = copy.files.find((file) => file.endsWith('.pdf'))!;
  const document = mupdf.Document.openDocument(await readFile(pdf), 'application/pdf');
  for (const number of PAGES) {
    const page = document.loadPage(number - 1);
    const pixmap = page.toPixmap(mupdf.Matrix.scale(DPI / 72, DPI / 72), mupdf.ColorSpace.DeviceRGB, false);
    const target = path.join(PROJECT_ROOT, 'docs', `review-a4-page-${number}.png`);
    await writeFile(target, pixmap.asPNG());
    process.stdout.write(`wrote ${path.relative(PROJECT_ROOT, target)}\n`);
    pixmap.destroy();
    page.destroy();
  }
  document.destroy();
} finally {
  await Promise.all([rm(out, { recursive: true, force: true }), rm(history.root, { recursive: true, force: true })]);
}
