import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { BODY_FAMILY, HEADING_FAMILY, fontFacesFor } from '../scripts/fonts/faces.js';
import { uncoveredCharacters } from '../scripts/fonts/coverage.js';
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
  it('are a warning at each line that has them, naming them; what the fonts cover is not', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-uncovered-'));
    const file = path.join(folder, 'leaflet.md');
    await writeFile(file, '---\ntitle: Care 💡\npublisher: Clinic\n---\n\nArabic تدليك, Greek α, Cyrillic ж.\n\nA tip 💡 and नमस्ते.\n\nWell done 👍️\n');
    const manuscript = await loadManuscript(file);
    warnUncoveredCharacters(manuscript);
    const warnings = manuscript.files[0]!.file.messages.filter((message) => message.ruleId === 'uncovered-characters');
    expect(warnings.map((message) => [message.line, message.column, message.reason])).toEqual([
      [2, 13, 'no font has 💡 (U+1F4A1): printed as an empty box'],
      [8, 7, 'no font has 💡 (U+1F4A1), न (U+0928), म (U+092E), स (U+0938), ् (U+094D), त (U+0924), े (U+0947): printed as an empty box'],
      // The emoji's variation selector (U+FE0F) prints nothing of its own.
      [10, 11, 'no font has 👍 (U+1F44D): printed as an empty box'],
    ]);
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
