/**
 * The imprint box at the end of the handout: publisher, contact, disclaimer, the
 * language-assistance lines, rights, and the address to read it on a screen with its QR code.
 *
 * A patient scans the code on the printed handout with a phone: it leads to the web edition when
 * its address is known (front matter `siteUrl`, which a library sets from its `downloadBaseUrl`),
 * a page any phone opens at once; otherwise to the ebook's `downloadUrl`, a file that needs an app.
 */
import ejs from 'ejs';
import QRCode from 'qrcode';
import type { Metadata } from '../manuscript/metadata.js';
import type { Tagline } from '../manuscript/taglines.js';
import { fillIn, type MessageTexts } from '../languages/fixed-texts.js';
import { isolatedHtml } from './plugins/rehype-isolate-bidi.js';
import { normalUrl } from './plugins/rehype-print-tags.js';
import { webAddress } from '../base/web-pages.js';

/** The white margin around the QR code, in modules: what the QR standard (ISO/IEC 18004) asks for, drawn in the code itself. */
export const QR_QUIET_ZONE = 4;

/** What the imprint box at the end of the handout says; the QR code is vector SVG, so it prints sharp at any size. */
export type Imprint = Awaited<ReturnType<typeof imprintOf>>;

/**
 * `webPage`: the publication's page in the web edition (base/web-pages.ts). `fixedTextLang`: the language of the fixed
 * texts when it is not the publication's (English, for a language with no message file): they are marked with it, and
 * set left to right in a right-to-left page.
 */
export async function imprintOf(metadata: Metadata, messages: MessageTexts, taglines: readonly Tagline[], webPage: string, fixedTextLang?: string) {
  const url = metadata.siteUrl ? webAddress(metadata.siteUrl, webPage) : metadata.downloadUrl;
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
    /** Where the QR code leads: the web edition, or else the ebook. */
    address: url,
    leadsTo: metadata.siteUrl ? ('web' as const) : ('ebook' as const),
    // Printed beside the code for readers who type it: no scheme, no trailing slash.
    addressLabel: url?.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    qrSvg,
  };
}

/** The imprint's link to the web edition or the ebook, described as the sentence around it says. */
export function imprintLinkTexts(imprint: Imprint): [string, string][] {
  if (!imprint.address) return [];
  const text = `${imprint.leadsTo === 'web' ? 'Read this handout online' : 'Get this handout as an ebook'}: ${imprint.addressLabel}`;
  return [imprint.address, normalUrl(imprint.address)].map((href) => [href, text]);
}
