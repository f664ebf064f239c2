/** What a build can make of a publication: the print editions as PDF, and the ebook. */
export const FORMATS = ['pdf', 'epub'] as const;
export type Format = (typeof FORMATS)[number];
