/**
 * What a build can make of a publication: the print editions as PDF, the ebook, the web edition (a page for each
 * language) and a Word file for reviewers.
 */
export const FORMATS = ['pdf', 'epub', 'web', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

/** What `npm run build` makes when no `--format` is given. */
export const DEFAULT_FORMATS: readonly Format[] = ['pdf', 'epub', 'web'];
