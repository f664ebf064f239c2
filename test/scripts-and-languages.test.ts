import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { BODY_FAMILY, HEADING_FAMILY, fontFacesFor } from '../scripts/fonts/faces.js';
import { charactersWithoutFont, distinctCharacters, rangeTest, uncoveredCharacters } from '../scripts/fonts/coverage.js';
import { fontPackageFiles } from '../scripts/fonts/script-fonts.js';
import { FIXTURE_LANGUAGES } from './support/every-language.js';
import { languageOf } from '../scripts/languages/language.js';
import rehypeIsolateBidi, { isolatedHtml, splitLeftToRightRuns } from '../scripts/render/plugins/rehype-isolate-bidi.js';
import { quotesFor } from '../scripts/languages/quotes.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { warnUncoveredCharacters } from '../scripts/manuscript/uncovered-characters.js';

const packagesOf = (faces: { path: string }[]) => [...new Set(faces.map((face) => /@fontsource\/([^/]+)\//.exec(face.path)![1]))].sort();

describe('fonts for every script', () => {
  it('a Latin text needs no script font', () => {
    expect(packagesOf(fontFacesFor('Foot massage helps.', false, 'en'))).toEqual(['source-sans-3', 'source-serif-4']);
  });

  it('Han characters take Japanese forms in Japanese, Chinese forms in Chinese, and Japanese in any text with kana', () => {
    const kanji = '足の関節炎';
    expect(packagesOf(fontFacesFor('関節炎', false, 'ja'))).toContain('noto-sans-jp');
    expect(packagesOf(fontFacesFor('关节炎', false, 'zh-Hans'))).toContain('noto-sans-sc');
    expect(packagesOf(fontFacesFor('关节炎', false, 'zh-Hans'))).not.toContain('noto-sans-jp');
    expect(packagesOf(fontFacesFor(kanji, false, 'en'))).toContain('noto-sans-jp');
    expect(packagesOf(fontFacesFor('关节炎', false, 'en'))).toEqual(['noto-sans-sc', 'source-sans-3', 'source-serif-4']);
  });

  it('Arabic is set in Naskh for the text and in Noto Sans Arabic for headings, declared under the Source names, before them', () => {
    const faces = fontFacesFor('تدليك القدمين', false, 'ar');
    const naskh = faces.filter((face) => face.path.includes('noto-naskh-arabic'));
    const sans = faces.filter((face) => face.path.includes('noto-sans-arabic'));
    expect(new Set(naskh.map((face) => face.family))).toEqual(new Set([BODY_FAMILY]));
    expect(new Set(sans.map((face) => face.family))).toEqual(new Set([HEADING_FAMILY]));
    // No italics in Arabic: the italic Source Serif face gets the upright Naskh file.
    expect(naskh.filter((face) => face.style === 'italic').every((face) => face.fileName.endsWith('-normal.woff2'))).toBe(true);
    expect(faces.findIndex((face) => face.path.includes('source-serif-4'))).toBeGreaterThan(faces.findIndex((face) => face.path.includes('noto')));
  });

  it('only the CJK slices the text touches are declared, and together they cover it', () => {
    const text = 'フットマッサージのさまざまな効果。私たちの足は、毎日多くの負担を受けています。';
    const faces = fontFacesFor(text, false, 'ja');
    const slices = new Set(faces.filter((face) => face.path.includes('noto-sans-jp')).map((face) => face.subset));
    expect(slices.size).toBeGreaterThan(1);
    expect(slices.size).toBeLessThan(40);
    expect(uncoveredCharacters(text, faces)).toEqual([]);
    // Without the Japanese slices, the kana and kanji are what nothing covers.
    expect(uncoveredCharacters(text, faces.filter((face) => !face.path.includes('noto-sans-jp')))).toContain('足');
  });
});

describe('characters no font has', () => {
  it('are looked for among the distinct characters of the text, in order of first use, as a set of its characters gives them', () => {
    // Astral characters (two UTF-16 units), a lone high and a lone low surrogate, and a surrogate pair split by text.
    const text = 'Foot 👣 care: “ease” 👣 \u{1F9B6}\uD83D 足 \uDC63 ease \uD83Dx\uDC63 𠀀足';
    expect(distinctCharacters(text)).toEqual([...new Set(text)]);
    expect(distinctCharacters(text).slice(0, 6)).toEqual(['F', 'o', 't', ' ', '👣', 'c']);
    expect(distinctCharacters('')).toEqual([]);
    // Every BMP unit and a run of astral code points, each twice.
    const everything = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit)).join('') + String.fromCodePoint(...Array.from({ length: 300 }, (_, n) => 0x1f300 + n));
    expect(distinctCharacters(everything + everything)).toEqual([...new Set(everything + everything)]);
  });

  it('are a warning at each line that has them, naming them; what the fonts cover is not', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-uncovered-'));
    const file = path.join(folder, 'leaflet.md');
    await writeFile(file, '---\ntitle: Care 💡\npublisher: Clinic\n---\n\nArabic تدليك, Greek α, Cyrillic ж.\n\nA tip 💡 and नमस्ते ☃.\n\nWell done 👍️\n\nFewer than 5 ‰ of old Cyrillic Ѡ, which the ranges claim and the files lack.\n');
    const manuscript = await loadManuscript(file);
    await warnUncoveredCharacters(manuscript);
    const warnings = manuscript.files[0]!.file.messages.filter((message) => message.ruleId === 'uncovered-characters');
    const happens = (them: string) =>
      `the browser sets ${them} in a font of its own, or as an empty box where it has none (the bundled Chromium has only Latin, Greek and Cyrillic), and the PDF makes no PDF/UA-1 claim`;
    expect(warnings.map((message) => [message.line, message.column, message.reason])).toEqual([
      [2, 13, `no font of the publication has 💡 (U+1F4A1): ${happens('it')}`],
      // Devanagari (नमस्ते) has its font now: only the emoji is left.
      [8, 7, `no font of the publication has 💡 (U+1F4A1), ☃ (U+2603): ${happens('them')}`],
      // The emoji's variation selector (U+FE0F) prints nothing of its own.
      [10, 11, `no font of the publication has 👍 (U+1F44D): ${happens('it')}`],
      // Source's Latin and Cyrillic Extended ranges claim them; their files have neither.
      [12, 14, `no font of the publication has ‰ (U+2030), Ѡ (U+0460): ${happens('them')}`],
    ]);
  });

  it('a language whose font package is not installed is an error at its `lang`, naming the command that installs it', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-font-package-'));
    const file = path.join(folder, 'leaflet.md');
    await writeFile(file, '---\ntitle: 足部按摩\nlang: zh-HK\n---\n\n足部按摩可以幫助您放鬆身心，睡得更好。\n');
    const manuscript = await loadManuscript(file);
    const resolve = fontPackageFiles.resolve;
    fontPackageFiles.resolve = (specifier) => {
      if (specifier.startsWith('@fontsource/noto-sans-hk/')) throw new Error(`Cannot find module '${specifier}'`);
      return resolve(specifier);
    };
    try {
      await warnUncoveredCharacters(manuscript);
    } finally {
      fontPackageFiles.resolve = resolve;
    }
    const [error] = manuscript.files[0]!.file.messages.filter((message) => message.ruleId === 'font-package-missing');
    expect(error).toMatchObject({ fatal: true, line: 3, column: 1, ruleId: 'font-package-missing' });
    expect(error!.reason).toBe(
      'Traditional Chinese (Hong Kong) text needs the font package @fontsource/noto-sans-hk (Noto Sans HK), which is not installed: the zh-HK edition cannot be set',
    );
    expect(error!.note).toContain('`npm install @fontsource/noto-sans-hk@^5.3.0`');
  });
});

