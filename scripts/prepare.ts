/**
 * Prepare a publication set: everything the build knows before it prints.
 *
 *   load manuscript → load translations → check them → render Markdown → apply templates
 *
 * The source and each translation beside it (foot-massage.es.md) are a language of the set,
 * each a publication of its own. Every problem the build can find before printing is found
 * here, for every language at once: `npm run build`, `npm run check`, `npm run dev`, a
 * library's leaflets, a queue's worker and the bench all prepare through this one function,
 * so that what one of them refuses, all of them refuse.
 */
import type { VFileMessage } from 'vfile-message';
import { buildTimeFromEnv } from './base/build-time.js';
import { ManuscriptProblems, isProblem, problem } from './base/problems.js';
import { createProgress, type Progress } from './base/progress.js';
import { loadManuscript, manuscriptMessages, type Manuscript } from './manuscript/load.js';
import { warnWithoutFixedTexts } from './manuscript/missing-fixed-texts.js';
import { warnWhenReviewDue } from './manuscript/review-due.js';
import { taglinesFor } from './manuscript/taglines.js';
import { loadTranslations } from './manuscript/translations.js';
import { warnUncoveredCharacters } from './manuscript/uncovered-characters.js';
import { metadataSchema } from './manuscript/metadata.js';
import { changedSections, manuscriptName } from './manuscript/translation-sync.js';
import { renderMarkdown, type RenderedDocument } from './render/markdown.js';
import { applyTemplates, type Publication } from './render/publication.js';
import { webPageName } from './base/web-pages.js';
import { slugOf } from './manuscript/identity.js';
import { frontMatterChanges, sinceText, type EarlierVersion, type ReviewComparison } from './render/review-notes.js';

export interface PrepareOptions {
  /** A `.md` file or a folder of them. */
  input: string;
  /** The manuscript, loaded already (a library's leaflet, with the library's defaults); `input` then only names it. */
  manuscript?: Manuscript;
  /** Only these languages (BCP 47 tags: the source's and its translations'); all when not given. */
  languages?: readonly string[];
  /** Leave the translations out (the preview shows the source alone). */
  withoutTranslations?: boolean;
  /** The time the outputs record; SOURCE_DATE_EPOCH makes it reproducible. */
  buildTime?: Date;
  /** Reports each stage and keeps its time; silent when not given. */
  progress?: Progress;
  /**
   * Told of each language as its Markdown starts rendering, when its front matter is sound: the
   * build draws its cover from the front matter meanwhile.
   */
  whileRendering?: (language: LoadedLanguage) => void;
  /** Make a review copy: each language compared with an earlier version of itself, every change marked (A4 only). */
  review?: ReviewSource;
}

/** What a review copy is compared with: an earlier version of each language of the set (scripts/review/). */
export interface ReviewSource {
  /** The earlier version: its commit, its day, its `version`. */
  since: EarlierVersion;
  /** The language as it was then. */
  previous(language: LoadedLanguage): Manuscript;
}

/** The one print edition a review copy is made in: the standard edition's typesetting on A4. */
const REVIEW_EDITIONS = ['a4'] as const;

/** One language of the set as loaded: its manuscript, and for a translation its language. */
export interface LoadedLanguage {
  manuscript: Manuscript;
  /** A translation's language (`es`), named in its stages and its file names; none for the source. */
  lang?: string;
}

/** One language through its templates: ready to print and pack. */
export interface PreparedLanguage extends LoadedLanguage {
  document: RenderedDocument;
  publication: Publication;
  /** Base name of its files: the slug, and for a translation its language (`foot-massage.es`). */
  stem: string;
  /** The characters no font of the publication has (a PDF with such a glyph makes no PDF/UA claim). */
  charactersWithoutFont: string[];
}

export interface PublicationSet {
  source: Manuscript;
  /** The languages built, the source's first (unless `languages` leaves it out). */
  languages: PreparedLanguage[];
  /** Every manuscript's warnings, by file in reading order: the source's, then each translation's. */
  warnings: VFileMessage[];
  buildTime: Date;
}

/** A set that cannot be built: every message of every manuscript, errors and warnings, and the source as loaded. */
export class PublicationSetRefused extends ManuscriptProblems {
  constructor(
    messages: VFileMessage[],
    readonly source: Manuscript,
  ) {
    super(messages);
  }
}

/**
 * The publication set of `input`. Throws PublicationSetRefused when any message is an error, or the one problem that
 * stopped loading (a file that is not UTF-8, a missing taglines.yaml).
 */
