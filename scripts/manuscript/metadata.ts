/**
 * The publication's metadata: one zod schema that both validates the YAML
 * front matter and gives the rest of the pipeline its types.
 */
import { z } from 'zod';
import { DEFAULT_EDITIONS, EDITION_IDS } from '../base/editions.js';
import { leafletFields, reviewDatesInOrder } from './leaflet-metadata.js';

const text = z.string().trim().min(1);
const oneOrMany = z.union([text, z.array(text).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
/** A word as it may break: letters, with a hyphen at each break (`ther-a-pist`), or none. */
const hyphenationWord = z
  .string()
  .trim()
  .regex(/^\p{L}+(-\p{L}+)*$/u, 'must be one word, with a hyphen at each place it may break (such as "ther-a-pist"), or none to keep it whole');

export const metadataSchema = z
  .object({
    title: text.describe(
      'Title of the publication; printed in the masthead and the running header. When absent, the first `#` heading, or the file name.',
    ),
    subtitle: text.optional().describe('Line under the title.'),
    author: oneOrMany.optional().describe('Author or authors (a string or a list).'),
    publisher: text.optional().describe('Publisher, clinic or company name.'),
    lang: z
      .string()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'must be a BCP 47 language tag such as "en" or "en-GB"')
      .default('en')
      .describe('Language of the text (BCP 47), e.g. `en`.'),
    numerals: z
      .enum(['native', 'western'])
      .optional()
      .describe(
        '`native`: numbers in the language’s own digits (Persian ۰–۹, Hindi ०–९…) in the text, lists, dates and page numbers; `western` (default): 0–9.',
      ),
    description: text.optional().describe('One or two sentences; PDF Subject and EPUB dc:description.'),
    keywords: oneOrMany.optional().describe('Keywords (a string or a list).'),
    date: z
      .union([z.date(), z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a date like 2026-11-24')])
      .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
      .optional()
      .describe('Publication date, YYYY-MM-DD.'),
    identifier: text.optional().describe('Stable identifier such as `urn:uuid:…` or `urn:isbn:…`; derived from the title when absent.'),
    rights: text.optional().describe('Copyright or licence statement.'),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters, digits and hyphens')
      .optional()
      .describe('Base name of the output files; a slug of the title when absent.'),
    editions: z
      .array(z.enum(EDITION_IDS))
      .min(1)
      .default(DEFAULT_EDITIONS)
      .describe(`Print editions: ${EDITION_IDS.map((id) => `\`${id}\``).join(', ')}; default ${DEFAULT_EDITIONS.join(', ')}.`),
    pages: z
      .union([z.number().int().min(1), z.partialRecord(z.enum(EDITION_IDS), z.number().int().min(1))])
      .optional()
      .describe(
        'Pages to fit to (`2`, or `{ a4: 2 }`): space, not type.',
      ),
    press: z
      .boolean()
      .optional()
      .describe('`true`: a PDF/X-4 press file too; needs `pressProfile`.'),
    pressProfile: text
      .optional()
      .describe('The print shop’s `.icc` profile (manuscript folder).'),
    logo: text.optional().describe('Logo for the masthead: an image inside the manuscript folder (SVG or PNG).'),
    downloadUrl: z
      .url({ protocol: /^https?$/, error: 'must be a full http(s) address such as https://example.com/handout.epub' })
      .optional()
      .describe('Where readers download the ebook; the imprint\'s QR code leads there without `siteUrl`.'),
    siteUrl: z
      .url({ protocol: /^https?$/, error: 'must be a full http(s) address such as https://example.com/leaflets/foot-massage/' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional()
      .describe("Where dist/ is published: the web edition's address, where the imprint's QR code leads."),
    contact: oneOrMany
      .optional()
      .describe('Contact lines: clinic or publisher address, phone, email, website; set at the end in a "Questions? Call …" panel, numbers and addresses as links.'),
    disclaimer: text
      .optional()
      .describe('Medical disclaimer for the imprint; a standard one ("not a substitute for professional medical advice") when absent.'),
    chapterLevel: z
      .number()
      .int()
      .min(1)
      .max(6)
      .optional()
      .describe(
        'Heading level that starts a new chapter file in the EPUB: `2` (`##`) for articles, `1` (`#`) for books, where every `#` is a chapter. When absent, `2`, and a publication under 2,500 words is one file.',
      ),
    cover: text
      .optional()
      .describe('A finished cover image in the manuscript folder (JPEG or PNG, at least 1600×2560 px), used as is instead of the generated cover.'),
    coverArt: text.optional().describe('A picture in the manuscript folder set on the generated cover, above the title.'),
    align: z
      .enum(['left', 'justify'])
      .default('left')
      .describe(
        'How the standard print editions set their text: `left` (ragged right, no word broken: plain-language guidance) or `justify` (justified and hyphenated, for book-like pages). Large print is always ragged right.',
      ),
    hyphenationExceptions: z
      .union([hyphenationWord, z.array(hyphenationWord).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe('With `align: justify`: words written with a hyphen at each place they may break (`ther-a-pist`), or with none to keep them whole (`disease`); added to the built-in list.'),
    accessibilitySummary: text
      .optional()
      .describe('Replaces the generated accessibility summary of the EPUB (how the publication can be read, in a sentence or two).'),
    taglines: z
      .boolean()
      .optional()
      .describe('`true`: end the handout with the language-assistance line of each language built, from the publisher’s `taglines.yaml` beside the manuscript.'),
    // Translations (scripts/manuscript/translations.ts): who made one, and which source it translates; who reviewed it is
    // its own `reviewedBy` (leaflet-metadata.ts), never the source's.
    translator: oneOrMany.optional().describe('A translation: its translator or translators.'),
    sourceHash: z
      .record(z.string(), z.string().regex(/^[0-9a-f]{8,64}$/, 'must be a hex digest'))
      .optional()
      .describe('A translation: the sections of the source it translates, as `npm run translation -- mark` records them; do not edit by hand.'),

    // A clinic's patient leaflet: review dates, version, key points, references… (leaflet-metadata.ts).
    ...leafletFields,
  })
  .strict()
  .superRefine(reviewDatesInOrder);

export type Metadata = z.output<typeof metadataSchema>;

/** Without `chapterLevel` in the front matter, each `##` section is a chapter. */
export const DEFAULT_CHAPTER_LEVEL = 2;

/** The heading level that starts a chapter: the front matter's, else the default. */
export const chapterLevelOf = (metadata: Pick<Metadata, 'chapterLevel'>): number => metadata.chapterLevel ?? DEFAULT_CHAPTER_LEVEL;
