/**
 * A review copy's notes, set in a box at the top of its first page: which version it is
 * compared with, how to read the marks, how much changed, what changed in the front matter
 * (the title, the review dates, the version, the contact lines, the references: what the
 * text's marks cannot show), and for a translation the sections of its source that changed
 * since it was marked. Each change is said in words ("was", "now"), not by colour alone.
 */
import ejs from 'ejs';
import { toString } from 'mdast-util-to-string';
import { VFile } from 'vfile';
import { parseMarkdown } from '../manuscript/parse.js';
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

/** The earlier version a review copy is compared with: a commit, of a day, and the `version` it set, if any. */
export interface EarlierVersion {
  version?: string;
  /** The commit's short name, `1a2b3c4`. */
  commit: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** What a review copy is compared with, beyond its text. */
export interface ReviewComparison {
  since: EarlierVersion;
  frontMatter: FrontMatterChange[];
  /** A translation's: its source, and the source's sections changed since the translation was marked. */
  source?: { name: string; changed: string[]; removed: string[] };
}

/** Keys that record the work, not the leaflet: never listed. */
const NOT_LISTED = new Set(['sourceHash']);
const DATES = new Set(['date', 'published', 'reviewed', 'nextReview']);
/** Keys whose items are Markdown, set in the text: compared, and listed, as they read (`**every morning**` as "every morning"). */
const MARKDOWN = new Set(['keyPoints', 'references']);

/** A line of Markdown as it reads. */
const asRead = (markdown: string) => toString(parseMarkdown(new VFile({ value: markdown }))).replace(/\s+/g, ' ').trim();

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
    if (DATES.has(key)) return [formatDate(String(value), after.lang)];
    return [MARKDOWN.has(key) ? asRead(String(value)) : String(value)];
  };
  const record = (metadata: Metadata) => metadata as unknown as Record<string, unknown>;
  return order
    .filter((key) => !NOT_LISTED.has(key))
    .map((key) => ({ key, label: labels[key] ?? key, before: shown(key, record(before)[key]), after: shown(key, record(after)[key]) }))
    .filter(({ before: was, after: now }) => JSON.stringify(was) !== JSON.stringify(now));
}

/** What the notes say, line by line, for each format to set: the print page and the review page (HTML), and Word. */
export interface ReviewNotes {
  /** "Review copy", and "Changes since version 1 (…)". */
  title: string;
  since: string;
  legend: string;
  /** The legend of a Word file, whose marks are Word's own tracked changes. */
  wordLegend: string;
  /** How much the text changed, or that it did not. */
  counts: string;
  /** "Changed in the front matter:", when it did. */
  frontMatterTitle?: string;
  /** Each front matter key changed: its label, then what it was and is, in words. */
  frontMatter: { label: string; parts: { word: string; values: string[] }[] }[];
  /** A translation's: the source's sections changed since it was marked. */
  source: string[];
}

export function reviewNotes(comparison: ReviewComparison, changes: ChangeCount | undefined, lang: string): ReviewNotes {
  const labels = messagesFor(lang).review;
  const counts =
    changes && (changes.insertedWords || changes.deletedWords || changes.changedBlocks)
      ? fillIn(labels.counts, { inserted: String(changes.insertedWords), deleted: String(changes.deletedWords), blocks: String(changes.changedBlocks) })
      : labels.noTextChanges;
  const { source } = comparison;
  return {
    title: labels.title,
    since: fillIn(labels.since, { since: sinceText(comparison.since, lang) }),
    legend: labels.legend,
    wordLegend: labels.wordLegend,
    counts,
    frontMatterTitle: comparison.frontMatter.length ? labels.frontMatter : undefined,
    frontMatter: comparison.frontMatter.map((change) => ({ label: change.label, parts: frontMatterParts(change, labels) })),
    source: [
      ...(source?.changed.length ? [fillIn(labels.sourceChanged, { source: source.name, sections: source.changed.join(', ') })] : []),
      ...(source?.removed.length ? [fillIn(labels.sourceRemoved, { source: source.name, sections: source.removed.join(', ') })] : []),
    ],
  };
}

/** "version 1 (commit 1a2b3c4, 1 March 2025)", in the copy's language. */
export function sinceText({ version, commit, date }: EarlierVersion, lang: string): string {
  const labels = messagesFor(lang).review;
  const values = { version: version ?? '', commit, date: formatDate(date, lang) };
  return fillIn(version ? labels.sinceVersion : labels.sinceCommit, values);
}

/** "was: 1; now: 3"; for a list, the items taken out and put in. */
function frontMatterParts({ before, after }: FrontMatterChange, labels: ReviewLabels): { word: string; values: string[] }[] {
  if (before.length > 1 || after.length > 1) {
    const removed = before.filter((item) => !after.includes(item));
    const added = after.filter((item) => !before.includes(item));
    const parts = [...(removed.length ? [{ word: labels.removed, values: removed }] : []), ...(added.length ? [{ word: labels.added, values: added }] : [])];
    if (parts.length) return parts;
  }
  return [
    { word: labels.was, values: before.length ? before : [labels.none] },
    { word: labels.now, values: after.length ? after : [labels.none] },
  ];
}

/** The box's markup, for the print page and the review page alike. */
export function reviewBoxHtml(notes: ReviewNotes): string {
  const escape = ejs.escapeXML;
  const lines = [
    `<p class="review-summary-title"><strong>${escape(notes.title)}</strong>: ${escape(notes.since)}</p>`,
    `<p class="review-legend">${escape(notes.legend)}</p>`,
    `<p class="review-counts">${escape(notes.counts)}</p>`,
  ];
  if (notes.frontMatterTitle) {
    lines.push(`<p class="review-front-matter-title">${escape(notes.frontMatterTitle)}</p>`, '<ul class="review-front-matter">');
    for (const { label, parts } of notes.frontMatter) {
      const said = parts.map(({ word, values }) => `${escape(word)}: ${values.map((value) => `<span class="review-value">${escape(value)}</span>`).join('; ')}`).join('; ');
      lines.push(`  <li><span class="review-field">${escape(label)}</span> — ${said}</li>`);
    }
    lines.push('</ul>');
  }
  for (const line of notes.source) lines.push(`<p class="review-source">${escape(line)}</p>`);
  return `<section class="review-summary" aria-label="${escape(notes.title)}">\n${lines.join('\n')}\n</section>\n`;
}
