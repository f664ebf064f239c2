/**
 * Pages as pictures: what a printer or a phone's camera sees.
 *
 * Stand-in until #15b's MuPDF renderer lands in main with this same signature:
 * rendered here by poppler's pdftoppm, which a fresh machine does not have.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface PageImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom, opaque: the page on white paper. */
  data: Uint8Array;
}

/** Renders page `pageNumber` (1-based) at `dpi` dots per inch. */
export async function renderPage(file: string, pageNumber: number, dpi: number): Promise<PageImage> {
  const { stdout } = await promisify(execFile)('pdftoppm', ['-r', String(dpi), '-f', String(pageNumber), '-l', String(pageNumber), '-singlefile', file], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  // Binary PPM: "P6 width height 255" and RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(stdout.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`pdftoppm gave no page ${pageNumber} of ${file}`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const rgb = stdout.subarray(header[0].length);
  const data = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    data.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    data[pixel * 4 + 3] = 255;
  }
  return { width, height, data };
}
