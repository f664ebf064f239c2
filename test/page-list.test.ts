/**
 * The EPUB's page list of its A4 print edition: a marker where each printed page begins
 * (before the first block that starts on it), listed in the navigation document, named
 * as the package's `dc:source`; checked against the text of the A4 PDF itself.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { BUILD_TIME, sharedBuild } from './support/shared-builds.js';
import { tempDir } from './support/cli.js';
import { epubXhtml, openEpub, opfMeta, pdfPages, readableText, xhtmlText } from './support/outputs.js';

/** Letters and digits only: what survives hyphenation, line breaks and typographic quotes alike. */
const letters = (text: string) => readableText(text).replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();

interface Marker {
  page: number;
  file: string;
  /** The first words the marker stands before. */
  words: string;
}

async function pageBreaks(epubFile: string): Promise<{ markers: Marker[]; nav: string; meta: Map<string, string[]>; source: string | undefined }> {
  const zip = await openEpub(epubFile);
  const opf = await zip.file('OEBPS/content.opf')!.async('string');
  const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => new RegExp(`<item id="${match[1]}" href="([^"]+)"`).exec(opf)![1]!);
  const markers: Marker[] = [];
  for (const file of spine) {
    const xhtml = await zip.file(`OEBPS/${file}`)!.async('string');
    for (const match of xhtml.matchAll(/<span epub:type="pagebreak" role="doc-pagebreak" id="print-page-(\d+)" aria-label="\1"><\/span>/g)) {
      const after = xhtmlText(xhtml.slice(match.index + match[0].length).replace(/<span epub:type="pagebreak"[^>]*><\/span>/g, ''));
      markers.push({ page: Number(match[1]), file, words: after.split(' ').slice(0, 6).join(' ') });
    }
  }
  return { markers, nav, meta: opfMeta(opf), source: /<dc:source id="([^"]+)">([^<]*)<\/dc:source>\s*<meta refines="#\1" property="source-of">pagination<\/meta>/.exec(opf)?.[2] };
}

describe.each([
  ['the article', () => sharedBuild('article').files],
  ['the torture-test book', () => sharedBuild('torture').files],
  ['a clinic leaflet with call-out boxes', () => sharedBuild('leaflet').files],
])('the page list of %s', (_, filesOf) => {
  let epubFile: string;
  let a4: string;
  beforeAll(() => {
    epubFile = filesOf().find((file) => file.endsWith('.epub'))!;
    a4 = filesOf().find((file) => file.endsWith('-a4.pdf'))!;
  });

  it('marks every page of the A4 edition once, in reading order, and lists each in the navigation', async () => {
    const { markers, nav } = await pageBreaks(epubFile);
    const pages = await pdfPages(a4);
    expect(markers.map((marker) => marker.page)).toEqual(pages.map((_, index) => index + 1));
    const list = /<nav epub:type="page-list"[^>]*>([^]*?)<\/nav>/.exec(nav)?.[1] ?? '';
    const entries = [...list.matchAll(/<a href="([^"#]+)#print-page-(\d+)">(\d+)<\/a>/g)];
    expect(entries.map((entry) => [entry[1], Number(entry[2]), Number(entry[3])])).toEqual(markers.map((marker) => [marker.file, marker.page, marker.page]));
  });

  it('puts each marker before words printed on that page of the A4 PDF', async () => {
    const { markers } = await pageBreaks(epubFile);
    const pages = (await pdfPages(a4)).map(letters);
    for (const marker of markers) {
      const words = letters(marker.words);
      expect(words.length, `page ${marker.page}: ${marker.words}`).toBeGreaterThan(8);
      expect(pages[marker.page - 1], `page ${marker.page} of ${path.basename(a4)} should hold “${marker.words}”`).toContain(words);
    }
  });

  it('names the A4 edition as the source of its page breaks and declares page navigation', async () => {
    const { meta, source } = await pageBreaks(epubFile);
    expect(source).toBe(`A4 print edition (${path.basename(a4)})`);
    expect(meta.get('schema:accessibilityFeature')).toEqual(expect.arrayContaining(['pageBreakMarkers', 'pageNavigation']));
    expect(meta.get('schema:accessibilitySummary')![0]).toContain(`The page numbers of the A4 print edition (${path.basename(a4)}) are marked`);
  });
});

describe('an EPUB built without a print edition', () => {
  let epubFile: string;
  beforeAll(async () => {
    const { files } = await build({ input: path.join(PROJECT_ROOT, 'manuscript'), outDir: await tempDir(), formats: ['epub'], buildTime: BUILD_TIME });
    epubFile = files.find((file) => file.endsWith('.epub'))!;
  });

  // The chapters are written with a slot before each block while the PDF may still print (outputs/epub.ts):
  // with no PDF, every slot goes and nothing claims pages.
  it('has no page markers, no page list and no page source, and no slot left in its chapters', async () => {
    const { markers, nav, meta, source } = await pageBreaks(epubFile);
    expect(markers).toEqual([]);
    expect(nav).not.toContain('page-list');
    expect(source).toBeUndefined();
    expect(meta.get('schema:accessibilityFeature')).not.toContain('pageBreakMarkers');
    const zip = await openEpub(epubFile);
    const xhtml = await epubXhtml(zip);
    expect(xhtml.join('\n')).not.toContain('data-page-block');
    expect(xhtml.join('\n')).toContain('<p');
  });
});
