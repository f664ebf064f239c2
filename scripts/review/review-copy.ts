/**
 * `npm run review -- <manuscript>`: a review copy, the leaflet with every change since the
 * version last approved marked, for the clinician who signs it off.
 *
 *   find the earlier version in git → check it out (into a temporary folder) → load it →
 *   build the review copy (scripts/build.ts, with `review`): A4 PDF, review page, Word file
 *
 * A translation (`heel-pain.es.md`) is compared with its own earlier version, and its notes
 * name the sections of its source that changed since it was marked.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { isProblem, problem } from '../base/problems.js';
import type { Format } from '../base/formats.js';
import type { Progress } from '../base/progress.js';
import { build } from '../build.js';
import { baselineOf, checkOut, type Baseline } from '../manuscript/git-history.js';
import { loadManuscript, type LoadOptions, type Manuscript } from '../manuscript/load.js';
import { leafletLoadOptions } from '../library/build-leaflet.js';
import { libraryFolderOf, readLibraryConfig } from '../library/config.js';
import { sourceOfTranslation } from '../manuscript/mark-translation.js';
import { translationOf } from '../manuscript/translation-files.js';
import { loadTranslations } from '../manuscript/translations.js';
import type { Publication } from '../render/publication.js';

/** What a review copy can be made as: the PDF (with its review page) and the Word file with tracked changes. */
export const REVIEW_FORMATS = ['pdf', 'docx'] as const satisfies readonly Format[];
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export interface ReviewCopyOptions {
  /** A manuscript: a `.md` file, a translation of one (`heel-pain.es.md`), or a folder. */
  input: string;
  /** A `version` the front matter has had, or a git revision; the version last approved when not given. */
  since?: string;
  outDir: string;
  formats: readonly ReviewFormat[];
  buildTime?: Date;
  progress?: Progress;
}

export interface ReviewCopy {
  /** The version compared with, as the copy names it. */
  since: string;
  /** Nothing changed since: nothing was written. */
  unchanged: boolean;
  files: string[];
  warnings: VFileMessage[];
  publication?: Publication;
}

export async function makeReviewCopy(options: ReviewCopyOptions): Promise<ReviewCopy> {
  const input = path.resolve(options.input);
  const isFolder = await stat(input).then(
    (info) => info.isDirectory(),
    (cause: unknown) => {
      throw problem(`cannot read the manuscript: ${(cause as Error).message}`, { file: input, hint: 'Pass an existing .md file or a folder of .md files.', cause });
    },
  );
  const translation = isFolder ? undefined : await translationFile(input);
  const sourceInput = translation?.input ?? input;
  const loadOptions = await libraryLoadOptions(sourceInput);
  const source = await loadManuscript(sourceInput, loadOptions);
  // The file whose history is read: the translation's own, or the one with the front matter.
  const reviewed = translation ? input : source.files[0]!.file.path!;
  const baseline = await baselineOf(reviewed, options.since, await readFile(reviewed, 'utf8'));
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-review-'));
  try {
    await checkOut(baseline.root, baseline.commit, path.posix.dirname(baseline.path), folder);
    const previous = await earlierVersion(baseline, folder, { isFolder, translation, sourceInput, loadOptions });
    const lang = translation?.lang ?? source.metadata.lang;
    const result = await build({
      input: sourceInput,
      manuscript: source,
      languages: [lang],
      outDir: options.outDir,
      formats: options.formats,
      buildTime: options.buildTime,
      progress: options.progress,
      review: { since: { version: baseline.version, commit: baseline.short, date: baseline.date }, previous: () => previous },
    });
    return { since: baseline.description, unchanged: result.unchanged ?? false, files: result.files, warnings: result.warnings, publication: result.languages[0]?.publication };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * How the manuscript is loaded: a library's leaflet under the library's shared front matter and logo, as the
 * library builds it (both versions under the library file as it is now: a review is of the leaflet); `{}` for
 * a manuscript of its own.
 */
async function libraryLoadOptions(input: string): Promise<LoadOptions> {
  const root = libraryFolderOf(input);
  return root ? leafletLoadOptions(root, await readLibraryConfig(root)) : {};
}

/** The translation `file` is, with its source, or none when it is a manuscript of its own. */
async function translationFile(file: string): Promise<{ input: string; lang: string } | undefined> {
  const names = await readdir(path.dirname(file));
  return translationOf(path.basename(file), names) ? sourceOfTranslation(file) : undefined;
}

/** The manuscript as it was at the baseline, from its files checked out into `folder`. */
async function earlierVersion(
  baseline: Baseline,
  folder: string,
  { isFolder, translation, sourceInput, loadOptions }: { isFolder: boolean; translation?: { lang: string }; sourceInput: string; loadOptions: LoadOptions },
): Promise<Manuscript> {
  const checkedOut = path.join(folder, ...path.posix.dirname(baseline.path).split('/'));
  try {
    if (!translation) return await loadManuscript(isFolder ? checkedOut : path.join(folder, ...baseline.path.split('/')), loadOptions);
    // A translation as it was, over its source as it was (what it inherited then).
    const oldSourceInput = path.join(checkedOut, path.basename(sourceInput));
    const oldSource = await loadManuscript(oldSourceInput, loadOptions);
    const [old] = await loadTranslations(oldSource, oldSourceInput, [translation.lang]);
    if (!old) throw problem(`no ${translation.lang} translation at ${baseline.description}`);
    return old.manuscript;
  } catch (error) {
    if (!isProblem(error)) throw error;
    throw problem(`the version compared with (${baseline.description}) cannot be read: ${error.reason}`, {
      file: path.join(baseline.root, baseline.path),
      hint: 'Compare with another version (`--since`).',
    });
  }
}
