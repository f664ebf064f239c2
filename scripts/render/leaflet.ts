/**
 * What a clinic's handout prints around its text, from the front matter: the
 * review block ("Published … · Last reviewed … · Next review due … · Version …
 * · Ref …"), the reference for the running foot, the contact panel with its
 * telephone and email links, the ruled notes area and the line naming the
 * other formats the build made. The print and the ebook templates set the
 * same values; the labels come from leaflet-labels.ts.
 */
import { formattingLocale, numeralsOf } from '../languages/numerals.js';
import ejs from 'ejs';
import type { EditionId } from '../base/editions.js';
import type { Metadata } from '../manuscript/metadata.js';
import { fillIn, leafletLabels, type LeafletLabels } from '../languages/fixed-texts.js';

export interface ReviewItem {
  label: string;
  /** As printed: a date in the text's language, or the value as written. */
  text: string;
  /** YYYY-MM-DD, for `<time datetime>`. */
  date?: string;
}


export interface Leaflet {
  labels: LeafletLabels;
  /** Published, last reviewed, next review, version, reference: those the front matter gives. */
  review: ReviewItem[];
  /** Reviewed by, produced by. */
  credits: ReviewItem[];
  /** The running foot of every page but the first: "Ref PI-0427 · Version 2.1". */
  foot?: string;
  /**
   * The contact panel, as markup both the print page and the ebook's XHTML take: "Questions? Call 01234 567890"
   * (the number a link; "Questions?" when no line has one) over the contact lines, each number and address a link.
   */
  contactHtml?: string;
  /** The review block and the credits as paragraphs, each label with its value, dates in `<time>`. */
  reviewHtml: string;
  /** Ruled lines of the notes area; 0 for none. */
  notesLines: number;
  /** The imprint's "Also available in large print and as an ebook" for an edition (`ebook` for the EPUB); the template adds the address. */
  alternativeFormats(edition: EditionId | 'ebook'): string | undefined;
}

export function leafletOf(metadata: Metadata): Leaflet {
  const labels = leafletLabels(metadata.lang);
  const dateLocale = formattingLocale(metadata.lang, numeralsOf(metadata));
  const date = (label: string, value: string | undefined): ReviewItem[] => (value ? [{ label, text: formatDate(value, dateLocale), date: value }] : []);
  const plain = (label: string, value: string | undefined): ReviewItem[] => (value ? [{ label, text: value }] : []);
  const review = [
    ...date(labels.published, metadata.published),
    ...date(labels.lastReviewed, metadata.reviewed),
    ...date(labels.nextReview, metadata.nextReview),
    ...plain(labels.version, metadata.version),
    ...plain(labels.ref, metadata.leafletId),
  ];
  const credits = [...plain(labels.reviewedBy, metadata.reviewedBy), ...plain(labels.owner, metadata.owner)];
  const foot = [...plain(labels.ref, metadata.leafletId), ...plain(labels.version, metadata.version)].map((item) => `${item.label} ${item.text}`).join(' · ');
  return {
    labels,
    review,
    credits,
    foot: foot || undefined,
    contactHtml: metadata.contact ? contactPanel(metadata.contact, labels) : undefined,
    reviewHtml: [reviewParagraph('leaflet-review', review), reviewParagraph('leaflet-credits', credits)].join(''),
    notesLines: metadata.notesSpace ?? 0,
    alternativeFormats: (edition) => alternativeFormats(metadata, edition, labels),
  };
}

/** A date as the text's language writes it in full: 15 September 2027, September 15, 2027. */
export function formatDate(date: string, lang: string): string {
  const parts = date.split('-').map(Number);
  if (parts.length < 3) return date;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(parts[0]!, parts[1]! - 1, parts[2]!)),
  );
}

/** An email address, or a telephone number: an optional +country code, then at least seven digits in groups. */
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d(?:[\s.-]?\d){6,}/;
const CONTACT_LINK = new RegExp(`(${EMAIL.source})|(${PHONE.source})`, 'g');

/** The address a telephone number dials: its digits, and a leading + kept. */
export const telHref = (number: string) => `tel:${number.trim().startsWith('+') ? '+' : ''}${number.replace(/\D/g, '')}`;

/** A contact line with each email address and telephone number made a link, as escaped HTML. */
export function linkContactLine(line: string): string {
  let html = '';
  let at = 0;
  for (const match of line.matchAll(CONTACT_LINK)) {
    const [found, email] = match;
    html += ejs.escapeXML(line.slice(at, match.index));
    const href = email ? `mailto:${found}` : telHref(found);
    html += `<a href="${ejs.escapeXML(href)}">${ejs.escapeXML(found)}</a>`;
    at = match.index + found.length;
  }
  return html + ejs.escapeXML(line.slice(at));
}

function contactPanel(lines: string[], labels: LeafletLabels): string {
  const phone = lines.map((line) => PHONE.exec(line.replace(new RegExp(EMAIL.source, 'g'), ''))?.[0]).find(Boolean);
  const headline = phone
    ? `${ejs.escapeXML(labels.questionsCall)} <a href="${ejs.escapeXML(telHref(phone))}">${ejs.escapeXML(phone)}</a>`
    : ejs.escapeXML(labels.questions);
  return (
    `<section class="contact-panel" aria-label="${ejs.escapeXML(labels.questions)}">\n` +
    `  <p class="contact-headline">${headline}</p>\n` +
    `  <p class="contact-lines">${lines.map(linkContactLine).join('<br />')}</p>\n` +
    `</section>\n`
  );
}

/** "Published <time>1 March 2024</time> · Last reviewed …": one paragraph, each label set apart for the eye. */
function reviewParagraph(className: string, items: ReviewItem[]): string {
  if (!items.length) return '';
  const item = ({ label, text, date }: ReviewItem) =>
    `<span class="review-item"><span class="review-label">${ejs.escapeXML(label)}</span> ${
      date ? `<time datetime="${date}">${ejs.escapeXML(text)}</time>` : ejs.escapeXML(text)
    }</span>`;
  return `<p class="${className}">${items.map(item).join(' · ')}</p>\n`;
}

/**
 * The other formats the reader can ask for: large print beside a standard edition, standard print beside
 * large print, the ebook when the front matter says where it is, the web edition when it gives its
 * address (the template adds the address the QR code leads to). Letter beside A4 is the same edition on other paper.
 */
function alternativeFormats(metadata: Metadata, edition: EditionId | 'ebook', labels: LeafletLabels): string | undefined {
  const isLarge = (id: EditionId) => id.startsWith('large-print');
  const hasLarge = metadata.editions.some(isLarge);
  const hasStandard = metadata.editions.some((id) => !isLarge(id));
  const inEbook = edition === 'ebook';
  const formats = [
    ...(hasStandard && (inEbook || isLarge(edition as EditionId)) ? [labels.inStandardPrint] : []),
    ...(hasLarge && (inEbook || !isLarge(edition as EditionId)) ? [labels.inLargePrint] : []),
    // The web edition offers the ebook for download.
    ...(!inEbook && (metadata.downloadUrl || metadata.siteUrl) ? [labels.asAnEbook] : []),
    ...(metadata.siteUrl ? [labels.online] : []),
  ];
  if (!formats.length) return undefined;
  return fillIn(labels.alsoAvailable, { formats: new Intl.ListFormat(metadata.lang, { type: 'conjunction' }).format(formats) });
}
