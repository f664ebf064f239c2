/** Reading QR codes off a printed page, as a phone would: render at print resolution, decode with zbarimg. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function decodeQr(pdf: string, page: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'press-qr-'));
  try {
    const image = path.join(dir, 'page');
    await run('pdftoppm', ['-r', '200', '-f', String(page), '-l', String(page), '-png', '-singlefile', pdf, image]);
    // zbarimg exits 4 when the image holds no code: that is an empty answer, not a failure.
    const { stdout } = await run('zbarimg', ['--quiet', '--raw', `${image}.png`]).catch((error: { code?: number; stdout: string }) => {
      if (error.code === 4) return { stdout: '' };
      throw error;
    });
    return stdout.split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