describe('every script of the 25 languages has its font', () => {
  const sentences = FIXTURE_LANGUAGES.map(({ lang, sentence }) => [lang, sentence] as const);

  it.each(sentences)('%s: every character of the sentence is in a file of a face the publication declares', async (lang, sentence) => {
    const faces = fontFacesFor(sentence, false, lang, { italic: true, bold: true });
    expect(await charactersWithoutFont(sentence, faces)).toEqual([]);
  });

  it.each([
    ['vi', 'Xoa bóp bàn chân có thể giúp bạn thư giãn', ['source-sans-3', 'source-serif-4']],
    ['hi', 'पैरों की मालिश', ['noto-sans-devanagari', 'source-sans-3', 'source-serif-4']],
    ['pa', 'ਪੈਰਾਂ ਦੀ ਮਾਲਸ਼ ਹੈ।', ['noto-sans-gurmukhi', 'source-sans-3', 'source-serif-4']],
    ['bn', 'ভালো ঘুমাতে সাহায্য করতে পারে।', ['noto-sans-bengali', 'source-sans-3', 'source-serif-4']],
    ['gu', 'પગની માલિશ', ['noto-sans-gujarati', 'source-sans-3', 'source-serif-4']],
    ['ta', 'பாத மசாஜ்', ['noto-sans-tamil', 'source-sans-3', 'source-serif-4']],
    ['am', 'የእግር ማሸት።', ['noto-sans-ethiopic', 'source-sans-3', 'source-serif-4']],
    ['ur', 'پاؤں کی مالش', ['noto-nastaliq-urdu', 'source-sans-3', 'source-serif-4']],
    ['fa', 'ماساژ پا', ['noto-naskh-arabic', 'noto-sans-arabic', 'source-sans-3', 'source-serif-4']],
    ['ko', '발 마사지', ['noto-sans-kr', 'source-sans-3', 'source-serif-4']],
    ['zh-Hant', '足部按摩可以幫助您', ['noto-sans-tc', 'source-sans-3', 'source-serif-4']],
    ['zh-TW', '足部按摩', ['noto-sans-tc', 'source-sans-3', 'source-serif-4']],
    ['zh', '足部按摩', ['noto-sans-sc', 'source-sans-3', 'source-serif-4']],
  ])('%s is set in the face its readers expect', (lang, text, packages) => {
    expect(packagesOf(fontFacesFor(text, false, lang))).toEqual(packages);
  });

  it('Vietnamese letters come from the Source faces’ own Vietnamese subset, not the browser’s fallback', async () => {
    const faces = fontFacesFor('ẹ ớ ủ ể ạ', false, 'vi');
    expect(faces.filter((face) => face.family === BODY_FAMILY).map((face) => face.subset)).toContain('vietnamese');
    expect(await charactersWithoutFont('ẹ ớ ủ ể ạ', faces)).toEqual([]);
  });

  it('the danda shared by Bengali and Devanagari is set by the face of the language’s own script, declared last', () => {
    const faces = fontFacesFor('ভালো। नमस्ते', false, 'bn');
    const danda = faces.filter((face) => rangeTest(face.unicodeRange).test('।') && face.family === BODY_FAMILY);
    expect(danda.at(-1)!.path).toContain('noto-sans-bengali');
  });
});

