/**
 * A review copy's notes, set in a box at the top of its first page: which version it is
 * compared with, how to read the marks, how much changed, what changed in the front matter
 * (the title, the review dates, the version, the contact lines, the references: what the
 * text's marks cannot show), and for a translation the sections of its source that changed
 * since it was marked. Each change is said in words ("was", "now"), not by colour alone.
 */
import ejs from 'ejs';
import type { Metadata } from '../manuscript/metadata.js';
import { fillIn, messagesFor, type ReviewLabels } from '../languages/fixed-texts.js';
import type { ChangeCount } from './changes.js';
import { formatDate } from './leaflet.js';

/** A front matter key whose value changed: its label, and the values before and after as printed. */
export interface FrontMatterChange {
  key: string;
  label: string;
  before: string[];
  after: string[];
}

/** What a review copy is compared with, beyond its text. */
export interface ReviewComparison {
  /** The version compared with, as a reader is told: "version 1 (commit 1a2b3c4, 2025-03-01)". */
  since: string;
  frontMatter: FrontMatterChange[];
  /** A translation's: its source, and the source's sections changed since the translation was marked. */
  source?: { name: string; changed: string[]; removed: string[] };
}

/** Keys that record the work, not the leaflet: never listed. */
const NOT_LISTED = new Set(['sourceHash']);
const DATES = new Set(['date', 'published', 'reviewed', 'nextReview']);

/** The front matter keys whose values differ, in the schema's order. */
export function frontMatterChanges(before: Metadata, after: Metadata, order: readonly string[]): FrontMatterChange[] {
  const { leaflet, review } = messagesFor(after.lang);
  const labels: Record<string, string> = {
    ...review.fields,
    published: leaflet.published,
    reviewed: leaflet.lastReviewed,
    nextReview: leaflet.nextReview,
    version: leaflet.version,
    leafletId: leaflet.ref,
    reviewedBy: leaflet.reviewedBy,
    owner: leaflet.owner,
  };
  const shown = (key: string, value: unknown): string[] => {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((item) => shown(key, item)).flat();
    if (typeof value === 'object') return [JSON.stringify(value)];
    return [DATES.has(key) ? formatDate(String(value), after.lang) : String(value)];
  };
  const record = (metadata: Metadata) => metadata as unknown as Record<string, unknown>;
  return order
    .filter((key) => !NOT_LISTED.has(key))
    .map((key) => ({ key, label: labels[key] ?? key, before: shown(key, record(before)[key]), after: shown(key, record(after)[key]) }))
    .filter(({ before: was, after: now }) => JSON.stringify(was) !== JSON.stringify(now));
}

/** The box's markup, for the print page and the review page alike. */
export function reviewBoxHtml(comparison: ReviewComparison, changes: ChangeCount | undefined, lang: string): string {
  const labels = messagesFor(lang).review;
  const escape = ejs.escapeXML;
  const counts =
    changes && (changes.insertedWords || changes.deletedWords || changes.changedBlocks)
      ? fillIn(labels.counts, { inserted: String(changes.insertedWords), deleted: String(changes.deletedWords), blocks: String(changes.changedBlocks) })
      : labels.noTextChanges;
  const lines = [
    `<p class="review-summary-title"><strong>${escape(labels.title)}</strong>: ${escape(fillIn(labels.since, { since: comparison.since }))}</p>`,
    `<p class="review-legend">${escape(labels.legend)}</p>`,
    `<p class="review-counts">${escape(counts)}</p>`,
  ];
  if (comparison.frontMatter.length) {
    lines.push(`<p class="review-front-matter-title">${escape(labels.frontMatter)}</p>`, '<ul class="review-front-matter">');
    for (const change of comparison.frontMatter) lines.push(`  <li>${frontMatterLine(change, labels)}</li>`);
    lines.push('</ul>');
  }
  const { source } = comparison;
  if (source?.changed.length) lines.push(`<p class="review-source">${escape(fillIn(labels.sourceChanged, { source: source.name, sections: source.changed.join(', ') }))}</p>`);
  if (source?.removed.length) lines.push(`<p class="review-source">${escape(fillIn(labels.sourceRemoved, { source: source.name, sections: source.removed.join(', ') }))}</p>`);
  return `<section class="review-summary" aria-label="${escape(labels.title)}">\n${lines.join('\n')}\n</section>\n`;
}

/** "Version — was: 1; now: 3"; for a list, the items taken out and put in. */
function frontMatterLine({ label, before, after }: FrontMatterChange, labels: ReviewLabels): string {
  const escape = ejs.escapeXML;
  const values = (items: string[]) => (items.length ? items.map((item) => `<span class="review-value">${escape(item)}</span>`).join('; ') : escape(labels.none));
  const name = `<span class="review-field">${escape(label)}</span>`;
  if (before.length > 1 || after.length > 1) {
    const removed = before.filter((item) => !after.includes(item));
    const added = after.filter((item) => !before.includes(item));
    const parts = [
      removed.length ? `${escape(labels.removed)}: ${values(removed)}` : '',
      added.length ? `${escape(labels.added)}: ${values(added)}` : '',
    ].filter(Boolean);
    return `${name} — ${parts.join('; ') || `${escape(labels.was)}: ${values(before)}; ${escape(labels.now)}: ${values(after)}`}`;
  }
  return `${name} — ${escape(labels.was)}: ${values(before)}; ${escape(labels.now)}: ${values(after)}`;
}
