/**
 * The publication's identity: the base name of its files and the identifier readers and stores
 * track. Both come from the front matter alone, so the manuscript stage (a translation's
 * identifier is its source's made unique to its language) and every output agree on them.
 */
import { createHash } from 'node:crypto';
import type { Metadata } from './metadata.js';

/** Base name of a publication's files: the front matter's `slug`, or a slug of its title. */
export const slugOf = (metadata: Pick<Metadata, 'slug' | 'title'>) => metadata.slug ?? slugify(metadata.title);

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A `urn:uuid:` made from the title and authors, so rebuilds keep the identifier readers and stores track. */
export function derivedIdentifier(title: string, authors: string[]): string {
  return uuidUrnOf(JSON.stringify([title, authors]));
}

/** A URN in a name-based UUID's form for `text`: the same text, the same URN. */
export function uuidUrnOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
