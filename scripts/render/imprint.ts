/**
 * The imprint box at the end of the handout: publisher, contact, disclaimer, the
 * language-assistance lines, rights, and the link to the ebook with its QR code.
 */
import ejs from 'ejs';
import QRCode from 'qrcode';
import type { Metadata } from '../manuscript/metadata.js';
import type { Tagline } from '../manuscript/taglines.js';
import { fillIn, type MessageTexts } from '../languages/fixed-texts.js';
import { isolatedHtml } from './plugins/rehype-isolate-bidi.js';
import { normalUrl } from './plugins/rehype-print-tags.js';

/** The white margin around the QR code, in modules: what the QR standard (ISO/IEC 18004) asks for, drawn in the code itself. */
export const QR_QUIET_ZONE = 4;

/** What the imprint box at the end of the handout says; the QR code is vector SVG, so it prints sharp at any size. */
export type Imprint = Awaited<ReturnType<typeof imprintOf>>;

/**
 * `fixedTextLang`: the language of the fixed texts when it is not the publication's (English, for a language with no
 * message file): they are marked with it, and set left to right in a right-to-left page.
 */
export async function imprintOf(metadata: Metadata, messages: MessageTexts, taglines: readonly Tagline[], fixedTextLang?: string) {
  const url = metadata.downloadUrl;
  const qrSvg = url
    ? (await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: QR_QUIET_ZONE })).replace(
        '<svg ',
        `<svg role="img" aria-label="${ejs.escapeXML(fillIn(messages.qrCode, { url }))}" class="qr-code" `,
      )
    : '';
  return {
    title: messages.imprintTitle,
    disclaimerLabel: messages.medicalDisclaimer,
    publisher: metadata.publisher,
    contact: metadata.contact ?? [],
    disclaimer: metadata.disclaimer ?? messages.defaultDisclaimer,
    fixedTextLang,
    /** The disclaimer is the fixed one, in `fixedTextLang` when that is given. */
    disclaimerIsFixed: metadata.disclaimer === undefined,
    // Each in its own language and direction, its numbers and Latin words isolated as in a text of that direction.
    taglines: taglines.map((line) => ({ ...line, html: isolatedHtml(line.text, line.dir) })),
    rights: metadata.rights,
    downloadUrl: url,
    // Printed beside the code for readers who type it: no scheme, no trailing slash.
    downloadLabel: url?.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    qrSvg,
  };
}

/** The imprint's link to the ebook, described as the sentence around it says. */
export function imprintLinkTexts(imprint: Imprint): [string, string][] {
  if (!imprint.downloadUrl) return [];
  const text = `Get this handout as an ebook: ${imprint.downloadLabel}`;
  return [imprint.downloadUrl, normalUrl(imprint.downloadUrl)].map((href) => [href, text]);
}
