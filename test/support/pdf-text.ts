/**
 * Reading a PDF's text layer as a reader's tools do, with pdf.js: the size of the type, the
 * marked content each run lies in, the metadata. The lines of each page come from page-text.ts.
 */
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

/** The PDF opened by pdf.js, without loading its fonts into anything. */
async function openPdf(file: string) {
  return getDocument({ data: new Uint8Array(await readFile(file)), disableFontFace: true, useSystemFonts: false }).promise;
}

/** Each page's text content as pdf.js reads it (`includeMarkedContent`: with the marked content it lies in). */
export async function textContentByPage(file: string, includeMarkedContent = false) {
  const document = await openPdf(file);
  try {
    const pages = [];
    for (let number = 1; number <= document.numPages; number++) {
      pages.push((await (await document.getPage(number)).getTextContent({ includeMarkedContent })).items);
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** Effective font size (points, after all transforms) of each text run on each page, weighted by its characters. */
export async function fontSizesByPage(file: string): Promise<Map<number, number>[]> {
  return (await textContentByPage(file)).map((items) => {
    const sizes = new Map<number, number>();
    for (const item of items as TextItem[]) {
      if (!item.str?.trim()) continue;
      const size = Math.round(Math.hypot(item.transform[2], item.transform[3]) * 10) / 10;
      sizes.set(size, (sizes.get(size) ?? 0) + item.str.length);
    }
    return sizes;
  });
}

/** The size most of a page's characters are set in: its body text. */
export function bodySize(sizes: Map<number, number>): number {
  return [...sizes].sort((a, b) => b[1] - a[1])[0]![0];
}

/** The PDF's XMP metadata as pdf.js reads it (`dc:title`, `xmp:CreateDate`, …), and its document information. */
export async function pdfMetadata(file: string): Promise<{ xmp: Record<string, unknown>; info: Record<string, unknown> }> {
  const document = await openPdf(file);
  try {
    const { metadata, info } = await document.getMetadata();
    return { xmp: (metadata?.getAll() ?? {}) as Record<string, unknown>, info: info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}

/** A page's text runs with the marked content they lie in, outermost first (`['Artifact']`, `['NonStruct']`, `[]` for none). */
export interface MarkedRun {
  text: string;
  marks: string[];
}

/** Each page's text runs as pdf.js reads them with their marked content, as assistive technology tells content from artifacts. */
export async function markedTextByPage(file: string): Promise<MarkedRun[][]> {
  return (await textContentByPage(file, true)).map((items) => {
    const marks: string[] = [];
    const runs: MarkedRun[] = [];
    for (const item of items) {
      if ('str' in item) {
        if (item.str.trim()) runs.push({ text: item.str, marks: [...marks] });
      } else if (item.type === 'endMarkedContent') marks.pop();
      // pdf.js gives the tag (`Artifact`, `P`, …) but its types leave it out.
      else marks.push((item as { tag?: string }).tag ?? '');
    }
    return runs;
  });
}
