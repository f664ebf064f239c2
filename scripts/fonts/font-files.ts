/**
 * Font files opened with HarfBuzz (harfbuzzjs): WOFF2 decompressed (fontverter, one at a time), the face and
 * font made, and the characters a file really has. An @fontsource subset's `unicode-range` claims more than its
 * file holds (Source Serif 4's Latin range claims U+2000–206F; its Latin file has no ‰ or †, its Cyrillic
 * Extended file none of the Bashkir letters): what a range claims and the file lacks, the browser sets in a font
 * of its own. What each file holds is kept in the project's cache, so that it is read once per machine.
 *
 * harfbuzzjs is loaded when first needed. The command line's bundle starts its WebAssembly only then, and says
 * when it is ready (scripts/cli/bundle.mjs).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as HarfBuzz from 'harfbuzzjs';
import { convert } from 'fontverter';
import { PROJECT_ROOT } from '../base/project-root.js';

const CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'massage-press', 'font-characters');

/**
 * A WOFF2 file as the TrueType or OpenType font inside, one at a time: two decompressions at once (wawoff2,
 * through fontverter) gave back fonts without their names.
 */
let decompressing: Promise<unknown> = Promise.resolve();
function decompressed(bytes: Uint8Array): Promise<Buffer> {
  const next = decompressing.then(() => convert(Buffer.from(bytes), 'sfnt'));
  decompressing = next.catch(() => undefined);
  return next;
}

let harfBuzz: Promise<typeof HarfBuzz> | undefined;
export const loadHarfBuzz = () =>
  (harfBuzz ??= import('harfbuzzjs').then(async (hb) => {
    await (hb as { ready?: Promise<unknown> }).ready;
    return hb;
  }));

export interface OpenFont {
  hb: typeof HarfBuzz;
  face: HarfBuzz.Face;
  font: HarfBuzz.Font;
}

/** A font file (WOFF2 or sfnt bytes) opened with HarfBuzz. */
export async function openFont(bytes: Uint8Array): Promise<OpenFont> {
  const [hb, sfnt] = await Promise.all([loadHarfBuzz(), decompressed(bytes)]);
  const face = new hb.Face(new hb.Blob(sfnt));
  return { hb, face, font: new hb.Font(face) };
}

const held = new Map<string, Promise<ReadonlySet<number>>>();

/** The code points a font file (an installed package's, by path) has in its character map. */
export function charactersOf(file: string): Promise<ReadonlySet<number>> {
  let characters = held.get(file);
  if (!characters) {
    characters = readCharacters(file);
    held.set(file, characters);
  }
  return characters;
}

async function readCharacters(file: string): Promise<ReadonlySet<number>> {
  // By package, version and file: another version's file may hold other characters.
  const pkg = path.basename(path.dirname(path.dirname(file)));
  const version = JSON.parse(await readFile(path.join(path.dirname(path.dirname(file)), 'package.json'), 'utf8')).version as string;
  const cached = path.join(CACHE, `${pkg}@${version}`, `${path.basename(file)}.json`);
  const known = await readFile(cached, 'utf8').then((text) => JSON.parse(text) as number[], () => undefined);
  if (known) return new Set(known);
  const { face } = await openFont(await readFile(file));
  const characters = [...face.collectUnicodes()];
  // Written under a name of its own and renamed: another build reading meanwhile never reads half a file.
  await mkdir(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify(characters));
  await rename(partial, cached);
  return new Set(characters);
}
