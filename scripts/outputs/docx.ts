import type { Publication } from '../render/publication.js';
export async function writeDocx(publication: Publication): Promise<Uint8Array> {
  throw new Error(`not yet: ${publication.slug}`);
}