export async function preparePublications(options: PrepareOptions): Promise<PublicationSet> {
  const progress = options.progress ?? createProgress({ quiet: true });
  const source = options.manuscript ?? (await progress.stage('load manuscript', () => loadManuscript(options.input)));
  const buildTime = options.buildTime ?? buildTimeFromEnv();
  const translations = options.withoutTranslations
    ? []
    : await progress.stage('load translations', () => loadTranslations(source, options.input, options.languages));
  const languages: LoadedLanguage[] = [...(builds(options, source.metadata.lang) ? [{ manuscript: source }] : []), ...translations];
  const manuscripts = [source, ...translations.map(({ manuscript }) => manuscript)];
  // A translation is due for review with its source: it is warned about when it sets its own date.
  for (const manuscript of manuscripts) if (manuscript === source || manuscript.frontMatter?.nextReview !== undefined) warnWhenReviewDue(manuscript, buildTime);
  const uncovered = new Map(await Promise.all(manuscripts.map(async (manuscript) => [manuscript, await warnUncoveredCharacters(manuscript)] as const)));
  for (const manuscript of manuscripts) warnWithoutFixedTexts(manuscript);
  // The language-assistance line of every language built, in each of them (front matter `taglines`).
  const taglines = await taglinesFor(source, languages.map(({ manuscript }) => manuscript.metadata.lang));
  // Every language rendered before any goes further: every problem of every language is reported at once.
  const rendered = await Promise.all(languages.map((language) => renderLanguage(language, options, progress)));
  const errors = rendered.flatMap(({ error }) => (error ? [error] : []));
  if (errors.length) {
    const errorsOf = (manuscript: Manuscript) => rendered.filter((language) => language.manuscript === manuscript && language.error).map((language) => language.error!);
    throw new PublicationSetRefused(manuscripts.flatMap((manuscript) => manuscriptMessages(manuscript, errorsOf(manuscript))), source);
  }
  const warnings = manuscripts.flatMap((manuscript) => manuscriptMessages(manuscript));
  const prepared = await Promise.all(
    rendered.map(async ({ manuscript, lang, document, previous }): Promise<PreparedLanguage> => {
      const review = previous && comparisonOf(previous, manuscript, source, options.review!.since);
      const publication = await progress.stage(stageName('apply templates', lang), () =>
        applyTemplates(document!, manuscript.metadata, buildTime, manuscript, {
          taglines,
          webPage: webPageName(slugOf(manuscript.metadata), lang),
          ...(review ? { review, editions: REVIEW_EDITIONS } : {}),
        }),
      );
      const stem = `${lang ? `${publication.slug}.${lang}` : publication.slug}${review ? '-review' : ''}`;
      return { manuscript, lang, document: document!, publication, stem, charactersWithoutFont: uncovered.get(manuscript) ?? [] };
    }),
  );
  return { source, languages: prepared, warnings, buildTime };
}

/** `render Markdown (es)`: a translation's stage. */
export const stageName = (name: string, lang: string | undefined) => (lang ? `${name} (${lang})` : name);

/** Whether the set holds the language `lang` (all, without `languages`). */
const builds = (options: PrepareOptions, lang: string) => !options.languages || options.languages.some((tag) => tag.toLowerCase() === lang.toLowerCase());

/**
 * Markdown to HTML for one language; rendering records every problem on its file, and the first error is kept. For a
 * review copy, the earlier version is rendered first and every change since is marked in the text.
 */
async function renderLanguage(
  language: LoadedLanguage,
  options: PrepareOptions,
  progress: Progress,
): Promise<LoadedLanguage & { document?: RenderedDocument; error?: VFileMessage; previous?: Manuscript }> {
  const sound = !manuscriptMessages(language.manuscript).some((message) => message.fatal);
  if (sound) options.whileRendering?.(language);
  const previous = options.review?.previous(language);
  try {
    const changesSince = previous && (await progress.stage(stageName('render earlier version', language.lang), () => renderEarlier(previous, options.review!.since, language)));
    const document = await progress.stage(stageName('render Markdown', language.lang), () => renderMarkdown(language.manuscript, { changesSince }));
    return { ...language, document, previous };
  } catch (error) {
    if (!isProblem(error)) throw error;
    return { ...language, error };
  }
}

/** The earlier version a review copy is compared with, rendered; its error is said to be the earlier version's. */
async function renderEarlier(previous: Manuscript, since: EarlierVersion, language: LoadedLanguage): Promise<RenderedDocument> {
  try {
    return await renderMarkdown(previous);
  } catch (error) {
    if (!isProblem(error)) throw error;
    throw problem(`the version compared with (${sinceText(since, 'en')}) cannot be rendered: ${error.reason}`, {
      file: language.manuscript.files[0]!.file.path,
      hint: 'Compare with another version (`--since`), one that built then.',
    });
  }
}

/** What a review copy says beyond its marks: the front matter changed, and for a translation the source's sections changed since it was marked. */
function comparisonOf(previous: Manuscript, manuscript: Manuscript, source: Manuscript, since: EarlierVersion): ReviewComparison {
  const recorded = manuscript !== source ? manuscript.metadata.sourceHash : undefined;
  return {
    since,
    frontMatter: frontMatterChanges(previous.metadata, manuscript.metadata, Object.keys(metadataSchema.shape)),
    ...(recorded ? { source: { name: manuscriptName(source), ...changedSections(recorded, source) } } : {}),
  };
}
