/**
 * The torture-test book (test/fixtures/torture/): three Markdown files split at `#`,
 * using every construct the ebook must carry. Its EPUB must stay at zero epubcheck
 * messages and zero Ace violations.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type JSZip from 'jszip';
import { TORTURE, sharedBuild } from './support/shared-builds.js';
import { epubCover, expectAcePasses, expectEpubcheckClean, openEpub, opfMeta } from './support/outputs.js';

const epubFile = sharedBuild('torture').files.find((file) => file.endsWith('.epub'))!;

async function documents(zip: JSZip): Promise<Map<string, string>> {
  const names = Object.keys(zip.files).filter((name) => name.endsWith('.xhtml')).sort();
  return new Map(await Promise.all(names.map(async (name) => [name.replace('OEBPS/', ''), await zip.file(name)!.async('string')] as const)));
}

const ids = (xhtml: string) => new Set([...xhtml.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!));
const spine = (opf: string) =>
  [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => new RegExp(`<item id="${match[1]}" href="([^"]+)"`).exec(opf)![1]);

describe('the torture-test book as an EPUB', () => {
  it('passes epubcheck with no errors and no warnings', async () => {
    await expectEpubcheckClean(epubFile);
  });

  it('passes Ace by DAISY with no violations', async () => {
    await expectAcePasses(epubFile);
  });

  it('has a drawn cover of at least 1600×2560 px and accessibility metadata', async () => {
    const zip = await openEpub(epubFile);
    const cover = await epubCover(zip);
    expect(cover!.width).toBeGreaterThanOrEqual(1600);
    expect(cover!.height).toBeGreaterThanOrEqual(2560);
    const meta = opfMeta(await zip.file('OEBPS/content.opf')!.async('string'));
    for (const property of ['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary', 'dcterms:conformsTo']) {
      expect(meta.get(property), property).toBeDefined();
    }
    expect(meta.get('schema:accessModeSufficient')).toContain('textual');
  });

  it('is split into one file per # chapter, after the cover and the opening, and closed by the imprint', async () => {
    const zip = await openEpub(epubFile);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(spine(opf)).toEqual([
      'cover.xhtml',
      '00-the-torture-test.xhtml',
      '01-text-and-inline-markup.xhtml',
      '02-images.xhtml',
      '03-tables-code-and-lists.xhtml',
      '04-notes-links-and-raw-html.xhtml',
      '05-appendix.xhtml',
      'imprint.xhtml',
      'toc.xhtml',
    ]);
    const opening = await zip.file('OEBPS/00-the-torture-test.xhtml')!.async('string');
    expect(opening).toContain('<h1 id="publication-title">The Torture Test</h1>');
    expect(opening).toContain('An epigraph before the first chapter');
  });

  it('nests its table of contents by heading level, down to h6, and has landmarks', async () => {
    const zip = await openEpub(epubFile);
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    const toc = nav.slice(0, nav.indexOf('epub:type="landmarks"'));
    const entry = (href: string, text: string) => `<li><a href="${href}">${text}</a>`;
    expect(toc).toContain(entry('00-the-torture-test.xhtml', 'The Torture Test'));
    expect(toc).toMatch(
      /Text and Inline Markup<\/a>\s*<ol>\s*<li><a href="01-text-and-inline-markup.xhtml#links">Links<\/a><\/li>\s*<li><a href="01-text-and-inline-markup.xhtml#headings-down-to-six">Headings Down to Six<\/a>\s*<ol>\s*<li><a [^>]+>Third Level<\/a>\s*<ol>\s*<li><a [^>]+>Fourth Level<\/a>\s*<ol>\s*<li><a [^>]+>Fifth Level<\/a>\s*<ol>\s*<li><a href="01-text-and-inline-markup.xhtml#sixth-level">Sixth Level<\/a><\/li>/,
    );
    for (const chapter of ['Images', 'Tables, Code and Lists', 'Notes, Links and Raw HTML', 'Appendix']) {
      expect(toc).toMatch(new RegExp(`^    ? ?  <li><a href="\\d\\d-[a-z-]+\\.xhtml">${chapter}</a>`, 'm'));
    }
    // The manuscript's own "Footnotes" heading, but not the hidden label of each file's notes.
    expect(toc.match(/>Footnotes<\/a>/g)).toHaveLength(1);
    const landmarks = nav.slice(nav.indexOf('epub:type="landmarks"'));
    expect([...landmarks.matchAll(/<a epub:type="([^"]+)" href="([^"]+)"/g)].map((match) => `${match[1]} ${match[2]}`)).toEqual([
      'cover cover.xhtml',
      'toc toc.xhtml',
      'bodymatter 00-the-torture-test.xhtml',
    ]);
  });

  it('declares the language on every document', async () => {
    for (const [name, xhtml] of await documents(await openEpub(epubFile))) {
      expect(xhtml, name).toMatch(/<html [^>]*xml:lang="en-GB" lang="en-GB"/);
    }
  });

  it('packs every image once, under a stable name, with its media type, and keeps its alt text', async () => {
    const zip = await openEpub(epubFile);
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    const items = [...opf.matchAll(/<item id="image-\d+" href="([^"]+)" media-type="([^"]+)"/g)].map((match) => [match[1], match[2]]);
    expect(items).toEqual([
      ['images/foot-chart.png', 'image/png'],
      ['images/sole-of-foot.jpg', 'image/jpeg'],
      ['images/reflexology-map.svg', 'image/svg+xml'],
      ['images/divider.png', 'image/png'],
      ['images/dot.gif', 'image/gif'],
    ]);
    const sources = ['foot-chart.png', 'photos/sole of foot.jpg', 'reflexology-map.svg', 'divider.png', 'dot.gif'];
    for (const [index, source] of sources.entries()) {
      const packed = await zip.file(`OEBPS/${items[index]![0]}`)!.async('uint8array');
      expect(Buffer.from(packed).equals(await readFile(path.join(TORTURE, 'images', source))), source).toBe(true);
    }
    const images = (await documents(zip)).get('02-images.xhtml')!;
    // An image alone in its paragraph is a figure, its Markdown title the caption.
    expect(images).toContain(
      '<figure><img src="images/foot-chart.png" alt="A bar chart: four bars rising from left to right."/><figcaption>Chart title</figcaption></figure>',
    );
    expect(images).toContain('<img src="images/sole-of-foot.jpg" alt="A close-up of the sole of a foot."/>');
    expect(images).toContain('<img src="images/divider.png" alt=""/>');
    expect(images).not.toContain('image-placeholder');
  });

  it('makes footnotes EPUB 3 notes in the file that cites them, with back links', async () => {
    const docs = await documents(await openEpub(epubFile));
    // The notes are the items of an `endnotes` section; `epub:type="endnote"` is deprecated (EPUBCheck 5).
    for (const [name, xhtml] of docs) expect(xhtml, name).not.toContain('epub:type="endnote"');
    const notes = (name: string) => [...docs.get(name)!.matchAll(/<li id="([^"]+)" value="(\d+)">/g)].map((m) => [m[1], m[2]]);
    expect(notes('03-tables-code-and-lists.xhtml')).toEqual([['user-content-fn-1-f2', '1']]);
    expect(notes('04-notes-links-and-raw-html.xhtml').map(([, value]) => value)).toEqual(['1', '2', '3', '4']);
    expect(notes('04-notes-links-and-raw-html.xhtml')[0]![0]).not.toBe('user-content-fn-1-f2'); // same label, another file, another note
    for (const [name, xhtml] of docs) {
      for (const match of xhtml.matchAll(/<a href="([^"]+)"[^>]*role="doc-noteref" epub:type="noteref">/g)) {
        const [file, id] = match[1]!.startsWith('#') ? [name, match[1]!.slice(1)] : match[1]!.split('#');
        expect(docs.get(file!), `${name} → ${match[1]}`).toMatch(new RegExp(`<section class="footnotes" role="doc-endnotes"[^>]*>\\s*<ol>[^]*<li id="${id}" value="\\d+">`));
      }
      for (const match of xhtml.matchAll(/<a href="([^"]+)"[^>]*role="doc-backlink"/g)) {
        const [file, id] = match[1]!.startsWith('#') ? [name, match[1]!.slice(1)] : match[1]!.split('#');
        expect(docs.get(file!), `${name} → ${match[1]}`).toMatch(new RegExp(`id="${id}"[^>]*role="doc-noteref"`));
      }
    }
    expect(docs.get('04-notes-links-and-raw-html.xhtml')).toContain('<section class="footnotes" role="doc-endnotes" aria-label="Footnotes"');
    // The appendix cites a note of the previous chapter: the reference crosses files, the note stays put.
    expect(docs.get('05-appendix.xhtml')).toContain('<a href="04-notes-links-and-raw-html.xhtml#user-content-fn-1-f3"');
    expect(docs.get('05-appendix.xhtml')).not.toContain('endnote');
  });

  it('points every link inside the book at a file and an id that exist', async () => {
    const docs = await documents(await openEpub(epubFile));
    const links = [...docs].flatMap(([name, xhtml]) => [...xhtml.matchAll(/<a [^>]*href="([^"]+)"/g)].map((match) => ({ name, href: match[1]! })));
    const internal = links.filter(({ href }) => !/^[a-z]+:/.test(href));
    expect(internal.length).toBeGreaterThan(20);
    for (const { name, href } of internal) {
      const [file, id] = href.startsWith('#') ? [name, href.slice(1)] : href.split('#');
      expect(docs.has(file!), `${name} → ${href}`).toBe(true);
      if (id) expect(ids(docs.get(file!)!).has(id), `${name} → ${href}`).toBe(true);
    }
    const first = docs.get('01-text-and-inline-markup.xhtml')!;
    expect(first).toContain('<a href="02-images.xhtml#images">the images</a>');
    expect(first).toContain('<a href="03-tables-code-and-lists.xhtml#tables-code-and-lists">tables and code</a>');
    expect(first).toContain('<a href="03-tables-code-and-lists.xhtml#code-blocks">the code blocks</a>');
    expect(first).toContain('<a href="04-notes-links-and-raw-html.xhtml#summary-2">that file’s summary</a>');
    expect(first).toContain('<a href="#links">links</a>');
    expect(first).toContain('<a href="https://example.com/path?query=1&#x26;other=2">');
  });

  it('keeps task states, list numbers, table alignment and code exactly', async () => {
    const docs = await documents(await openEpub(epubFile));
    const lists = docs.get('03-tables-code-and-lists.xhtml')!;
    // The print's page break may fall on the item: its marker then opens it (render/ebook.ts).
    expect(lists).toMatch(/<li class="task-list-item">(<span epub:type="pagebreak"[^>]*><\/span>)?<label><input type="checkbox" checked="" disabled=""\/> A finished task<\/label><\/li>/);
    expect(lists).toContain('<label><input type="checkbox" disabled=""/> An open sub-task</label>');
    expect(lists).toContain('<ol start="5">');
    expect(lists).toContain('<th scope="col" style="text-align: center">Centre</th>');
    expect(lists).toContain('<td style="text-align: right">300.25</td>');
    expect(lists).not.toMatch(/\salign="/);
    expect(lists).toContain('return `Hello, ${name} &amp; &lt;friends&gt;`; // ]]&gt; must not end anything');
    expect(lists).toContain('&lt;p&gt;This is not HTML, it is code: &amp;amp; stays as typed.&lt;/p&gt;');
    const text = docs.get('01-text-and-inline-markup.xhtml')!;
    expect(text).toContain('two spaces<br/>');
    expect(text).toContain('<hr/>');
    expect(text).toContain('Entity references in Markdown: © &amp; \u00a0(no-break space) — € ½.');
  });
});
