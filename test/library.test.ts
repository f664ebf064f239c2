/**
 * A library of leaflets built in one process: each leaflet into dist/<slug>/ with the
 * library's shared front matter, a catalogue page and an OPDS feed that a reading app's
 * parser reads and whose every link leads to a file in dist/; incremental rebuilds; one
 * bad leaflet failing alone.
 */
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { copyLibrary, filesWithTimes, pageLinks, resolveLink } from './support/library.js';
import { readOpdsFeed } from './support/opds.js';
import { decodeQr } from './support/qr.js';
import { expectEpubcheckClean, openEpub, pdfInfo, pdfPages, readableText } from './support/outputs.js';

const SLUGS = ['caring-for-tired-feet', 'gentle-calf-stretches', 'looking-after-your-back'];

/** The leaflets a run reports as built, by their path in the library. */
const builtIn = (stdout: string) => [...stdout.matchAll(/^built (\S+) →/gm)].map((match) => match[1]).sort();

describe('a library built in one process', () => {
  let library: string;
  let out: string;
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    ({ library, out } = await copyLibrary());
    first = await cli([library, '--out', out]);
  });

  it('builds every leaflet into a folder of its own, and says so', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(builtIn(first.stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(first.stdout).toMatch(/^3 leaflets: 3 built, 0 failed, 0 unchanged in .*; the catalogue lists 3$/m);
    for (const slug of SLUGS) {
      expect(existsSync(path.join(out, slug, `${slug}-a4.pdf`)), slug).toBe(true);
      expect(existsSync(path.join(out, slug, `${slug}.epub`)), slug).toBe(true);
    }
  });

  it("gives each leaflet the library's front matter, which its own overrides", async () => {
    // editions: [a4] from library.yaml; calf-stretches.md asks for [a4, letter].
    expect(existsSync(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet-letter.pdf'))).toBe(false);
    expect(existsSync(path.join(out, 'gentle-calf-stretches', 'gentle-calf-stretches-letter.pdf'))).toBe(true);
    const zip = await openEpub(path.join(out, 'looking-after-your-back', 'looking-after-your-back.epub'));
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(opf).toContain('<dc:publisher>Riverside Foot Clinic</dc:publisher>');
    expect(opf).toContain('<dc:language>en-GB</dc:language>');
    const lastPage = (await pdfPages(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet-a4.pdf'))).at(-1)!;
    expect(lastPage).toContain('Riverside Foot Clinic, 12 Mill Lane, Exampletown');
    // downloadBaseUrl + slug: the web edition's address, where the imprint's QR code leads.
    expect(lastPage.replace(/\s+/g, ' ')).toContain('online: clinic.example.org/leaflets/caring-for-tired-feet');
    expect(await decodeQr(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet-a4.pdf'), (await pdfPages(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet-a4.pdf'))).length)).toEqual([
      'https://clinic.example.org/leaflets/caring-for-tired-feet/',
    ]);
    expect((await pdfInfo(path.join(out, 'looking-after-your-back', 'looking-after-your-back-a4.pdf'))).Title).toBe('Looking After Your Back');
  });

  it('makes EPUBs that epubcheck passes', async () => {
    await expectEpubcheckClean(path.join(out, 'looking-after-your-back', 'looking-after-your-back.epub'));
  });

  it('publishes an OPDS feed a reading app reads, each leaflet with its files, cover, summary, language, dates and identifier', async () => {
    const { opds1, opds2 } = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    expect(opds1.Title).toBe('Riverside Clinic Leaflets');
    expect(opds1.Entries.map((entry) => entry.Title).sort()).toEqual(['Caring for Tired Feet', 'Gentle Calf Stretches', 'Looking After Your Back']);
    const calves = opds1.Entries.find((entry) => entry.Title === 'Gentle Calf Stretches')!;
    expect(calves.Summary).toBe('Three stretches that ease tight calves and help your feet.');
    expect(calves.DcLanguage).toBe('en-GB');
    expect(calves.DcIssued).toBe('2026-03-10');
    expect(calves.Id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(calves.Updated).toBeInstanceOf(Date);
    const links = (rel: string) => calves.Links.filter((link) => link.Rel === rel).map((link) => [link.Href, link.Type]);
    expect(links('http://opds-spec.org/acquisition')).toEqual([
      ['gentle-calf-stretches/gentle-calf-stretches.epub', 'application/epub+zip'],
      ['gentle-calf-stretches/gentle-calf-stretches-a4.pdf', 'application/pdf'],
      ['gentle-calf-stretches/gentle-calf-stretches-letter.pdf', 'application/pdf'],
    ]);
    expect(links('http://opds-spec.org/image')).toEqual([['gentle-calf-stretches/cover.png', 'image/png']]);
    expect(links('http://opds-spec.org/image/thumbnail')).toEqual([['gentle-calf-stretches/cover-thumbnail.png', 'image/png']]);
    // The OPDS 2 model the apps show: three publications, each with its images and acquisition links.
    expect(opds2.Publications).toHaveLength(3);
    for (const publication of opds2.Publications!) {
      expect(publication.Images!.length).toBe(2);
      expect(publication.Links!.some((link) => link.TypeLink === 'application/epub+zip')).toBe(true);
    }
  });

  it('links, from the feed and the catalogue page, only to files in dist/, each with the size the feed says', async () => {
    const { opds1 } = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    const feedLinks = [...opds1.Links, ...opds1.Entries.flatMap((entry) => entry.Links)];
    expect(feedLinks.length).toBeGreaterThan(3 * 5);
    for (const link of feedLinks) expect(existsSync(resolveLink(out, 'catalog.xml', link.Href)), link.Href).toBe(true);
    const xml = await readFile(path.join(out, 'catalog.xml'), 'utf8');
    for (const [, href, length] of xml.matchAll(/<link rel="http:\/\/opds-spec.org\/acquisition" href="([^"]+)"[^>]* length="(\d+)"/g)) {
      expect((await readFile(resolveLink(out, 'catalog.xml', href!))).length, href).toBe(Number(length));
    }
    const links = await pageLinks(path.join(out, 'index.html'));
    expect(links).toContain('catalog.xml');
    expect(links.filter((href) => href.endsWith('.pdf')).length).toBe(4);
    for (const href of links) expect(existsSync(resolveLink(out, 'index.html', href)), href).toBe(true);
  });

  it('lists every leaflet on the catalogue page with its description, language, review date and sizes, by topic', async () => {
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h1>Riverside Clinic Leaflets</h1>');
    expect(html).toContain('Simple ways to rest and soothe tired feet at the end of the day.');
    expect(html).toMatch(/British English/);
    expect(html).toContain('<time datetime="2026-03-10">10 March 2026</time>');
    expect(html).toMatch(/PDF handout, US Letter<\/a> <span class="library-size">2 pages?, \d+ kB<\/span>|PDF handout, US Letter<\/a> <span class="library-size">1 page, \d+ kB<\/span>/);
    // Grouped under each leaflet's first keyword, topics in order; the menu filters them without a script.
    const topics = [...html.matchAll(/<summary>([^<]+) <span/g)].map((match) => match[1]);
    expect(topics).toEqual(['back care', 'exercise', 'foot care']);
    expect(html).toMatch(/body:has\(#topic-filter option\[value="2"\]:checked\) \.library-topic:not\(\.topic-2\) \{ display: none; \}/);
  });

  it('writes nothing when nothing changed, and rebuilds only a leaflet that was edited', async () => {
    const before = await filesWithTimes(out);
    // The site is all there: each leaflet's web edition with its fonts, the catalogue's fonts, the 404 page and the sitemap.
    for (const file of ['sitemap.xml', '404.html', 'fonts/source-sans-3-latin-700-normal.woff2', ...SLUGS.flatMap((slug) => [`${slug}/index.html`, `${slug}/fonts/source-serif-4-latin-400-normal.woff2`])]) {
      expect(before.has(file), file).toBe(true);
    }
    const again = await cli([library, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(builtIn(again.stdout)).toEqual([]);
    expect(again.stdout).toMatch(/^3 leaflets: 0 built, 0 failed, 3 unchanged/m);
    expect(await filesWithTimes(out)).toEqual(before);

    await appendFile(path.join(library, 'back-care', '02-lifting.md'), '\nAsk for help with anything heavy.\n');
    const edited = await cli([library, '--out', out]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(builtIn(edited.stdout)).toEqual(['back-care']);
    const after = await filesWithTimes(out);
    const changed = [...after].filter(([file, time]) => before.get(file) !== time).map(([file]) => file);
    expect(changed.every((file) => file.startsWith('looking-after-your-back/') || ['index.html', 'catalog.xml', 'sitemap.xml', '.library-cache.json'].includes(file)), changed.join()).toBe(true);
    expect(changed).toContain('looking-after-your-back/looking-after-your-back-a4.pdf');
    expect(readableText((await pdfPages(path.join(out, 'looking-after-your-back', 'looking-after-your-back-a4.pdf'))).join('\n'))).toContain('Ask for help with anything heavy.');
  });

  it('rebuilds what is missing from dist/, everything with --force, and everything after a corrupt cache', async () => {
    await rm(path.join(out, 'gentle-calf-stretches', 'gentle-calf-stretches-letter.pdf'));
    const missing = await cli([library, '--out', out]);
    expect(builtIn(missing.stdout)).toEqual(['calf-stretches.md']);
    expect(existsSync(path.join(out, 'gentle-calf-stretches', 'gentle-calf-stretches-letter.pdf'))).toBe(true);

    await writeFile(path.join(out, '.library-cache.json'), '{"format": 2, "library": "/elsewhere", "leaflets": {}}');
    const foreign = await cli([library, '--out', out]);
    expect(builtIn(foreign.stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
    expect(foreign.stderr).toContain('the record of earlier builds was not used (it records another library (/elsewhere))');

    await writeFile(path.join(out, '.library-cache.json'), '{"format": 2, "libr');
    const corrupt = await cli([library, '--out', out]);
    expect(builtIn(corrupt.stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);

    const forced = await cli([library, '--out', out, '--force', '--jobs', '1']);
    expect(builtIn(forced.stdout)).toEqual(['back-care', 'calf-stretches.md', 'tired-feet.md']);
  });
});

describe('a leaflet with a mistake', () => {
  it('fails alone: the others are written, its problem is reported at its place, its last good version stays', async () => {
    const { library, out } = await copyLibrary();
    const good = await cli([library, '--out', out]);
    expect(good.code, good.stderr).toBe(0);
    const lastGood = await readFile(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet.epub'));

    // A link to a heading that does not exist, in one leaflet; another leaflet edited as well.
    await appendFile(path.join(library, 'tired-feet.md'), '\nSee [the stretches](#no-such-heading).\n');
    await appendFile(path.join(library, 'calf-stretches.md'), '\nStretch both legs.\n');
    const lines = (await readFile(path.join(library, 'tired-feet.md'), 'utf8')).split('\n');
    const line = lines.findIndex((text) => text.includes('#no-such-heading')) + 1;
    const { code, stdout, stderr } = await cli([library, '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^3 leaflets: 1 built, 1 failed, 1 unchanged/m);
    expect(builtIn(stdout)).toEqual(['calf-stretches.md']);
    expect(stderr).toContain(`${path.join(library, 'tired-feet.md')}:${line}:5: error`);
    expect(stderr).toContain('no-such-heading');
    expect(readableText((await pdfPages(path.join(out, 'gentle-calf-stretches', 'gentle-calf-stretches-a4.pdf'))).join('\n'))).toContain('Stretch both legs.');
    // The failed leaflet's last good version is still there, and still listed.
    expect(await readFile(path.join(out, 'caring-for-tired-feet', 'caring-for-tired-feet.epub'))).toEqual(lastGood);
    const { opds1 } = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    expect(opds1.Entries.map((entry) => entry.Title)).toContain('Caring for Tired Feet');
  });

  it('a leaflet new to the library that fails is not listed; one built from a symbolic link is refused', async () => {
    const { library, out } = await copyLibrary();
    await writeFile(path.join(library, 'broken.md'), '---\ntitle: Broken\ncolour: red\n---\n\nAn unknown key.\n');
    const secret = path.join(path.dirname(library), 'secret.md');
    await writeFile(secret, '---\ntitle: Secret\nauthor: Someone\n---\n\n# Secret\n\nNot for the library.\n');
    await symlink(secret, path.join(library, 'linked.md'));
    const { code, stdout, stderr } = await cli([library, '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^5 leaflets: 3 built, 2 failed, 0 unchanged/m);
    expect(stderr).toContain(`${path.join(library, 'broken.md')}:3:1: error unknown front matter key: colour`);
    expect(stderr).toContain(`${path.join(library, 'linked.md')}: error symbolic link refused: linked.md`);
    const feed = await readFile(path.join(out, 'catalog.xml'), 'utf8');
    expect(readOpdsFeed(feed).opds1.Entries).toHaveLength(3);
    expect(feed).not.toContain('Secret');
    expect(existsSync(path.join(out, 'secret'))).toBe(false);
  });
});

describe('a library in several languages', () => {
  it('publishes a navigation feed with one acquisition feed per language, and groups the page by language', async () => {
    const { library, out } = await copyLibrary();
    await writeFile(
      path.join(library, 'mude-fuesse.md'),
      '---\ntitle: Müde Füße pflegen\nauthor: Pflegeteam\nlang: de\ndescription: Wie Sie müde Füße am Abend entlasten.\nkeywords: [Fußpflege]\n---\n\n# Müde Füße pflegen\n\nLegen Sie die Füße hoch und ruhen Sie sich aus.\n',
    );
    const { code, stderr } = await cli([library, '--out', out, '--format', 'epub']);
    expect(code, stderr).toBe(0);
    const navigation = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    const subsections = navigation.opds1.Entries.map((entry) => [entry.Title, entry.Links.find((link) => link.Rel === 'subsection')!.Href]);
    expect(subsections).toEqual([
      ['British English', 'catalog-en-GB.xml'],
      ['Deutsch', 'catalog-de.xml'],
    ]);
    const german = readOpdsFeed(await readFile(path.join(out, 'catalog-de.xml'), 'utf8'));
    expect(german.opds1.Entries.map((entry) => [entry.Title, entry.DcLanguage])).toEqual([['Müde Füße pflegen', 'de']]);
    expect(german.opds1.Links.find((link) => link.Rel === 'up')!.Href).toBe('catalog.xml');
    expect(readOpdsFeed(await readFile(path.join(out, 'catalog-en-GB.xml'), 'utf8')).opds1.Entries).toHaveLength(3);
    for (const feed of ['catalog.xml', 'catalog-de.xml', 'catalog-en-GB.xml']) {
      const { opds1 } = readOpdsFeed(await readFile(path.join(out, feed), 'utf8'));
      for (const link of [...opds1.Links, ...opds1.Entries.flatMap((entry) => entry.Links)]) expect(existsSync(resolveLink(out, feed, link.Href)), link.Href).toBe(true);
    }
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/<section class="library-language" lang="en-GB" dir="ltr">\s*<h2>British English<\/h2>[\s\S]*<section class="library-language" lang="de" dir="ltr">\s*<h2>German<\/h2>/);
  });
});
