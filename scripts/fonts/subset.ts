/**
 * The EPUB's script fonts cut down to the characters its text uses. Noto's CJK
 * faces come from @fontsource in slices of a few hundred characters each: a
 * Japanese leaflet touches dozens of slices a weight, several times what the PDF
 * (whose fonts Chromium subsets as it prints) grows by (docs/languages.md). HarfBuzz's
 * subsetter (`subset-font`, WebAssembly) keeps each slice's glyphs for the
 * characters the text has, with what shaping needs to set them (Arabic's joined
 * forms come through the font's own substitutions, which it follows).
 *
 * Only the script faces (script-fonts.ts) are cut: the Source families'
 * subsets are small, and whole they keep serving a reader who edits a note.
 */
import { readFile } from 'node:fs/promises';
import subsetFont from 'subset-font';
import type { FontFace } from './coverage.js';

/** The file's bytes for the EPUB: a script face's subset to `text`, any other face as it is. */
export async function ebookFontBytes(face: Pick<FontFace, 'path'>, text: string): Promise<Uint8Array> {
  const bytes = await readFile(face.path);
  if (!isScriptFace(face)) return bytes;
  return new Uint8Array(await subsetFont(bytes, text, { targetFormat: 'woff2' }));
}

const isScriptFace = (face: Pick<FontFace, 'path'>) => /[\\/]@fontsource[\\/]noto-/.test(face.path);
