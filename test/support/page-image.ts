/** Pages as pictures, rendered by MuPDF at a given resolution: what a printer or a phone's camera sees. */
import { writeFile } from 'node:fs/promises';
import { mupdf, openMupdf } from './mupdf-document.js';

export interface PageImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom, opaque: the page on white paper. */
  data: Uint8Array;
}

/** Renders page `pageNumber` (1-based) at `dpi` dots per inch. */
export async function renderPage(file: string, pageNumber: number, dpi: number): Promise<PageImage> {
  const document = await openMupdf(file);
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > document.countPages()) {
    throw new RangeError(`${file} has no page ${pageNumber} (it has ${document.countPages()})`);
  }
  const page = document.loadPage(pageNumber - 1);
  const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceRGB, false);
  try {
    const width = pixmap.getWidth();
    const height = pixmap.getHeight();
    const stride = pixmap.getStride();
    const rgb = pixmap.getPixels();
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const from = y * stride + x * 3;
        const to = (y * width + x) * 4;
        data[to] = rgb[from]!;
        data[to + 1] = rgb[from + 1]!;
        data[to + 2] = rgb[from + 2]!;
        data[to + 3] = 255;
      }
    }
    return { width, height, data };
  } finally {
    pixmap.destroy();
    page.destroy();
  }
}

/** Writes a rendered page as a PNG file, for a person to look at. */
export async function savePng(image: PageImage, pngFile: string): Promise<void> {
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, image.width, image.height], true);
  try {
    pixmap.getPixels().set(image.data);
    await writeFile(pngFile, pixmap.asPNG());
  } finally {
    pixmap.destroy();
  }
}
