/**
 * A patient leaflet past its `nextReview` date may give advice that has
 * changed: a build after that day warns at the key in the front matter, with
 * the date (`--strict` makes it an error, so a CI pipeline can refuse to
 * publish it), and `npm run check` lists it. The day compared is the build's
 * (SOURCE_DATE_EPOCH when set), in UTC.
 */
import type { VFileMessage } from 'vfile-message';
import type { Manuscript } from './load.js';
import { findKey } from './load.js';

/** Records the warning on the manuscript's first file (where the front matter is) when the review is overdue; returns it. */
export function warnWhenReviewDue(manuscript: Manuscript, buildTime: Date): VFileMessage | undefined {
  const due = manuscript.metadata.nextReview;
  const today = buildTime.toISOString().slice(0, 10);
  if (!due || today < due) return undefined;
  const { file } = manuscript.files[0]!;
  const message = file.message(`review overdue: the next review was due on ${due} (today is ${today})`, {
    place: findKey(String(file.value), 'nextReview', 1),
    ruleId: 'review-overdue',
    source: 'press',
  });
  message.note = 'Have the leaflet reviewed, then set `reviewed:` to the day of the review and `nextReview:` to the next one.';
  return message;
}
