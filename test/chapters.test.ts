/**
 * Where the EPUB splits chapters and puts the masthead, for the shapes a
 * manuscript can take (the article and the torture-test book cover the rest).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../scripts/build.js';
import { tempDir } from './support/cli.js';
import { expectEpubcheckClean, openEpub } from './support/outputs.js';
import { BUILD_TIME } from './support/shared-builds.js';

async function buildEpub(markdown: string) {
  const dir = await tempDir('press-chapters-');
  await writeFile(path.join(dir, 'text.md'), markdown);
  const { files } = await build({ input: path.join(dir, 'text.md'), outDir: dir, formats: ['epub'], buildTime: BUILD_TIME });
  const file = files.find((name) => name.endsWith('.epub'))!;
  await expectEpubcheckClean(file);
  const zip = await openEpub(file);
  const opf = await zip.file('OEBPS/content.opf')!.async('string');
  const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => new RegExp(`<item id="${m[1]}" href="([^"]+)"`).exec(opf)![1]);
  const landmarks = [...nav.matchAll(/<a epub:type="([^"]+)" href="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  return { zip, spine, landmarks };
}

describe('chapters in the EPUB', () => {
  it('gives a book that starts with a chapter a title page of its own', async () => {
    const { zip, spine, landmarks } = await buildEpub(
      '---\ntitle: A Book\nsubtitle: In Chapters\nauthor: A. Author\nchapterLevel: 1\n---\n\n# One\n\nText.\n\n## Part\n\nMore.\n\n# Two\n\nText.\n',
    );
    expect(spine).toEqual(['cover.xhtml', 'titlepage.xhtml', '00-one.xhtml', '01-two.xhtml', 'imprint.xhtml', 'toc.xhtml']);
    expect(landmarks).toEqual(['cover cover.xhtml', 'titlepage titlepage.xhtml', 'toc toc.xhtml', 'bodymatter 00-one.xhtml']);
    const titlePage = await zip.file('OEBPS/titlepage.xhtml')!.async('string');
    expect(titlePage).toContain('<header class="masthead" epub:type="titlepage">');
    expect(titlePage).toContain('<p class="masthead-subtitle">In Chapters</p>');
    expect(await zip.file('OEBPS/00-one.xhtml')!.async('string')).toContain('<section epub:type="chapter" role="doc-chapter" aria-labelledby="one">');
  });

  it('makes an article’s title, with no introduction under it, the title page', async () => {
    const { zip, spine, landmarks } = await buildEpub('---\ntitle: Short\nauthor: A. Author\nchapterLevel: 2\n---\n\n# Short\n\n## One\n\nText.\n\n## Two\n\nText.\n');
    expect(spine).toEqual(['cover.xhtml', '00-short.xhtml', '01-one.xhtml', '02-two.xhtml', 'imprint.xhtml', 'toc.xhtml']);
    expect(landmarks).toEqual(['cover cover.xhtml', 'titlepage 00-short.xhtml', 'toc toc.xhtml', 'bodymatter 01-one.xhtml']);
    expect(await zip.file('OEBPS/00-short.xhtml')!.async('string')).not.toContain('<section');
  });

  it('keeps a short article without `chapterLevel` in one file, its title page and sections inside', async () => {
    const { zip, spine, landmarks } = await buildEpub('---\ntitle: Short\nauthor: A. Author\n---\n\n# Short\n\n## One\n\nText.\n\n## Two\n\nText.\n');
    expect(spine).toEqual(['cover.xhtml', '00-short.xhtml', 'imprint.xhtml', 'toc.xhtml']);
    expect(landmarks).toEqual(['cover cover.xhtml', 'titlepage 00-short.xhtml', 'toc toc.xhtml', 'bodymatter 00-short.xhtml']);
    const xhtml = await zip.file('OEBPS/00-short.xhtml')!.async('string');
    expect(xhtml).toContain('<section epub:type="chapter" role="doc-chapter" aria-labelledby="one">');
    expect(xhtml).toContain('<section epub:type="chapter" role="doc-chapter" aria-labelledby="two">');
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    expect(nav).toContain('<a href="00-short.xhtml#one">One</a>');
  });
});
