import { readFile } from 'node:fs/promises';
import { DEFAULT_DISCLAIMER } from '../scripts/render/publication.js';
import { describe, expect, it } from 'vitest';
import { epubCover, expectAcePasses, expectEpubcheckClean, foldSpace, openEpub, opfMeta, seedText, xhtmlText, zipEntries } from './support/outputs.js';
import { sharedBuild } from './support/shared-builds.js';

const epubFile = sharedBuild('article').files.find((file) => file.endsWith('.epub'))!;

describe('the article as an EPUB', () => {
  it('passes epubcheck with no errors and no warnings', async () => {
    await expectEpubcheckClean(epubFile);
  });

  it('is zipped as OCF asks, the mimetype first and stored, every text deflated', async () => {
    const [mimetype, ...rest] = zipEntries(await readFile(epubFile));
    // epubcheck checks the mimetype entry too; the text entries' compression it does not.
    expect(mimetype).toEqual({ name: 'mimetype', method: 0, compressedSize: 20, size: 20, localExtraLength: 0 });
    const texts = rest.filter((entry) => /\.(xhtml|css|opf|ncx|xml)$/.test(entry.name));
    expect(texts.map((entry) => entry.name)).toEqual(expect.arrayContaining(['OEBPS/content.opf', 'OEBPS/style.css', 'META-INF/container.xml']));
    for (const entry of texts) {
      expect(entry.method, entry.name).toBe(8);
      expect(entry.compressedSize, entry.name).toBeLessThan(entry.size * 0.8);
    }
  });

  it('declares full metadata in the package document', async () => {
    const zip = await openEpub(epubFile);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(opf).toContain('<dc:title id="title">The Many Benefits of Foot Massage</dc:title>');
    expect(opf).toContain('<dc:language>en</dc:language>');
    expect(opf).toContain('<dc:creator id="creator-0">Patient Education Team</dc:creator>');
    expect(opf).toContain('<dc:publisher>Home Massage Health Library</dc:publisher>');
    expect(opf).toContain('<dc:identifier id="pub-id">urn:uuid:6f1c3d0e-5b7a-4f43-9d2e-3a8c1b2f4e61</dc:identifier>');
    expect(opf).toMatch(/<dc:description>A patient handout on how foot massage[^<]+<\/dc:description>/);
    expect(opf).toContain('<dc:subject>reflexology</dc:subject>');
    expect(opf).toContain('<dc:date>2026-11-24</dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
    expect(opf).not.toMatch(/<dc:description>\s*<\/dc:description>/);
  });

  it('has a cover image of at least 1600×2560 px, shown on a cover page that opens the book', async () => {
    const zip = await openEpub(epubFile);
    const cover = await epubCover(zip);
    expect(cover).toMatchObject({ href: 'cover.png', mediaType: 'image/png', type: 'png' });
    expect(cover!.width).toBeGreaterThanOrEqual(1600);
    expect(cover!.height).toBeGreaterThanOrEqual(2560);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(opf).toContain('<meta name="cover" content="cover-image" />');
    expect(/<itemref idref="([^"]+)"/.exec(opf)![1]).toBe(/<item id="([^"]+)" href="cover.xhtml"/.exec(opf)![1]);
    const page = await zip.file('OEBPS/cover.xhtml')!.async('string');
    expect(page).toContain('epub:type="cover"');
    expect(page).toContain('<img role="doc-cover" src="cover.png" alt="Cover: The Many Benefits of Foot Massage. Patient Education Team. Home Massage Health Library" />');
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    expect(nav).toContain('<a epub:type="cover" href="cover.xhtml">');
  });

  it('declares its accessibility (EPUB Accessibility 1.1)', async () => {
    const zip = await openEpub(epubFile);
    const meta = opfMeta(await zip.file('OEBPS/content.opf')!.async('string'));
    expect(meta.get('schema:accessMode')).toEqual(['textual', 'visual']);
    expect(meta.get('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(meta.get('schema:accessibilityFeature')).toEqual(
      expect.arrayContaining(['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText']),
    );
    expect(meta.get('schema:accessibilityHazard')).toEqual(['none']);
    expect(meta.get('schema:accessibilitySummary')?.[0]).toMatch(/WCAG 2\.1 Level AA/);
    expect(meta.get('dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.1 Level AA']);
    expect(meta.get('a11y:certifiedBy')).toEqual(['Home Massage Health Library']);
  });

  it('passes Ace by DAISY with no violations', async () => {
    await expectAcePasses(epubFile);
  });

  it('is one content file for this short handout, a section per ## heading after the introduction with the title', async () => {
    const zip = await openEpub(epubFile);
    const { headings } = await seedText();
    const chapters = Object.keys(zip.files).filter((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name)).sort();
    expect(chapters).toEqual(['OEBPS/00-the-many-benefits-of-foot-massage.xhtml']);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => new RegExp(`<item id="${match[1]}" href="([^"]+)"`).exec(opf)![1]);
    expect(spine).toEqual(['cover.xhtml', '00-the-many-benefits-of-foot-massage.xhtml', 'imprint.xhtml', 'toc.xhtml']);
    const first = await zip.file(chapters[0]!)!.async('string');
    expect(first).toContain('<h1 id="the-many-benefits-of-foot-massage">The Many Benefits of Foot Massage</h1>');
    expect(first).toContain('Our feet go through a lot');
    const subsections = ['The Many Benefits of Foot Massage', 'Flat Feet', 'Restless Foot Syndrome'];
    // A section may open with the marker of the A4 page its heading starts (test/page-list.test.ts).
    const sections = [...first.matchAll(/<section epub:type="chapter" role="doc-chapter" aria-labelledby="([^"]+)">\s*(?:<span epub:type="pagebreak"[^>]*><\/span>)?<h2 id="\1">([^<]+)<\/h2>/g)].map((match) => match[2]);
    expect(sections).toEqual(headings.filter((heading) => !subsections.includes(heading))); // one per ## section
    for (const chapter of chapters) {
      const xhtml = await zip.file(chapter)!.async('string');
      expect(xhtml, chapter).toMatch(/<html [^>]*xml:lang="en" lang="en"/);
      expect(xhtml, chapter).toContain('href="style.css"');
    }
  });

  it('lists every section and sub-section in its nested navigation', async () => {
    const zip = await openEpub(epubFile);
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    const { headings } = await seedText();
    for (const heading of [...headings, 'Bunions', 'Arthritis']) expect(nav).toContain(`>${heading}</a>`);
    expect(nav).toMatch(/Relieves Foot Conditions<\/a>\s*<ol>\s*<li><a href="[^"]+#bunions">Bunions<\/a>/);
    expect(nav).toContain('epub:type="landmarks"');
  });

  it('embeds the same fonts as the PDF and uses them in its stylesheet', async () => {
    const zip = await openEpub(epubFile);
    const fonts = Object.keys(zip.files).filter((name) => name.startsWith('OEBPS/fonts/') && name.endsWith('.woff2'));
    expect(fonts.some((name) => name.includes('source-serif-4'))).toBe(true);
    expect(fonts.some((name) => name.includes('source-sans-3'))).toBe(true);
    const css = await zip.file('OEBPS/style.css')!.async('string');
    expect(css).toContain('font-family: "Source Serif 4"');
    for (const font of fonts) expect(css).toContain(`url("${font.replace('OEBPS/', '')}")`);
  });

  it('contains every sentence of the client’s text', async () => {
    const zip = await openEpub(epubFile);
    const names = Object.keys(zip.files).filter((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name)).sort();
    const text = foldSpace((await Promise.all(names.map((name) => zip.file(name)!.async('string')))).map(xhtmlText).join(' '));
    const { sentences } = await seedText();
    expect(sentences.filter((sentence) => !text.includes(foldSpace(sentence)))).toEqual([]);
  });

  it('closes with the imprint and the medical disclaimer, listed in the contents', async () => {
    const zip = await openEpub(epubFile);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    // The reading order: the linear spine (the navigation document may follow, outside it).
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"(?! linear="no")/g)].map((match) => match[1]);
    const manifest = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1], match[2]]));
    expect(manifest.get(spine.at(-1)!)).toBe('imprint.xhtml');
    const imprint = xhtmlText(await zip.file('OEBPS/imprint.xhtml')!.async('string'));
    expect(imprint).toContain(`Medical disclaimer. ${DEFAULT_DISCLAIMER}`);
    expect(imprint).toContain('© 2026 Home Massage Health Library. All rights reserved.');
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    expect(nav).toContain('<a href="imprint.xhtml">About this handout</a>');
  });
});
