/**
 * The article in every language of the fixture (test/fixtures/languages/: Spanish, Arabic, Simplified Chinese,
 * Japanese) built at once, and each output read as a reader's tools read it. Two runs use it:
 * test/languages.test.ts builds the A4 edition of every language in `npm test`; test/scale/languages.test.ts
 * builds every default edition and has Ace check each translated EPUB too, in `npm run test:scale`.
 */
import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toString } from 'mdast-util-to-string';
import { VFile } from 'vfile';
import { parse } from 'yaml';
import * as hb from 'harfbuzzjs';
import { convert } from 'fontverter';
import { build } from '../../scripts/build.js';
import { EDITIONS, type EditionId } from '../../scripts/base/editions.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';
import { rangeTest } from '../../scripts/fonts/coverage.js';
import { languageOf } from '../../scripts/languages/language.js';
import { parseMarkdown } from '../../scripts/manuscript/parse.js';
import { BUILD_TIME } from './shared-builds.js';
import { TRANSLATED_LANGUAGES, translatedArticle } from './languages.js';
import { logicalTextByPage } from './pdf-logical-text.js';
import { toUnicodeMaps } from './pdf-text-map.js';
import { readPdfStructure } from './pdf-tags.js';
import { renderPage, type PageImage } from './page-image.js';
import { expectAcePasses, expectEpubcheckClean, openEpub, xhtmlText } from './outputs.js';

export interface LanguageSuiteOptions {
  /** The print editions built (the source's front matter asks for them), A4 among them. */
  editions: readonly EditionId[];
  /** Whether Ace by DAISY checks each translated EPUB (a browser per EPUB). */
  ace: boolean;
}

