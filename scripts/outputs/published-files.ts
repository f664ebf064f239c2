/**
 * The files a build publishes (the PDF editions and the EPUB) as pages and feeds list them: a
 * name a reader understands, its kind, its size and pages.
 */
import path from 'node:path';
import { formatSize } from '../base/progress.js';
import type { OutputFile } from '../base/write-outputs.js';
import { EDITIONS, type EditionId } from '../base/editions.js';

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
  // A booklet's sheets for the office printer, and a press file, are named after their edition.
  const [, edition = variant, suffix] = /^(.+?)-(imposed|press)$/.exec(variant) ?? [];
  const label = edition in EDITIONS ? EDITIONS[edition as EditionId].label : edition.replace(/-/g, ' ');
  if (variant in EDITIONS) return `${kind}, ${EDITIONS[variant as EditionId].label}`;
  return `${kind}, ${label}${suffix === 'imposed' ? ', imposed for printing' : suffix === 'press' ? ', for the press (PDF/X-4)' : ''}`;
}

/** "3 pages, 41 kB": what the web edition, the catalogue and the build's output lines say about a file. */
export function describeFile(file: { pages?: number; bytes: Uint8Array | number }): string {
  const size = typeof file.bytes === 'number' ? file.bytes : file.bytes.byteLength;
  return [file.pages && `${file.pages} page${file.pages === 1 ? '' : 's'}`, formatSize(size)].filter(Boolean).join(', ');
}

export const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

