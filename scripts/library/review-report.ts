/**
 * The library's review view (`--review-report`, dist/review.html): every leaflet by the date its
 * next clinical review is due, the overdue ones first, with its owner, when and by whom it was
 * last reviewed and its version, so that whoever keeps the library knows what to send for review.
 * It is for the clinic's staff: the public catalogue does not link it, and it is written only when asked.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { STYLES, TEMPLATES } from '../base/project-root.js';
import type { OutputFile } from '../base/write-outputs.js';
import { formatDate } from '../render/leaflet.js';
import type { LibraryConfig } from './config.js';
import type { CatalogueEntry } from './entry.js';
import { catalogueLanguage, languageName, leafletHref } from './site.js';

export const REVIEW_REPORT = 'review.html';

/** A review due within this many days is listed as due soon. */
const SOON_DAYS = 90;

type Status = 'overdue' | 'due-soon' | 'current' | 'undated';

export async function renderReviewReport(config: LibraryConfig, entries: readonly CatalogueEntry[], today: Date): Promise<OutputFile> {
  const [template, baseCss, libraryCss] = await Promise.all([
    readFile(path.join(TEMPLATES, 'review-report.html.ejs'), 'utf8'),
    readFile(path.join(STYLES, 'base.css'), 'utf8'),
    readFile(path.join(STYLES, 'library.css'), 'utf8'),
  ]);
  const lang = catalogueLanguage(config, entries);
  const day = today.toISOString().slice(0, 10);
  const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  const several = new Set(entries.map((entry) => entry.lang)).size > 1;
  const rows = entries
    .map((entry) => {
      const left = entry.nextReview ? daysBetween(day, entry.nextReview) : undefined;
      const status: Status = left === undefined ? 'undated' : left <= 0 ? 'overdue' : left <= SOON_DAYS ? 'due-soon' : 'current';
      const statusText = {
        overdue: `Overdue by ${-left!} day${left === -1 ? '' : 's'}`,
        'due-soon': `Due in ${left} day${left === 1 ? '' : 's'}`,
        current: 'Current',
        undated: 'No review date',
      }[status];
      return {
        ...entry,
        // Its web page, or with no web edition its first file (the A4 PDF).
        page: leafletHref(entry, entry.webPage?.name ?? entry.files[0]?.name ?? ''),
        languageName: several ? languageName(entry.lang, lang) : undefined,
        reviewedText: entry.reviewed && formatDate(entry.reviewed, lang),
        nextReviewText: entry.nextReview && formatDate(entry.nextReview, lang),
        status,
        statusText,
      };
    })
    // By the date due, so the longest overdue first; those without a date last; then by title.
    .sort((a, b) => (a.nextReview ?? '9999').localeCompare(b.nextReview ?? '9999') || a.title.localeCompare(b.title, lang));
  const html = ejs.render(template, {
    lang,
    title: config.title,
    count: entries.length,
    today: day,
    todayText: formatDate(day, lang),
    overdue: rows.filter((row) => row.status === 'overdue').length,
    dueSoon: rows.filter((row) => row.status === 'due-soon').length,
    undated: rows.filter((row) => row.status === 'undated').length,
    soonDays: SOON_DAYS,
    rows,
    css: [baseCss, libraryCss, REPORT_CSS].join('\n'),
  });
  return { name: REVIEW_REPORT, bytes: Buffer.from(html) };
}

/** The table, and its status said in words and set apart by weight and a rule, not by colour alone. */
const REPORT_CSS = `
.library { max-width: 70rem; }
.review-report { width: 100%; border-collapse: collapse; font-family: "Source Sans 3", sans-serif; font-size: 0.95rem; background: #fff; }
.review-report caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
.review-report th, .review-report td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid #b9cdd0; }
.review-report thead th { border-bottom: 2px solid #56646b; }
.review-report-ref { display: block; color: #56646b; font-weight: 400; font-size: 0.9em; }
.review-overdue td:nth-child(3) { font-weight: 700; color: #a0171c; }
.review-overdue th[scope="row"] { border-left: 4px solid #a0171c; }
.review-due-soon td:nth-child(3) { font-weight: 600; color: #7a4a00; }
.review-report-summary { font-family: "Source Sans 3", sans-serif; }
@media (max-width: 40rem) {
  .review-report thead { display: none; }
  .review-report tr, .review-report th, .review-report td { display: block; }
  .review-report tr { border-bottom: 2px solid #56646b; }
  .review-report td { border-bottom: 0; padding-top: 0.1rem; padding-bottom: 0.1rem; }
  .review-report td:empty { display: none; }
  .review-report td::before { content: attr(data-label) ": "; font-weight: 600; }
}
`;
