/**
 * The fixed texts of the imprint, the ebook's navigation, the web edition
 * ("Medical disclaimer.", "Contents"…) and the leaflet's labels ("Last
 * reviewed", "Key points"…) in the publication's language, from the
 * message files in templates/messages/ (one YAML file per BCP 47 tag). A
 * language is matched by its tag, then by language and script (`zh-Hans-SG` →
 * `zh-Hans`), then by language alone (`es-MX` → `es`). A language with no file
 * gets the English texts, and a warning (manuscript/missing-fixed-texts.ts): we ship a
 * translation or none.
 *
 * The leaflet's labels are one table per language, under `leaflet:` in the same files, so that a
 * translation is one more table of the same shape.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../base/project-root.js';

const folder = () => path.join(PROJECT_ROOT, 'templates', 'messages');

export interface Messages {
  /** The language the texts are in: the publication's, or English when it has no file. */
  lang: string;
  texts: MessageTexts;
  /** The leaflet's labels, under `leaflet:` in the file. */
  leaflet: LeafletLabels;
  /** A review copy's notes, under `review:` in the file. */
  review: ReviewLabels;
}

/** What a review copy says around its marks (render/review-notes.ts); `fields` names front matter keys. */
export interface ReviewLabels {
  title: string;
  /** `{since}`: the version compared with, said as `sinceVersion` (`{version}`, `{commit}`, `{date}`) or `sinceCommit`. */
  since: string;
  sinceVersion: string;
  sinceCommit: string;
  legend: string;
  wordLegend: string;
  /** `{inserted}`, `{deleted}`, `{blocks}`. */
  counts: string;
  noTextChanges: string;
  frontMatter: string;
  was: string;
  now: string;
  added: string;
  removed: string;
  none: string;
  /** What a screen reader says before a mark, and after it. */
  inserted: string;
  deleted: string;
  endInserted: string;
  endDeleted: string;
  /** `{source}`, `{sections}`. */
  sourceChanged: string;
  sourceRemoved: string;
  fields: Record<string, string>;
}

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
  /** The web edition, in the list of other formats (when the front matter or the library gives its address). */
  online: string;
  callouts: CalloutLabels;
}

export type MessageTexts = Record<MessageKey, string>;
type MessageKey =
  | 'language'
  | 'imprintTitle'
  | 'medicalDisclaimer'
  | 'defaultDisclaimer'
  | 'logo'
  | 'logoOf'
  | 'qrCode'
  | 'contents'
  | 'cover'
  | 'coverOf'
  | 'titlePage'
  | 'tableOfContents'
  | 'startOfContent'
  | 'landmarks'
  | 'introduction'
  | 'download'
  | 'downloadCoverOf'
  | 'summaryConformance'
  | 'summaryReadable'
  | 'summaryImagesDescribed'
  | 'summaryImagesNotDescribed'
  | 'summaryNotConforming'
  | 'summaryPageNumbers'
  | 'summaryLanguagesNotMarked'
  | 'table'
  | 'otherLanguages'
  | 'printThePdf'
  | 'allLeaflets';

type MessageFile = Partial<MessageTexts> & {
  leaflet?: Partial<Omit<LeafletLabels, 'callouts'>> & { callouts?: Partial<LeafletLabels['callouts']> };
  review?: Partial<Omit<ReviewLabels, 'fields'>> & { fields?: Record<string, string> };
};
/**
 * A message file, parsed once for as long as it is unchanged: every leaflet of a library asks for its
 * language's texts several times, and parsing the YAML each time was a third of loading a leaflet
 * (docs/performance.md). `npm run dev` sees an edited file at once (its time of change is new).
 */
const read = (tag: string): MessageFile => {
  const file = path.join(folder(), `${tag}.yaml`);
  const changed = statSync(file).mtimeMs;
  const before = parsed.get(file);
  if (before?.changed === changed) return before.messages;
  const messages = parse(readFileSync(file, 'utf8')) as MessageFile;
  parsed.set(file, { changed, messages });
  return messages;
};
const parsed = new Map<string, { changed: number; messages: MessageFile }>();
let english: { texts: MessageTexts; leaflet: LeafletLabels; review: ReviewLabels } | undefined;

/** The tag of the message file for `lang`, if there is one. */
export function messageFileFor(lang: string): string | undefined {
  const available = new Map(readdirSync(folder()).filter((name) => name.endsWith('.yaml')).map((name) => [name.slice(0, -5).toLowerCase(), name.slice(0, -5)]));
  const locale = new Intl.Locale(lang);
  const script = locale.script ?? locale.maximize().script;
  const candidates = [lang, script ? `${locale.language}-${script}` : '', locale.language];
  return candidates.map((tag) => available.get(tag.toLowerCase())).find(Boolean);
}

export function messagesFor(lang: string): Messages {
  english ??= (({ leaflet, review, ...texts }) => ({ texts: texts as MessageTexts, leaflet: leaflet as LeafletLabels, review: review as ReviewLabels }))(read('en'));
  const tag = messageFileFor(lang);
  if (!tag) return { lang: 'en', ...english };
  // A key the file leaves out is the English one.
  const { leaflet = {}, review = {}, ...texts } = read(tag);
  return {
    lang,
    texts: { ...english.texts, ...texts },
    leaflet: { ...english.leaflet, ...leaflet, callouts: { ...english.leaflet.callouts, ...leaflet.callouts } },
    review: { ...english.review, ...review, fields: { ...english.review.fields, ...review.fields } },
  };
}

/** `{name}` in a text filled in from `values`. */
export function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The labels for a publication's language (English where the language has no message file). */
export function leafletLabels(lang: string): LeafletLabels {
  return messagesFor(lang).leaflet;
}