describe('languages', () => {
  it('know their script, direction and own name', () => {
    expect(languageOf('ar')).toMatchObject({ script: 'Arab', dir: 'rtl', nativeName: 'العربية', stylesheets: ['rtl.css'] });
    expect(languageOf('he')).toMatchObject({ dir: 'rtl' });
    expect(languageOf('ja')).toMatchObject({ script: 'Jpan', dir: 'ltr', stylesheets: ['cjk.css'] });
    expect(languageOf('zh-Hans')).toMatchObject({ englishName: 'Simplified Chinese', stylesheets: ['cjk.css'] });
    expect(languageOf('es')).toMatchObject({ dir: 'ltr', stylesheets: [] });
  });

  it('have their own double quotes; apostrophes stay ’', () => {
    expect(quotesFor('de')).toEqual({ openingQuotes: { double: '„', single: '‘' }, closingQuotes: { double: '“', single: '’' } });
    expect(quotesFor('ja').openingQuotes.double).toBe('「');
    expect(quotesFor('fr-CA').openingQuotes.double).toBe('«');
    expect(quotesFor('en').openingQuotes.double).toBe('“');
  });
});

describe('bidirectional isolation', () => {
  it('finds the left-to-right runs of a right-to-left text: words, numbers, addresses, phone numbers', () => {
    const runs = (text: string) => splitLeftToRightRuns(text).filter((part) => part.ltr).map((part) => part.text);
    expect(runs('متلازمة تململ الساقين (RLS). وهي')).toEqual(['RLS']);
    expect(runs('© 2026 Home Massage Health Library. جميع الحقوق محفوظة.')).toEqual(['2026 Home Massage Health Library']);
    expect(runs('زر example.com/handouts/foot-massage.epub')).toEqual(['example.com/handouts/foot-massage.epub']);
    expect(runs('اتصل على +1 (555) 123-4567 الآن')).toEqual(['+1 (555) 123-4567']);
    expect(splitLeftToRightRuns('نص بلا أرقام').every((part) => !part.ltr)).toBe(true);
  });

  it('wraps them in <span dir="ltr"> in a right-to-left document only, leaving code alone', async () => {
    const html = '<p>متلازمة تململ الساقين (RLS) و<code>npm run build</code></p>';
    const run = async (dir: 'ltr' | 'rtl') => toHtml((await unified().use(rehypeIsolateBidi, { dir }).run(fromHtml(html, { fragment: true }))) as never);
    expect(await run('rtl')).toBe('<p>متلازمة تململ الساقين (<span dir="ltr">RLS</span>) و<code dir="ltr">npm run build</code></p>');
    expect(await run('ltr')).toBe(html);
    expect(isolatedHtml('© 2026 Home & Co. جميع الحقوق', 'rtl')).toBe('© <span dir="ltr">2026 Home &amp; Co</span>. جميع الحقوق');
    expect(isolatedHtml('Home & Co', 'rtl')).toBe('Home &amp; Co');
  });
});
