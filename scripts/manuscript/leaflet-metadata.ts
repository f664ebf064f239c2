/**
 * The front matter a clinic's patient leaflet adds: when it was published and
 * reviewed and is due for review, its version and reference, who reviewed it
 * and who owns it, its key points, its sources, and room for the clinician's
 * notes. Health-content standards (the NHS Standard for creating health
 * content, the PIF TICK) ask for each; every one is optional, so a handout
 * without them builds as before.
 *
 * The fields are spread into the metadata schema (metadata.ts), which stays
 * the one source of types, validation and the README's table.
 */
import { z } from 'zod';

const text = z.string().trim().min(1);

/** A full calendar date: review dates are compared with the build's day, so the day matters. */
const calendarDate = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-24')])
  .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

/** `Dr Ana Ruiz, Consultant Podiatrist`, or `{ name: Dr Ana Ruiz, role: Consultant Podiatrist }`. */
const reviewer = z
  .union([text, z.object({ name: text, role: text.optional() }).strict()])
  .transform((v) => (typeof v === 'string' ? v : [v.name, v.role].filter(Boolean).join(', ')));

export const leafletFields = {
  published: calendarDate.optional().describe('Date the leaflet was first published, YYYY-MM-DD; printed as "Published" on the last page.'),
  reviewed: calendarDate.optional().describe('Date of its last clinical review, YYYY-MM-DD; printed as "Last reviewed".'),
  nextReview: calendarDate
    .optional()
    .describe('Date the next review is due, YYYY-MM-DD; printed as "Next review due". A build after it warns (an error with `--strict`).'),
  reviewInterval: z
    .union([
      z.number().int().min(1).max(10),
      z.string().trim().regex(/^\d{1,3}\s*(years?|months?)$/i, 'must be a number of years or months, such as "3 years" or "18 months"'),
    ])
    .transform(monthsOf)
    .optional()
    .describe('How long a clinical review holds: `3 years` (the default), `18 months`, or a number of years; `approve` sets `nextReview` this long after a review.'),
  version: z
    .union([text, z.number()])
    .transform(String)
    .optional()
    .describe('Version of the leaflet, e.g. `3` or `"2.10"` (quoted, or YAML reads 2.10 as the number 2.1); printed on the last page and in the running foot.'),
  leafletId: z
    .string()
    .trim()
    .regex(/^[\w.\/-]+$/, 'must be a reference without spaces, such as PI-0427')
    .optional()
    .describe('The clinic\'s leaflet reference, e.g. `PI-0427`; printed as "Ref" on the last page and in the foot of every page but the first.'),
  reviewedBy: reviewer
    .optional()
    .describe('Who reviewed it clinically (a translation: who reviewed the translation): name and role, as `Dr Ana Ruiz, Consultant Podiatrist` or `{ name: …, role: … }`.'),
  owner: text.optional().describe('The team responsible for the leaflet, e.g. `Podiatry Department`.'),
  keyPoints: z
    .array(text)
    .min(1)
    .optional()
    .describe('The main messages, a list; set in a "Key points" box under the title (or write a `> [!KEYPOINTS]` block).'),
  references: z
    .array(text)
    .min(1)
    .optional()
    .describe('Sources, a list (Markdown links allowed); set as a numbered "References" list at the end (or write a `## References` section).'),
  notesSpace: z
    .union([z.boolean(), z.number().int().min(1).max(30)])
    .transform((v) => (v === true ? DEFAULT_NOTES_LINES : v === false ? 0 : v))
    .optional()
    .describe('`true` or a number of lines: a ruled "Notes" area on the last page of the print, for the clinician to write on.'),
};

/** A review holds this long unless the front matter or the library says otherwise (the NHS's usual three years). */
export const DEFAULT_REVIEW_MONTHS = 36;

/** `3 years`, `18 months`, or `2` (years), in months. */
function monthsOf(interval: number | string): number {
  if (typeof interval === 'number') return interval * 12;
  const [, count, unit] = /^(\d+)\s*(\w+)$/.exec(interval.trim())!;
  return Number(count) * (/^year/i.test(unit!) ? 12 : 1);
}

/** Lines in the notes area when the front matter says only `notesSpace: true`. */
export const DEFAULT_NOTES_LINES = 6;

/** Review dates must come in their order: a leaflet cannot be reviewed before it is published, nor due before it is reviewed. */
export function reviewDatesInOrder(m: { published?: string; reviewed?: string; nextReview?: string }, context: z.RefinementCtx): void {
  const after = (later: string | undefined, earlier: string | undefined) => !later || !earlier || later >= earlier;
  if (!after(m.reviewed, m.published)) {
    context.addIssue({ code: 'custom', path: ['reviewed'], message: `(${m.reviewed}) is before \`published\` (${m.published})` });
  }
  const lastSeen = m.reviewed ?? m.published;
  if (m.nextReview && lastSeen && m.nextReview <= lastSeen) {
    context.addIssue({ code: 'custom', path: ['nextReview'], message: `(${m.nextReview}) must be after the ${m.reviewed ? 'last review' : 'publication'} (${lastSeen})` });
  }
}
