/**
 * Reading a PDF's text layer as a reader's tools do: pdf.js for the size of
 * the type, poppler for the text of each page without the page furniture.
 */
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

/** The PDF opened by pdf.js, without loading its fonts into anything. */
async function openPdf(file: string) {
  return getDocument({ data: new Uint8Array(await readFile(file)), disableFontFace: true, useSystemFonts: false }).promise;
}

/** Effective font size (points, after all transforms) of each text run on each page, weighted by its characters. */
export async function fontSizesByPage(file: string): Promise<Map<number, number>[]> {
  const document = await openPdf(file);
  const pages: Map<number, number>[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    const sizes = new Map<number, number>();
    for (const item of content.items as TextItem[]) {
      if (!item.str?.trim()) continue;
      const size = Math.round(Math.hypot(item.transform[2], item.transform[3]) * 10) / 10;
      sizes.set(size, (sizes.get(size) ?? 0) + item.str.length);
    }
    pages.push(sizes);
  }
  await document.destroy();
  return pages;
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
  const document = await openPdf(file);
  try {
    const pages: MarkedRun[][] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent({ includeMarkedContent: true });
      const marks: string[] = [];
      const runs: MarkedRun[] = [];
      for (const item of content.items) {
        if ('str' in item) {
          if (item.str.trim()) runs.push({ text: item.str, marks: [...marks] });
        } else if (item.type === 'endMarkedContent') marks.pop();
        // pdf.js gives the tag (`Artifact`, `P`, …) but its types leave it out.
        else marks.push((item as { tag?: string }).tag ?? '');
      }
      pages.push(runs);
    }
    return pages;
  } finally {
    await document.destroy();
  }
}
