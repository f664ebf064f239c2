/**
 * Every fixed text a leaflet prints around the writer's own words, in one
 * table per language: the `leaflet:` part of the message files in
 * templates/messages/ (scripts/messages.ts), so that a translation is one more
 * table of the same shape, and a language without one is built in English.
 */
import { messagesFor } from '../messages.js';

/** The call-out boxes' names, by marker (`> [!TIP]`). */
export type CalloutLabels = Record<'NOTE' | 'TIP' | 'IMPORTANT' | 'WARNING' | 'CAUTION' | 'KEYPOINTS', string>;

export interface LeafletLabels {
  published: string;
  lastReviewed: string;
  nextReview: string;
  version: string;
  ref: string;
  reviewedBy: string;
  owner: string;
  questionsCall: string;
  questions: string;
  notes: string;
  references: string;
  /** `{formats}`: the list of the other formats, joined in the language's way (Intl.ListFormat). */
  alsoAvailable: string;
  inLargePrint: string;
  inStandardPrint: string;
  asAnEbook: string;
  callouts: CalloutLabels;
}

/** The labels for a publication's language (English where the language has no message file). */
export function leafletLabels(lang: string): LeafletLabels {
  return messagesFor(lang).leaflet;
}
