/**
 * Every fixed text a leaflet prints around the writer's own words, in one
 * table, so that a translation is one more table of the same shape.
 */
export const LEAFLET_LABELS_EN = {
  published: 'Published',
  lastReviewed: 'Last reviewed',
  nextReview: 'Next review due',
  version: 'Version',
  ref: 'Ref',
  reviewedBy: 'Reviewed by',
  owner: 'Produced by',
  questionsCall: 'Questions? Call',
  questions: 'Questions?',
  notes: 'Notes',
  references: 'References',
  alsoAvailable: 'Also available',
  inLargePrint: 'in large print',
  inStandardPrint: 'in standard print',
  asAnEbook: 'as an ebook',
  and: 'and',
  callouts: {
    NOTE: 'Note',
    TIP: 'Tip',
    IMPORTANT: 'Important',
    WARNING: 'Warning',
    CAUTION: 'Caution',
    KEYPOINTS: 'Key points',
  },
} as const;

export type LeafletLabels = { [K in keyof typeof LEAFLET_LABELS_EN]: K extends 'callouts' ? Record<keyof (typeof LEAFLET_LABELS_EN)['callouts'], string> : string };

/** The labels for a publication's language; English until other tables exist. */
export function leafletLabels(_lang: string): LeafletLabels {
  return LEAFLET_LABELS_EN;
}
