/**
 * MuPDF, Artifex's own WebAssembly build, opens the PDFs the tests read: it renders pages, reads the
 * text as a reader's tools do (it honours /ActualText, which pdf.js 4 ignores), and walks the objects.
 * The WebAssembly module loads once per test worker, and each PDF is parsed once per content, as
 * suites read the same file many times.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as mupdf from 'mupdf';

export { mupdf };

/** Documents by the hash of their bytes: a file written again under the same name is read again. */
const documents = new Map<string, mupdf.PDFDocument>();
const KEEP_DOCUMENTS = 8;

export async function openMupdf(file: string): Promise<mupdf.PDFDocument> {
  const bytes = await readFile(file);
  const key = createHash('sha256').update(bytes).digest('hex');
  let document = documents.get(key);
  if (!document) {
    document = new mupdf.PDFDocument(bytes);
    documents.set(key, document);
    if (documents.size > KEEP_DOCUMENTS) {
      const [oldest] = documents;
      documents.delete(oldest![0]);
      oldest![1].destroy();
    }
  }
  return document;
}

/** Runs `read` and returns what it returned with every warning and error MuPDF logged meanwhile. */
export function withMupdfProblems<T>(read: () => T): { result: T; problems: string[] } {
  const problems: string[] = [];
  mupdf.setLog({ warning: (message) => problems.push(`warning: ${message}`), error: (message) => problems.push(`error: ${message}`) });
  try {
    return { result: read(), problems };
  } finally {
    mupdf.setLog(null);
  }
}
