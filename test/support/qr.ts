/** Reading QR codes off a printed page, as a phone would: render at print resolution, decode with jsQR. */
// jsQR is a CommonJS module whose function is its `default` export.
import jsQRModule from 'jsqr';
import { renderPage } from './page-image.js';

/** The QR code on a page, decoded: `[]` when there is none. jsQR finds one code a page, the one it sees first. */
export async function decodeQr(pdf: string, page: number): Promise<string[]> {
  const { width, height, data } = await renderPage(pdf, page, 200);
  const code = jsQRModule.default(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height, { inversionAttempts: 'dontInvert' });
  return code ? [code.data] : [];
}
