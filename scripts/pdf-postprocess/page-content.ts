/**
 * Each page's drawing read once for all that mends it: its running heads and other untagged painting
 * marked as artifacts (artifacts.ts), then its text layer repaired (text-layer.ts).
 *
 * Why: a book's page streams are some 16 MB once inflated. Read once per concern, every stream was
 * inflated twice, and one changed by both was deflated twice (docs/performance.md). Now each is
 * inflated once and, when anything changed it, deflated once; synchronously, as zlib's thread pool
 * was slower for so many small streams, and a faster level made larger files.
 */
import { PDFRawStream, type PDFRef } from 'pdf-lib';
import { bytesOf, streamData, type ChromiumPdf } from './chromium-pdf.js';
import { markArtifacts } from './artifacts.js';
import { TextLayerRepair } from './text-layer.js';
import type { GlyphTexts } from '../fonts/glyph-texts.js';

export interface MendedPages {
  /** Glyphs shown as `.notdef` on any page: characters printed as empty boxes (untagged.ts). */
  notdefGlyphs: number;
  /** Glyphs the fonts' maps still leave without text (text-layer.ts). */
  glyphsWithoutText: number;
}

export async function mendPageContent(pdf: ChromiumPdf, pages: readonly PDFRef[], glyphTexts?: GlyphTexts): Promise<MendedPages> {
  const textLayer = new TextLayerRepair(pdf, glyphTexts);
  let notdefGlyphs = 0;
  const read = new Set<number>();
  for (const page of pages) {
    const dict = pdf.lookupDict(page);
    if (!dict) continue;
    const fonts = textLayer.fontsOf(dict);
    for (const ref of pdf.contentStreams(dict)) {
      // A stream several pages draw (the margin boxes' drawing of a book printed in parts) is mended once.
      if (read.has(ref.objectNumber)) continue;
      read.add(ref.objectNumber);
      const stream = pdf.lookup(ref);
      const content = stream instanceof PDFRawStream ? streamData(stream) : undefined;
      if (!content) continue;
      const artifacts = markArtifacts(content);
      notdefGlyphs += artifacts.notdefGlyphs;
      const repaired = textLayer.repair(artifacts.marked ?? content, fonts);
      const mended = repaired === undefined ? artifacts.marked : bytesOf(repaired);
      if (mended) pdf.setStreamData(ref, stream as PDFRawStream, mended);
    }
  }
  return { notdefGlyphs, ...(await textLayer.finish()) };
}
