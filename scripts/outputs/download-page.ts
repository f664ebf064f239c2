/**
 * The download page (`index.html` beside the outputs): cover, title,
 * description and one link per file the build produced, with its size and
 * pages. It lists whatever editions exist, so new PDF sizes appear without
 * touching the template, and it is self-contained (inline CSS, the cover as a
 * data: URL) so it can be uploaded or mailed as it is.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import type { Resource } from '../base/resource.js';
import { PROJECT_ROOT } from '../base/project-root.js';
import { type Publication } from '../render/publication.js';
import { formatSize } from '../base/progress.js';
import type { OutputFile } from '../base/write-outputs.js';
import { EDITIONS, type EditionId } from '../base/editions.js';
import { languageOf } from '../languages/language.js';
import { fillIn } from '../languages/fixed-texts.js';

export const DOWNLOAD_PAGE = 'index.html';

/** A PDF or EPUB the build produced. */
export interface PublishedFile extends OutputFile {
  /** Pages of a PDF. */
  pages?: number;
}

/** A human name for each file: `<slug>-large-print.pdf` is "PDF handout, Large print (A4)". */
export function fileLabel(fileName: string, slug: string, lang?: string): string {
  const extension = path.extname(fileName).toLowerCase();
  // A translation's files carry its language after the slug: `<slug>.es-a4.pdf`.
  const stem = lang && path.basename(fileName).startsWith(`${slug}.${lang}`) ? `${slug}.${lang}` : slug;
  const variant = path.basename(fileName, path.extname(fileName)).slice(stem.length).replace(/^-/, '');
  const kinds: Record<string, string> = { '.epub': 'EPUB ebook', '.pdf': 'PDF handout', '.docx': 'Word document' };
  const kind = kinds[extension] ?? extension.slice(1).toUpperCase();
  if (!variant) return kind;
  return `${kind}, ${variant in EDITIONS ? EDITIONS[variant as EditionId].label : variant.replace(/-/g, ' ')}`;
}

/** "3 pages, 41 kB": what the download page and the build's output lines say about a file. */
export function describeFile(file: { pages?: number; bytes: Uint8Array | number }): string {
  const size = typeof file.bytes === 'number' ? file.bytes : file.bytes.byteLength;
  return [file.pages && `${file.pages} page${file.pages === 1 ? '' : 's'}`, formatSize(size)].filter(Boolean).join(', ');
}

export const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A file's link on the page: its name, label, type, size and pages, in the language of its publication. */
function listed(file: PublishedFile, publication: Publication) {
  const extension = path.extname(file.name).toLowerCase();
  return {
    href: encodeURI(file.name),
    label: fileLabel(file.name, publication.slug, publication.metadata.lang),
    mediaType: MEDIA_TYPES[extension] ?? 'application/octet-stream',
    hreflang: publication.metadata.lang,
    // A PDF opens in the browser; an EPUB is for a reading app, so it downloads.
    download: extension === '.epub',
    details: describeFile(file),
  };
}

/** A translation's files, listed under its language's own name (outputs named `<slug>.<lang>…`). */
export interface LanguageFiles {
  publication: Publication;
  files: readonly PublishedFile[];
}

export async function renderDownloadPage(
  publication: Publication,
  files: readonly PublishedFile[],
  cover?: Resource,
  otherLanguages: readonly LanguageFiles[] = [],
): Promise<OutputFile> {
  const [template, baseCss, pageCss] = await Promise.all([
    readFile(path.join(PROJECT_ROOT, 'templates', 'index.html.ejs'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'base.css'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'download.css'), 'utf8'),
  ]);
  const html = ejs.render(template, {
    metadata: publication.metadata,
    dir: publication.language.dir,
    texts: publication.language.messages.texts,
    coverAlt: fillIn(publication.language.messages.texts.downloadCoverOf, { title: publication.metadata.title }),
    byline: publication.byline,
    css: [baseCss, pageCss].join('\n'),
    cover: cover && `data:${cover.mediaType};base64,${Buffer.from(cover.bytes).toString('base64')}`,
    files: files.map((file) => listed(file, publication)),
    languages: otherLanguages.map((other) => {
      const language = languageOf(other.publication.metadata.lang);
      return { lang: language.tag, dir: language.dir, name: language.nativeName, title: other.publication.metadata.title, files: other.files.map((file) => listed(file, other.publication)) };
    }),
  });
  return { name: DOWNLOAD_PAGE, bytes: new TextEncoder().encode(html) };
}
