/**
 * What the EPUB tells reading systems and stores about its accessibility (EPUB Accessibility 1.1),
 * computed from the book rather than declared: a claim is made only when the book meets it.
 */
import { languageOf } from '../languages/language.js';
import { fillIn, type Messages } from '../languages/fixed-texts.js';
import type { Metadata } from '../manuscript/metadata.js';
import type { EbookContent } from './ebook.js';
import type { AccessibilityGaps } from './plugins/rehype-accessibility-warnings.js';

/** EPUB Accessibility 1.1 metadata (schema.org properties and the conformance claim). */
export interface Accessibility {
  accessModes: string[];
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
  /** The conformance claim; none when the book does not meet it. */
  conformsTo?: string;
  certifiedBy?: string;
  /**
   * The print edition the page-break markers come from, when there are some: written as a `dc:source`
   * that is the `source-of` pagination, as EPUB 3.2 has it and Ace asks; EPUB Accessibility 1.1's
   * `a11y:pageBreakSource` is an undefined property to EPUBCheck 4.2 (an error).
   */
  pageBreakSource?: string;
}

/** Scripts written without spaces between sentences. */
const CLOSE_SET_SCRIPTS = new Set(['Jpan', 'Hans', 'Hant', 'Hani']);

/**
 * What the EPUB tells reading systems and stores about its accessibility, computed from
 * the book: the conformance claim (WCAG 2.1 AA, EPUB Accessibility 1.1), text as a
 * sufficient way to read it and alternative text are said only when every image is
 * described or marked decorative and every change of language is marked; the summary
 * says what the other metadata cannot: how the book can be read, and what is missing.
 */
export function epubAccessibility(
  metadata: Metadata,
  authors: string[],
  content: EbookContent,
  gaps: AccessibilityGaps,
  { lang, texts }: Messages,
  pageBreakSource?: string,
): Accessibility {
  const imagesDescribed = gaps.undescribedImages.length === 0;
  const languagesMarked = gaps.untaggedLanguageChanges.length === 0;
  const conforms = imagesDescribed && languagesMarked;
  const mathml = content.chapters.some((chapter) => chapter.properties.includes('mathml'));
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    'displayTransformability',
    'ARIA',
    ...(imagesDescribed ? ['alternativeText'] : []),
    ...(pageBreakSource ? ['pageBreakMarkers', 'pageNavigation'] : []),
    ...(mathml ? ['MathML'] : []),
  ];
  // In English, what is missing is counted and named; the message files of other languages say it in general.
  const english = lang === 'en';
  const missing = [
    ...(imagesDescribed
      ? []
      : [
          english
            ? `${count(gaps.undescribedImages.length, 'image has', 'images have')} no text description, so a reader who cannot see ${gaps.undescribedImages.length > 1 ? 'them' : 'it'} misses what ${gaps.undescribedImages.length > 1 ? 'they show' : 'it shows'}.`
            : texts.summaryImagesNotDescribed,
        ]),
    ...(languagesMarked
      ? []
      : [
          english
            ? `Words in other scripts (${[...new Set(gaps.untaggedLanguageChanges)].slice(0, 4).join(', ')}) are not marked with their language, so a screen reader may mispronounce them.`
            : texts.summaryLanguagesNotMarked,
        ]),
  ];
  const separator = CLOSE_SET_SCRIPTS.has(languageOf(lang).script) ? '' : ' ';
  const summary =
    metadata.accessibilitySummary ??
    [
      texts.summaryReadable,
      pageBreakSource ? fillIn(texts.summaryPageNumbers, { source: pageBreakSource }) : '',
      content.describedImages && imagesDescribed ? texts.summaryImagesDescribed : '',
      conforms ? texts.summaryConformance : fillIn(texts.summaryNotConforming, { reasons: missing.join(separator) }),
    ]
      .filter(Boolean)
      .join(separator);
  return {
    accessModes: ['textual', 'visual'],
    accessModesSufficient: imagesDescribed ? ['textual', 'textual,visual'] : ['textual,visual'],
    features,
    hazards: ['none'],
    summary,
    conformsTo: conforms ? 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA' : undefined,
    certifiedBy: conforms ? (metadata.publisher ?? authors.join(', ')) : undefined,
    pageBreakSource,
  };
}

const count = (n: number, one: string, many: string) => `${n === 1 ? 'One' : n} ${n === 1 ? one : many}`;

