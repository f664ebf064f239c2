/**
 * A leaflet as the catalogue page and the OPDS feed list it: what it is (title,
 * description, language, topic, dates, identifier) and the files it was published as,
 * with their sizes. Kept in the library's cache, so that a leaflet not built again is
 * listed as it was, and returned by a worker that built it on another machine.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Publication } from '../render/publication.js';
import { fileLabel, MEDIA_TYPES, type PublishedFile } from '../outputs/published-files.js';
import type { OutputFile } from '../base/write-outputs.js';

const fileSchema = z.object({
  name: z.string(),
  label: z.string(),
  mediaType: z.string(),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().positive().optional(),
});

const imageSchema = z.object({
  name: z.string(),
  mediaType: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The full cover, or its thumbnail for lists. */
  role: z.enum(['cover', 'thumbnail']),
});

const editionSchema = z.object({
  /** The leaflet's path in the library. */
  source: z.string(),
  /** Its folder in dist/, and the base name of its files. */
  slug: z.string(),
  identifier: z.string(),
  title: z.string(),
  subtitle: z.string().optional(),
  description: z.string().optional(),
  lang: z.string(),
  authors: z.array(z.string()),
  publisher: z.string().optional(),
  rights: z.string().optional(),
  keywords: z.array(z.string()),
  /** What the catalogue groups it under: its first keyword. */
  topic: z.string(),
  /** When it was last reviewed (front matter `reviewed`), else its date. */
  reviewDate: z.string().optional(),
  /** What the review report (`--review-report`) lists: when the next review is due, who owns and reviewed it, its version and reference. */
  reviewed: z.string().optional(),
  nextReview: z.string().optional(),
  owner: z.string().optional(),
  reviewedBy: z.string().optional(),
  version: z.string().optional(),
  leafletId: z.string().optional(),
  /** When it was last built (ISO 8601): the feed's `updated`. */
  updated: z.string(),
  /** Its page of the web edition, in its folder (`index.html`, `<slug>.<lang>.html`); none without the web format. */
  webPage: z.object({ name: z.string(), bytes: z.number().int().nonnegative() }).optional(),
  files: z.array(fileSchema),
  images: z.array(imageSchema),
});

export const catalogueEntrySchema = editionSchema.extend({
  /** The leaflet's translations (knee-pain.es.md), each an edition in its own language, in the same folder. */
  translations: z.array(editionSchema).default([]),
});

export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;
/** One language's edition of a leaflet: the leaflet itself, or one of its translations. */
export type CatalogueEdition = z.infer<typeof editionSchema>;
/** An edition as the catalogue and the feeds list it, with the leaflet's editions in the other languages. */
export type ListedEdition = CatalogueEdition & { otherEditions: CatalogueEdition[] };

/** Every edition of the leaflets, each translation beside its source, each knowing the others. */
export function editionsOf(entries: readonly CatalogueEntry[]): ListedEdition[] {
  return entries.flatMap(({ translations, ...source }) => {
    const editions: CatalogueEdition[] = [source, ...translations];
    return editions.map((edition) => ({ ...edition, otherEditions: editions.filter((other) => other !== edition) }));
  });
}
export type CatalogueImage = z.infer<typeof imageSchema>;

/** Listed under this when it has no keywords. */
export const NO_TOPIC = 'Other leaflets';

/** A language of a built leaflet: its publication, the files it was published as and its web page. */
export interface BuiltEdition {
  publication: Publication;
  files: readonly PublishedFile[];
  webPage?: { name: string; bytes: number };
}

/** The leaflet's entry, from its source's edition (with the cover images) and its translations'. */
export function catalogueEntry(
  source: string,
  { publication, files, webPage }: BuiltEdition,
  images: readonly (OutputFile & { mediaType: string; role: CatalogueImage['role'] })[],
  translations: readonly BuiltEdition[] = [],
): CatalogueEntry {
  return {
    ...catalogueEdition(source, { publication, files, webPage }, images),
    translations: translations.map((translation) => catalogueEdition(source, translation, [])),
  };
}

function catalogueEdition(source: string, { publication, files, webPage }: BuiltEdition, images: readonly (OutputFile & { mediaType: string; role: CatalogueImage['role'] })[]): CatalogueEdition {
  const { metadata } = publication;
  return {
    source,
    slug: publication.slug,
    identifier: publication.identifier,
    title: metadata.title,
    subtitle: metadata.subtitle,
    description: metadata.description,
    lang: metadata.lang,
    authors: publication.authors,
    publisher: metadata.publisher,
    rights: metadata.rights,
    keywords: metadata.keywords ?? [],
    topic: metadata.keywords?.[0] ?? NO_TOPIC,
    reviewDate: metadata.reviewed ?? metadata.date,
    reviewed: metadata.reviewed,
    nextReview: metadata.nextReview,
    owner: metadata.owner,
    reviewedBy: metadata.reviewedBy,
    version: metadata.version,
    leafletId: metadata.leafletId,
    updated: publication.buildTime.toISOString(),
    webPage: webPage && { ...webPage },
    files: files.map((file) => ({
      name: file.name,
      label: fileLabel(file.name, publication.slug),
      mediaType: MEDIA_TYPES[path.extname(file.name).toLowerCase()] ?? 'application/octet-stream',
      bytes: file.bytes.byteLength,
      pages: file.pages,
    })),
    images: images.map((image) => ({ name: image.name, mediaType: image.mediaType, bytes: image.bytes.byteLength, role: image.role })),
  };
}
