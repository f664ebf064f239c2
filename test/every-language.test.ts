/**
 * Every patient's language, as a new user would try it: the 25 test translations of test/fixtures/every-language/
 * built beside their English source in one build (A4 PDF and EPUB, the bundled Chromium and the project's own
 * fonts), and each language's outputs read as a reader's tools read them:
 * - no warning about characters without a font;
 * - the sentence found, as written, in the A4 PDF's text layer, read in logical order as poppler and Acrobat read it
 *   (ActualText honoured, a right-to-left line read from the right: test/support/pdf-logical-text.ts);
 * - every glyph from the publication's own fonts, none a .notdef, and none mapped to no character (PDF/UA-1 7.21.7);
 * - the PDF/UA-1 claim;
 * - for the most complex scripts, EPUBCheck with no fatal error, error or warning and Ace by DAISY with no
 *   violation: test/scale/every-language.test.ts checks every language's EPUB so (a JVM and a browser each, a
 *   few seconds apiece: 26 of each took longer than the rest of the suite).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { build } from '../scripts/build.js';
import { languageOf } from '../scripts/languages/language.js';
import { NO_TEXT } from '../scripts/fonts/glyph-texts.js';
import { EVERY_LANGUAGE_SOURCE, FIXTURE_LANGUAGES, fixtureStem } from './support/every-language.js';
import { logicalTextByPage } from './support/pdf-logical-text.js';
import { toUnicodeMaps } from './support/pdf-text-map.js';
import { readPdfStructure } from './support/pdf-tags.js';
import { expectAcePasses, expectEpubcheckClean } from './support/outputs.js';

/** A fixed time for the outputs (SOURCE_DATE_EPOCH's 1700000000). */
const BUILD_TIME = new Date(1_700_000_000_000);
/** Scripts written without spaces between words: a line break in them is no space. */
const WITHOUT_SPACES = new Set(['ja', 'zh-Hans', 'zh-Hant']);
/** The families the build embeds; any other is a browser's own. */
const OWN_FONTS = /^(SourceSerif4|SourceSans3|SourceCodePro|Noto(NaskhArabic|NastaliqUrdu|Sans(Arabic|Hebrew|Devanagari|Gurmukhi|Bengali|Gujarati|Tamil|Ethiopic|JP|SC|TC|HK|KR)))-/;

let outDir: string;
let warnings: VFileMessage[];

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'press-every-language-'));
  ({ warnings } = await build({ input: EVERY_LANGUAGE_SOURCE, outDir, formats: ['pdf', 'epub'], buildTime: BUILD_TIME }));
}, 600_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const pdfOf = (lang: string) => path.join(outDir, `${fixtureStem(lang)}-a4.pdf`);
const epubOf = (lang: string) => path.join(outDir, `${fixtureStem(lang)}.epub`);

/**
 * Text as a search compares it: Unicode composed, the bidirectional marks an extractor adds left out, white space
 * one space (none at a line's end in a script without spaces).
 */
const searchable = (text: string, lang: string) =>
  text
    .normalize('NFC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(WITHOUT_SPACES.has(lang) ? /\s*\n\s*/g : /$^/g, '')
    .replace(/\s+/g, ' ');

it('builds all 26 languages, with 25 of them translations', () => {
  expect(FIXTURE_LANGUAGES).toHaveLength(26);
  expect(new Set(FIXTURE_LANGUAGES.map(({ lang }) => languageOf(lang).script))).toEqual(
    new Set(['Latn', 'Cyrl', 'Jpan', 'Hans', 'Hant', 'Kore', 'Hebr', 'Arab', 'Deva', 'Guru', 'Beng', 'Gujr', 'Taml', 'Ethi']),
  );
});

describe.each(FIXTURE_LANGUAGES.map((language) => [language.lang, language] as const))('%s', (lang, { file, title, sentence }) => {
  it('has no warning about characters without a font', () => {
    const uncovered = warnings.filter((warning) => warning.file === file && warning.ruleId === 'uncovered-characters');
    expect(uncovered.map((warning) => warning.reason)).toEqual([]);
  });

  it('reads back its title and its sentence, as written and in order, from the A4 PDF’s text layer', async () => {
    const text = searchable((await logicalTextByPage(pdfOf(lang), languageOf(lang).dir)).map((page) => page.text).join('\n'), lang);
    const at = text.indexOf(searchable(title, lang));
    expect(at, text).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(searchable(sentence, lang), at), text).toBeGreaterThan(at);
  });

  it('prints every glyph from its own fonts, none a .notdef, none mapped to no character, and claims PDF/UA-1', async () => {
    const glyphs = (await logicalTextByPage(pdfOf(lang))).flatMap((page) => page.glyphs);
    expect(glyphs.filter((glyph) => glyph.code === 0)).toEqual([]);
    const fonts = new Set(glyphs.map((glyph) => glyph.font.replace(/^[A-Z]{6}\+/, '')));
    expect([...fonts].filter((font) => !OWN_FONTS.test(font))).toEqual([]);
    const unmapped = [...(await toUnicodeMaps(pdfOf(lang)))].flatMap(([font, map]) => [...map].filter(([, text]) => NO_TEXT.has(text)).map(([glyph]) => `${font} ${glyph}`));
    expect(unmapped).toEqual([]);
    expect((await readPdfStructure(pdfOf(lang))).xmp).toContain('pdfuaid:part');
  });

});

/** The scripts whose EPUBs are checked here: the most complex to shape, and those of the page images. */
const CHECKED_EPUBS = ['ar', 'ur', 'hi', 'ta', 'ko', 'zh-Hant'];

describe.each(CHECKED_EPUBS)('the %s EPUB', (lang) => {
  it('passes EPUBCheck with no error or warning', async () => {
    await expectEpubcheckClean(epubOf(lang));
  });

  it('passes Ace by DAISY with no violation', async () => {
    await expectAcePasses(epubOf(lang));
  }, 300_000);
});
