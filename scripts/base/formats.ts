/** What a build can make of a publication: the print editions as PDF, the ebook, and the web edition (a page for each language). */
export const FORMATS = ['pdf', 'epub', 'web'] as const;
export type Format = (typeof FORMATS)[number];