export function describeLanguages({ editions, ace }: LanguageSuiteOptions) {
  const SLUG = 'the-many-benefits-of-foot-massage';
  const ALL_LANGUAGES = ['en', ...TRANSLATED_LANGUAGES];
  let input: string;
  let outDir: string;
  let written: string[];

  beforeAll(async () => {
    input = await translatedArticle({ editions });
    outDir = path.join(path.dirname(input), 'dist');
    ({ files: written } = await build({ input, outDir, formats: ['pdf', 'epub', 'web'], buildTime: BUILD_TIME }));
  }, 600_000);

  afterAll(async () => {
    if (input) await rm(path.dirname(input), { recursive: true, force: true });
  });

  const stem = (lang: string) => (lang === 'en' ? SLUG : `${SLUG}.${lang}`);
  const pdfOf = (lang: string, edition: string) => path.join(outDir, `${stem(lang)}-${edition}.pdf`);
  const epubOf = (lang: string) => path.join(outDir, `${stem(lang)}.epub`);
  const sourceOf = (lang: string) => (lang === 'en' ? input : input.replace(/\.md$/, `.${lang}.md`));

  /**
   * Text as the tests compare it: white space, soft hyphens and hyphens gone (a word broken at a line's end reads
   * whole), quotation marks all alike (the build sets each language's own), Unicode composed.
   */
  const comparable = (text: string) =>
    text
      .normalize('NFC')
      .replace(/[\s\u00ad\u2010\u2011-]/g, '')
      .replace(/["'“”„«»‘’「」]/g, '"');

  /** The source's headings and paragraphs, in order. */
  async function sourceBlocks(lang: string): Promise<string[]> {
    const file = new VFile({ path: sourceOf(lang), value: await readFile(sourceOf(lang), 'utf8') });
    return parseMarkdown(file)
      .children.filter((node) => node.type === 'heading' || node.type === 'paragraph')
      .map((node) => toString(node));
  }

  describe('every language is built', () => {
    it('as <slug>.<lang>-<edition>.pdf and <slug>.<lang>.epub, the source’s as before, each listed on its language’s web page', async () => {
      const expected = ALL_LANGUAGES.flatMap((lang) => [...editions.map((edition) => pdfOf(lang, edition)), epubOf(lang)]);
      const pageOf = (lang: string) => path.join(outDir, lang === 'en' ? 'index.html' : `${stem(lang)}.html`);
      expect(written.filter((file) => /\.(pdf|epub)$/.test(file)).toSorted()).toEqual(expected.toSorted());
      for (const lang of ALL_LANGUAGES) {
        expect(written).toContain(pageOf(lang));
        const page = await readFile(pageOf(lang), 'utf8');
        expect(page).toMatch(new RegExp(`^<!DOCTYPE html>\n<html lang="${lang}" dir="${languageOf(lang).dir}">`));
        const downloads = [...page.matchAll(/<a href="([^"]+)" type="application\/(pdf|epub\+zip)"/g)].map((match) => path.join(outDir, decodeURI(match[1]!)));
        const ofLanguage = (file: string) => path.basename(file).startsWith(`${stem(lang)}-`) || path.basename(file) === `${stem(lang)}.epub`;
        expect(downloads.toSorted()).toEqual(expected.filter(ofLanguage).toSorted());
        // Every language's page links every other's.
        for (const other of ALL_LANGUAGES) expect(page).toContain(`<link rel="alternate" hreflang="${other}" href="${path.basename(pageOf(other))}">`);
        // Each language's files are named by edition as the source's are.
        for (const edition of editions) expect(page.split(`>PDF handout, ${EDITIONS[edition].label}<`)).toHaveLength(2);
      }
    });
  });

  describe.each(ALL_LANGUAGES)('the %s PDFs', (lang) => {
    const dir = languageOf(lang).dir;

    it.each(editions)('%s: claims PDF/UA-1 only if every glyph of its fonts maps to a character (7.21.7)', async (edition) => {
      const file = pdfOf(lang, edition);
      const unmapped = [...(await toUnicodeMaps(file))].flatMap(([font, map]) =>
        [...map].filter(([, text]) => ['', '\u0000', '\uFEFF', '\uFFFE'].includes(text)).map(([glyph]) => `${font} ${glyph}`),
      );
      const { xmp } = await readPdfStructure(file);
      expect(xmp.includes('pdfuaid:part'), unmapped.slice(0, 5).join(', ')).toBe(unmapped.length === 0);
    });

    it.each(editions)('%s: every glyph from the embedded fonts, none a .notdef, every character of the source in reading order', async (edition) => {
      const pages = await logicalTextByPage(pdfOf(lang, edition), dir);
      const glyphs = pages.flatMap((page) => page.glyphs);
      expect(glyphs.length).toBeGreaterThan(1000);
      // Glyph 0 of a font is its .notdef, the empty box a missing character prints as.
      expect(glyphs.filter((glyph) => glyph.code === 0)).toEqual([]);
      // No system font stood in for a missing one: every glyph is from the families the build embeds.
      const fonts = new Set(glyphs.map((glyph) => glyph.font.replace(/^[A-Z]{6}\+/, '')));
      for (const font of fonts) expect(font).toMatch(/^(SourceSerif4|SourceSans3|SourceCodePro|NotoNaskhArabic|NotoSansArabic|NotoSansJP|NotoSansSC|NotoSansHebrew)/);

      const text = comparable(pages.map((page) => page.text).join(''));
      let at = 0;
      for (const block of await sourceBlocks(lang)) {
        const found = text.indexOf(comparable(block), at);
        expect(found, `not found after character ${at}, in order: ${block}`).toBeGreaterThanOrEqual(at);
        at = found + comparable(block).length;
      }
    });
  });

  describe('Han characters', () => {
    it.each([
      ['ja', 'NotoSansJP', 'NotoSansSC', 'zh-Hans'],
      ['zh-Hans', 'NotoSansSC', 'NotoSansJP', 'ja'],
    ])('the %s PDFs set their text in the fonts of the right region (%s); %s only for characters of the %s line the right one lacks', async (lang, right, wrong, other) => {
      const own = await readFile(sourceOf(lang), 'utf8');
      const lines = parse(await readFile(path.join(path.dirname(input), 'taglines.yaml'), 'utf8')) as Record<string, string>;
      for (const edition of editions) {
        const glyphs = (await logicalTextByPage(pdfOf(lang, edition))).flatMap((page) => page.glyphs);
        const fontOf = (glyph: { font: string }) => glyph.font.replace(/^[A-Z]{6}\+/, '');
        const fonts = new Set(glyphs.map(fontOf));
        expect([...fonts].some((font) => font.startsWith(right)), [...fonts].join(', ')).toBe(true);
        // The other region's family sets none of the leaflet's own text: only characters of the other language's
        // assistance line (taglines) that the right family lacks.
        const wrongGlyphs = glyphs.filter((glyph) => fontOf(glyph).startsWith(wrong));
        expect(wrongGlyphs.filter((glyph) => !glyph.text || own.includes(glyph.text) || !lines[other]!.includes(glyph.text))).toEqual([]);
      }
    });
  });

  /** The lines of ink in the top part of a page: for each, how far it stays from the left and the right edge. */
  function inkLines(image: PageImage, share: number) {
    const dark = (x: number, y: number) => {
      const at = (y * image.width + x) * 4;
      return image.data[at]! + image.data[at + 1]! + image.data[at + 2]! < 3 * 160;
    };
    const lines: { top: number; left: number; right: number }[] = [];
    let current: { top: number; left: number; right: number } | undefined;
    for (let y = 0; y < image.height * share; y++) {
      let left = -1;
      let right = -1;
      for (let x = 0; x < image.width; x++) {
        if (!dark(x, y)) continue;
        if (left === -1) left = x;
        right = x;
      }
      if (left === -1) {
        if (current) lines.push(current);
        current = undefined;
      } else if (current) {
        current.left = Math.min(current.left, left);
        current.right = Math.max(current.right, right);
      } else current = { top: y, left, right };
    }
    return lines.map(({ top, left, right }) => ({ top, leftGap: left, rightGap: image.width - 1 - right }));
  }

  describe('right to left', () => {
    it('the Arabic page 1 has its masthead on the right, where the English has it on the left', async () => {
      const sides = async (lang: string) => {
        const image = await renderPage(pdfOf(lang, 'a4'), 1, 50);
        // The masthead (publisher, title, byline) fills the top fifth; lines set to one side leave the other side open.
        const oneSided = inkLines(image, 0.2).filter(({ leftGap, rightGap }) => Math.abs(leftGap - rightGap) > image.width * 0.15);
        return oneSided.map(({ leftGap, rightGap }) => (rightGap < leftGap ? 'right' : 'left'));
      };
      const [arabic, english] = await Promise.all([sides('ar'), sides('en')]);
      expect(arabic.length).toBeGreaterThanOrEqual(2);
      expect(new Set(arabic)).toEqual(new Set(['right']));
      expect(new Set(english)).toEqual(new Set(['left']));
    });

    it('the Arabic EPUB turns its pages right to left, and every document says it is right to left', async () => {
      const zip = await openEpub(epubOf('ar'));
      const opf = await zip.file('OEBPS/content.opf')!.async('string');
      expect(opf).toMatch(/<spine [^>]*page-progression-direction="rtl"/);
      expect(opf).toMatch(/<dc:language>ar<\/dc:language>/);
      const documents = zip.file(/\.xhtml$/);
      expect(documents.length).toBeGreaterThan(3);
      for (const document of documents) expect(await document.async('string')).toMatch(/<html [^>]*xml:lang="ar" lang="ar" dir="rtl"/);
      // A Latin abbreviation inside Arabic text is isolated, so that it reads in its own order.
      const chapters = await Promise.all(documents.map((document) => document.async('string')));
      expect(chapters.filter((chapter) => chapter.includes('(<span dir="ltr">RLS</span>)'))).toHaveLength(1);
      const english = await (await openEpub(epubOf('en'))).file('OEBPS/content.opf')!.async('string');
      expect(english).not.toContain('page-progression-direction');
    });
  });

  describe('language assistance (front matter `taglines: true`)', () => {
    it('ends every language’s handout and ebook with the line of each language built, in its language and direction', async () => {
      const lines = parse(await readFile(path.join(path.dirname(input), 'taglines.yaml'), 'utf8')) as Record<string, string>;
      for (const lang of ALL_LANGUAGES) {
        const imprint = await (await openEpub(epubOf(lang))).file('OEBPS/imprint.xhtml')!.async('string');
        // The isolating spans (<span dir="ltr">) are inline: their text runs on without a space.
        const tagged = [...imprint.matchAll(/<p lang="([^"]+)" xml:lang="[^"]+" dir="(ltr|rtl)">(.*?)<\/p>/g)].map(([, tag, dir, html]) => [
          tag,
          dir,
          xhtmlText(html!.replace(/<\/?span[^>]*>/g, '')),
        ]);
        expect(tagged).toEqual(ALL_LANGUAGES.map((tag) => [tag, languageOf(tag).dir, lines[tag]]));
        // On paper too, at the end, after the last paragraph of the text (the imprint may run over a page break): the
        // A4 handout holds the lines written in its own direction.
        const pages = await logicalTextByPage(pdfOf(lang, 'a4'), languageOf(lang).dir);
        const text = comparable(pages.map((page) => page.text).join(''));
        const lastBlock = comparable((await sourceBlocks(lang)).at(-1)!);
        expect(text).toContain(lastBlock);
        const end = text.slice(text.lastIndexOf(lastBlock) + lastBlock.length);
        for (const tag of ALL_LANGUAGES.filter((tag) => languageOf(tag).dir === languageOf(lang).dir)) expect(end).toContain(comparable(lines[tag]!));
      }
    });
  });

  describe.each(TRANSLATED_LANGUAGES)('the %s EPUB', (lang) => {
    it('passes EPUBCheck with no error or warning', async () => {
      await expectEpubcheckClean(epubOf(lang));
    });

    it.runIf(ace)('passes Ace by DAISY with no violation', async () => {
      await expectAcePasses(epubOf(lang));
    }, 300_000);

    it('declares its language everywhere, and packs only the font files its text uses', async () => {
      const zip = await openEpub(epubOf(lang));
      const opf = await zip.file('OEBPS/content.opf')!.async('string');
      expect(opf).toContain(`<dc:language>${lang}</dc:language>`);
      const css = await zip.file('OEBPS/style.css')!.async('string');
      const text = (await Promise.all(zip.file(/\.(xhtml|ncx)$/).map((file) => file.async('string')))).join('\n');
      const fonts = zip.file(/^OEBPS\/fonts\//);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) {
        const ranges = [...css.matchAll(new RegExp(`url\\("fonts/${path.basename(font.name).replace(/[.[\]]/g, '\\$&')}"\\)[^;]*; unicode-range: ([^;]+);`, 'g'))].map((match) => match[1]!);
        expect(ranges.length, font.name).toBeGreaterThan(0);
        const covers = ranges.some((range) =>
          range.split(',').some((part) => {
            const [from, to] = part.trim().replace(/^U\+/i, '').split('-').map((hex) => parseInt(hex, 16));
            return [...text].some((char) => char.codePointAt(0)! >= from! && char.codePointAt(0)! <= (to ?? from)!);
          }),
        );
        expect(covers, `${font.name} covers no character of the text`).toBe(true);
      }
    });

    it('cuts each script font down to what its text uses, every character of the text it sets kept', async () => {
      const zip = await openEpub(epubOf(lang));
      const css = await zip.file('OEBPS/style.css')!.async('string');
      const text = [...new Set((await Promise.all(zip.file(/\.(xhtml|ncx)$/).map((file) => file.async('string')))).join(''))].filter((char) => !/\s/.test(char));
      const rangeOf = (name: string) => new RegExp(`url\\("fonts/${name.replace(/[.[\]]/g, '\\$&')}"\\)[^;]*; unicode-range: ([^;]+);`).exec(css)![1]!;
      // What a Source face covers is set in it, declared after the script faces: the script faces set the rest.
      const sourceRanges = zip.file(/^OEBPS\/fonts\/source-/).map((font) => rangeTest(rangeOf(path.basename(font.name))));
      const unicodesOf = async (bytes: Uint8Array) => new Set(new hb.Face(new hb.Blob(await convert(Buffer.from(bytes), 'sfnt'))).collectUnicodes());
      const scriptFonts = zip.file(/^OEBPS\/fonts\/noto-/);
      expect(scriptFonts.length).toBeGreaterThan(0);
      let set = 0;
      for (const font of scriptFonts) {
        const name = path.basename(font.name);
        const bytes = await font.async('uint8array');
        const packageName = readdirSync(path.join(PROJECT_ROOT, 'node_modules', '@fontsource')).find((pkg) => name.startsWith(`${pkg}-`))!;
        const original = await readFile(path.join(PROJECT_ROOT, 'node_modules', '@fontsource', packageName, 'files', name));
        expect(bytes.length, name).toBeLessThan(original.length);
        // The characters of the text this face sets: in its range, in the original file, not a Source face's.
        const inOriginal = await unicodesOf(original);
        const range = rangeTest(rangeOf(name));
        const itSets = text.filter((char) => range.test(char) && inOriginal.has(char.codePointAt(0)!) && !sourceRanges.some((source) => source.test(char)));
        const kept = await unicodesOf(bytes);
        expect(itSets.filter((char) => !kept.has(char.codePointAt(0)!)), name).toEqual([]);
        set += itSets.length;
      }
      expect(set).toBeGreaterThan(0);
    });
  });
}
