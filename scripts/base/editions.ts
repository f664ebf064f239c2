/**
 * The print editions a handout can be built in. Each is the shared print
 * stylesheet plus the edition's own sheets from styles/editions/: paper size
 * and margins, and for large print a bigger type scale set ragged-right.
 */
export const EDITIONS = {
  a4: { label: 'A4', stylesheets: ['paper-a4.css'], hyphenate: true },
  letter: { label: 'US Letter', stylesheets: ['paper-letter.css'], hyphenate: true },
  'large-print': { label: 'Large print (A4)', stylesheets: ['paper-a4.css', 'large-print.css'], hyphenate: false },
  'large-print-letter': { label: 'Large print (US Letter)', stylesheets: ['paper-letter.css', 'large-print.css'], hyphenate: false },
} as const;

export type EditionId = keyof typeof EDITIONS;
export const EDITION_IDS = Object.keys(EDITIONS) as [EditionId, ...EditionId[]];
export const DEFAULT_EDITIONS: EditionId[] = ['a4', 'letter', 'large-print'];

export const editionFileName = (slug: string, edition: EditionId) => `${slug}-${edition}.pdf`;
