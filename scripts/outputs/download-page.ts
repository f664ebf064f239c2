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
import type { Resource } from '../browser.js';
import { PROJECT_ROOT, type Publication } from '../render/template.js';
import { formatSize } from '../progress.js';
import type { OutputFile } from '../write.js';

export const DOWNLOAD_PAGE = 'index.html';

export interface Edition extends OutputFile {
  /** Pages of a PDF edition. */
  pages?: number;
}

/** A human name for each kind of file: `<slug>-large-print.pdf` is "PDF, large print". */
const EDITION_NAMES: Record<string, string> = { a4: 'A4', letter: 'US Letter', 'large-print': 'large print' };

export function editionLabel(fileName: string, slug: string): string {
  const extension = path.extname(fileName).toLowerCase();
  const variant = path.basename(fileName, path.extname(fileName)).slice(slug.length).replace(/^-/, '');
  const kind = extension === '.epub' ? 'EPUB ebook' : extension === '.pdf' ? 'PDF handout' : extension.slice(1).toUpperCase();
  if (!variant) return kind;
  return `${kind}, ${EDITION_NAMES[variant] ?? variant.replace(/-/g, ' ')}`;
}

/** "3 pages, 41 kB": what the download page and the build's output lines say about a file. */
export function describeEdition(edition: Edition): string {
  return [edition.pages && `${edition.pages} page${edition.pages === 1 ? '' : 's'}`, formatSize(edition.bytes.byteLength)].filter(Boolean).join(', ');
}

const MEDIA_TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.epub': 'application/epub+zip' };

export async function renderDownloadPage(publication: Publication, editions: readonly Edition[], cover?: Resource): Promise<OutputFile> {
  const [template, baseCss, pageCss] = await Promise.all([
    readFile(path.join(PROJECT_ROOT, 'templates', 'index.html.ejs'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'base.css'), 'utf8'),
    readFile(path.join(PROJECT_ROOT, 'styles', 'download.css'), 'utf8'),
  ]);
  const html = ejs.render(template, {
    metadata: publication.metadata,
    byline: publication.ebook.byline,
    css: [baseCss, pageCss].join('\n'),
    cover: cover && `data:${cover.mediaType};base64,${Buffer.from(cover.bytes).toString('base64')}`,
    editions: editions.map((edition) => {
      const extension = path.extname(edition.name).toLowerCase();
      return {
        href: encodeURI(edition.name),
        label: editionLabel(edition.name, publication.slug),
        mediaType: MEDIA_TYPES[extension] ?? 'application/octet-stream',
        // A PDF opens in the browser; an EPUB is for a reading app, so it downloads.
        download: extension === '.epub',
        details: describeEdition(edition),
      };
    }),
  });
  return { name: DOWNLOAD_PAGE, bytes: new TextEncoder().encode(html) };
}
