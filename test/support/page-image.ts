/**
 * A PDF page as an image: `renderPage(file, pageNumber, dpi)` gives its RGBA pixels.
 *
 * TEMPORARY (issue #20's branch): drawn by poppler's pdftoppm until #15b brings the npm
 * renderer that keeps this signature; the languages suite is written against it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PageImage {
  width: number;
  height: number;
  /** RGBA, row by row from the top. */
  data: Uint8Array;
}

export async function renderPage(file: string, pageNumber: number, dpi: number): Promise<PageImage> {
  const { stdout } = await run('pdftoppm', ['-r', String(dpi), '-f', String(pageNumber), '-l', String(pageNumber), '-singlefile', file], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  // A binary PPM: "P6 <width> <height> <maxval>" and one white-space byte, then RGB.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(stdout.subarray(0, 64).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rgb = stdout.subarray(header[0].length);
  const data = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    data.set(rgb.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    data[pixel * 4 + 3] = 255;
  }
  return { width, height, data };
}
