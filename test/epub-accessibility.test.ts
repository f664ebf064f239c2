/**
 * EPUB Accessibility 1.1 claims computed from the book: the conformance claim, text as a
 * sufficient way to read it and "alternative text" only when every image is described (or
 * marked decorative in HTML) and every change of language is marked; a summary that says how
 * the book can be read and what is missing; and the warnings that say why, at their lines.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SharedBrowser } from '../scripts/browser/shared-browser.js';
import { fixture, tempDir } from './support/cli.js';
import { buildInProcess } from './support/in-process-build.js';
import { expectEpubcheckClean, openEpub, opfMeta } from './support/outputs.js';
import { sharedBuild } from './support/shared-builds.js';

const CLAIM = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA';

async function packageOf(epubFile: string) {
  const zip = await openEpub(epubFile);
  const meta = opfMeta(await zip.file('OEBPS/content.opf')!.async('string'));
  const chapters = await Promise.all(
    Object.keys(zip.files)
      .filter((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name))
      .sort()
      .map((name) => zip.file(name)!.async('string')),
  );
  return { meta, xhtml: chapters.join('\n') };
}

describe('an EPUB whose every image is described and every language marked', () => {
  it.each([
    ['the article', sharedBuild('article').files],
    ['the torture-test book', sharedBuild('torture').files],
  ])('claims WCAG 2.1 AA for %s, and text as enough to read it', async (_, files) => {
    const { meta } = await packageOf(files.find((file) => file.endsWith('.epub'))!);
    expect(meta.get('dcterms:conformsTo')).toEqual([CLAIM]);
    expect(meta.get('a11y:certifiedBy')).toHaveLength(1);
    expect(meta.get('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(meta.get('schema:accessibilityFeature')).toEqual(expect.arrayContaining(['alternativeText', 'structuralNavigation', 'tableOfContents']));
    const summary = meta.get('schema:accessibilitySummary')![0]!;
    expect(summary).toContain('can be read aloud, in braille or enlarged');
    expect(summary).toContain('It meets WCAG 2.1 Level AA.');
    expect(summary).not.toMatch(/does not meet|no text description|not marked/);
  });

  it('says which header cells head columns and which head rows', async () => {
    const { xhtml } = await packageOf(sharedBuild('torture').files.find((file) => file.endsWith('.epub'))!);
    const headers = [...xhtml.matchAll(/<th\b[^>]*>/g)].map((match) => match[0]);
    expect(headers.length).toBeGreaterThan(4);
    for (const header of headers) expect(header).toMatch(/ scope="(col|row)"/);
  });
});

describe('an EPUB with an image it does not describe', () => {
  const { outDir: out, report } = sharedBuild('warnings');

  it('warns at the image that neither edition will claim to be accessible', () => {
    expect(report).toMatch(/article\.md:12:1: warning image without alt text: images\/dot\.png\n {2}Describe the image[^\n]*<img src="path" alt="">\. Until then the PDF makes no PDF\/UA claim and the EPUB no WCAG claim\./);
  });

  it('makes no conformance claim, and does not call text enough to read it', async () => {
    const { meta } = await packageOf(path.join(out, 'a-handout-with-warnings.epub'));
    expect(meta.has('dcterms:conformsTo')).toBe(false);
    expect(meta.has('a11y:certifiedBy')).toBe(false);
    expect(meta.get('schema:accessModeSufficient')).toEqual(['textual,visual']);
    expect(meta.get('schema:accessibilityFeature')).not.toContain('alternativeText');
    expect(meta.get('schema:accessibilitySummary')![0]).toContain('It does not meet WCAG 2.1 Level AA: One image has no text description');
  });

  it('leaves the image without alt, rather than call it decorative with alt=""', async () => {
    const { xhtml } = await packageOf(path.join(out, 'a-handout-with-warnings.epub'));
    expect(xhtml).toMatch(/<img src="images\/dot\.png"\/>/);
    expect(xhtml).not.toContain('alt=""');
    await expectEpubcheckClean(path.join(out, 'a-handout-with-warnings.epub'));
  });
});

describe('text in another script', () => {
  let out: string;
  let report: string;
  beforeAll(async () => {
    out = await tempDir();
    const browser = new SharedBrowser();
    ({ report } = await buildInProcess({ input: fixture('other-scripts.md'), outDir: out, formats: ['epub'], browser }).finally(() => browser.close()));
  });

  it('warns at a run of another script with no language, not at a lone symbol or a marked word', () => {
    const warnings = report.split('\n').filter((line) => line.includes(': warning '));
    expect(warnings.filter((line) => line.includes('script without a language'))).toEqual([
      expect.stringMatching(/other-scripts\.md:10:\d+: warning text in Greek script without a language: Ελληνικά$/),
    ]);
  });

  it('warns, with file, line and characters, of characters no font has', () => {
    expect(report).toMatch(
      /other-scripts\.md:14:\d+: warning no font of the publication has გ \(U\+10D2\), ა \(U\+10D0\), მ \(U\+10DB\), რ \(U\+10E0\), ჯ \(U\+10EF\), ო \(U\+10DD\), ბ \(U\+10D1\): the browser sets them in a font of its own, or as an empty box where it has none[^\n]*, and the PDF makes no PDF\/UA-1 claim\n {2}Replace them/,
    );
  });

  it('makes no conformance claim, and says what is not marked', async () => {
    const { meta } = await packageOf(path.join(out, 'words-from-elsewhere.epub'));
    expect(meta.has('dcterms:conformsTo')).toBe(false);
    expect(meta.get('schema:accessibilitySummary')![0]).toContain('Words in other scripts (Ελληνικά) are not marked with their language');
  });
});
