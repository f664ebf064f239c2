import { mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { check } from '../scripts/check/check.js';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { translationOf } from '../scripts/manuscript/translation-files.js';
import { loadTranslations } from '../scripts/manuscript/translations.js';
import { sourceSections } from '../scripts/manuscript/translation-sync.js';
import { markTranslation } from '../scripts/manuscript/mark-translation.js';
import { messagesFor } from '../scripts/languages/fixed-texts.js';
import { taglinesFor } from '../scripts/manuscript/taglines.js';
import { cli, WITHOUT_EPUBCHECK } from './support/cli.js';
import { preparePublications } from '../scripts/prepare.js';

/** One translation of the manuscript in `folder` (care.md), prepared alone: the conflicting one left out. */
async function prepareFirst(folder: string, lang: string) {
  await unlink(path.join(folder, 'care.es.md')).catch(() => undefined);
  const set = await preparePublications({ input: path.join(folder, 'care.md'), languages: [lang] });
  return set.languages[0]!;
}
import { TRANSLATED_LANGUAGES, translatedArticle } from './support/languages.js';

/** The warnings a translation's files carry, by rule. */
const warningsOf = (translation: { manuscript: { files: { file: { messages: { ruleId?: string | null; reason: string }[] } }[] } }, rule: string) =>
  translation.manuscript.files.flatMap(({ file }) => file.messages).filter((message) => message.ruleId === rule);

describe('translations beside the source', () => {
  it('are found by name, each with its language, and no other file is taken for one', () => {
    const names = ['care.md', 'care.es.md', 'care.zh-Hans.md', 'notes.v2.md', 'guide.es.md', 'care.xx-.md'];
    expect(translationOf('care.es.md', names)).toEqual({ source: 'care.md', lang: 'es' });
    expect(translationOf('care.zh-Hans.md', names)).toEqual({ source: 'care.md', lang: 'zh-Hans' });
    // No guide.md beside it: guide.es.md is a manuscript file of its own.
    expect(translationOf('guide.es.md', names)).toBeUndefined();
    expect(translationOf('notes.v2.md', names)).toBeUndefined();
    expect(translationOf('care.md', names)).toBeUndefined();
  });

  it('are loaded as publications of their own: own language and text, the source’s slug, an identifier of their own', async () => {
    const input = await translatedArticle();
    const source = await loadManuscript(input);
    // The folder holds the translations too: the source is still only foot-massage.md.
    expect((await loadManuscript(path.dirname(input))).files.map(({ file }) => path.basename(file.path))).toEqual(['foot-massage.md']);
    const translations = await loadTranslations(source, input);
    expect(translations.map(({ lang }) => lang)).toEqual([...TRANSLATED_LANGUAGES]);
    const identifiers = new Set([source.metadata.identifier]);
    for (const { lang, manuscript } of translations) {
      expect(manuscript.metadata.lang).toBe(lang);
      expect(manuscript.metadata.slug).toBe('the-many-benefits-of-foot-massage');
      expect(manuscript.metadata.title).not.toBe(source.metadata.title);
      // Inherited: what the translation does not set, such as the publisher and the download address.
      expect(manuscript.metadata.publisher).toBe(source.metadata.publisher);
      expect(manuscript.metadata.downloadUrl).toBe(source.metadata.downloadUrl);
      identifiers.add(manuscript.metadata.identifier);
      // Marked against the source as it is: no warning at all.
      expect(manuscript.files[0]!.file.messages.map((message) => message.reason)).toEqual([]);
    }
    expect(identifiers.size).toBe(1 + translations.length);
  });

  it('take the narrower of their file name’s language and their own `lang` (BCP 47), and refuse two languages', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'press-bcp47-'));
    const write = (name: string, text: string) => writeFile(path.join(folder, name), text);
    await write('care.md', '---\ntitle: Care\nauthor: Team\npublisher: Clinic\n---\n\n"Rest" well.\n');
    await write('care.zh.md', '---\nlang: zh-Hans\ntitle: 护理\n---\n\n"休息"好。\n');
    await write('care.pt-BR.md', '---\nlang: pt\ntitle: Cuidados\n---\n\nDescanse bem.\n');
    await write('care.zh-TW.md', '---\nlang: zh-Hant\ntitle: 護理\n---\n\n好好休息。\n');
    await write('care.es.md', '---\nlang: fr\ntitle: Soins\n---\n\nReposez-vous.\n');
    const input = path.join(folder, 'care.md');
    const translations = await loadTranslations(await loadManuscript(input), input);
    const byFile = new Map(translations.map(({ lang, manuscript }) => [lang, manuscript]));
    // The file names keep naming the outputs; the narrower tag is the publication's language.
    expect(byFile.get('zh')!.metadata.lang).toBe('zh-Hans');
    expect(byFile.get('pt-BR')!.metadata.lang).toBe('pt-BR');
    expect(byFile.get('zh-TW')!.metadata.lang).toBe('zh-TW');
    for (const lang of ['zh', 'pt-BR', 'zh-TW']) expect(byFile.get(lang)!.files[0]!.file.messages.filter((message) => message.fatal)).toEqual([]);
    const [conflict] = byFile.get('es')!.files[0]!.file.messages.filter((message) => message.fatal);
    expect(conflict).toMatchObject({ reason: 'front matter `lang` is fr, but the file name says es', line: 2 });
    // The narrower language is the one the build sets the text in: its fonts and its quotation marks.
    const zh = await prepareFirst(folder, 'zh');
    expect(zh.publication.metadata.lang).toBe('zh-Hans');
    expect(zh.document.html).toContain('“休息”');
    expect(zh.publication.print.fonts.some((face) => face.path.includes('noto-sans-sc'))).toBe(true);
    const tw = await prepareFirst(folder, 'zh-TW');
    expect(tw.publication.print.fonts.some((face) => face.path.includes('noto-sans-tc'))).toBe(true);
  });

  it('limits to the languages asked for, and names one that has no translation', async () => {
    const input = await translatedArticle();
    const source = await loadManuscript(input);
    expect((await loadTranslations(source, input, ['ar', 'en'])).map(({ lang }) => lang)).toEqual(['ar']);
    await expect(loadTranslations(source, input, ['es', 'fr'])).rejects.toThrow(/no translation for fr/);
  });

  it('warn when a key in the source’s language is inherited, and when the language has no messages', async () => {
    const input = await translatedArticle();
    await writeFile(path.join(path.dirname(input), 'foot-massage.fr.md'), '---\nlang: fr\n---\n\n# Les bienfaits du massage des pieds\n\nUn texte.\n');
    const source = await loadManuscript(input);
    const [french] = await loadTranslations(source, input, ['fr']);
    const reasons = french!.manuscript.files[0]!.file.messages.map((message) => message.reason);
    expect(reasons).toContain('`title` comes from foot-massage.md, in en, not fr');
    expect(reasons).toContain('`description` comes from foot-massage.md, in en, not fr');
    expect(reasons).toContain('foot-massage.fr.md does not record which version of foot-massage.md it translates');
    expect(messagesFor('fr').lang).toBe('en');
    expect(messagesFor('es-MX')).toMatchObject({ lang: 'es-MX', texts: { medicalDisclaimer: 'Aviso médico.' } });
    expect(messagesFor('zh-Hans-SG').texts.contents).toBe('目录');
  });
});

describe('stale translations', () => {
  it('changing one sentence of the source warns about exactly the translations not marked since, naming that section', async () => {
    const input = await translatedArticle();
    const text = await readFile(input, 'utf8');
    const sentence = 'This includes helping with sleep conditions like insomnia.';
    expect(text).toContain(sentence);
    await writeFile(input, text.replace(sentence, 'This includes helping with sleep conditions such as insomnia.'));
    // The Spanish translation is brought up to date and marked again; the others are not.
    await markTranslation(path.join(path.dirname(input), 'foot-massage.es.md'));

    const source = await loadManuscript(input);
    const translations = await loadTranslations(source, input);
    const stale = Object.fromEntries(translations.map((translation) => [translation.lang, warningsOf(translation, 'translation-stale').map((m) => m.reason)]));
    expect(stale).toEqual({
      es: [],
      ar: ['foot-massage.ar.md translates an older foot-massage.md: changed sections: Promotes Sleep'],
      ja: ['foot-massage.ja.md translates an older foot-massage.md: changed sections: Promotes Sleep'],
      'zh-Hans': ['foot-massage.zh-Hans.md translates an older foot-massage.md: changed sections: Promotes Sleep'],
    });
    // The warning points at the record, in the translation's front matter.
    const [warning] = warningsOf(translations.find(({ lang }) => lang === 'ar')!, 'translation-stale');
    const arabic = await readFile(path.join(path.dirname(input), 'foot-massage.ar.md'), 'utf8');
    expect(arabic.split('\n')[(warning as unknown as { line: number }).line - 1]).toMatch(/^sourceHash:/);

    // npm run check lists them (here without epubcheck, whose findings check.test.ts tests); the build warns, and
    // with --strict stops and writes nothing.
    vi.stubEnv('EPUBCHECK_JAR', WITHOUT_EPUBCHECK.EPUBCHECK_JAR);
    const checked = await check(input).finally(() => vi.unstubAllEnvs());
    expect(checked.messages.filter((message) => message.ruleId === 'translation-stale').map((message) => path.basename(String(message.file)))).toEqual([
      'foot-massage.ar.md',
      'foot-massage.ja.md',
      'foot-massage.zh-Hans.md',
    ]);
    const out = path.join(path.dirname(input), 'out');
    const strict = await cli([input, '--out', out, '--format', 'pdf', '--strict', '--lang', 'en,ja']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('foot-massage.ja.md:');
    expect(strict.stderr).toContain('warning foot-massage.ja.md translates an older foot-massage.md: changed sections: Promotes Sleep');
    expect(strict.stderr).not.toContain('foot-massage.ar.md');
    await expect(readFile(path.join(out, 'index.html'))).rejects.toThrow();
  });

  it('compares section by section: a paragraph rewrapped is no change, a heading renamed is', async () => {
    const input = await translatedArticle();
    const source = await loadManuscript(input);
    const before = sourceSections(source);
    const text = await readFile(input, 'utf8');
    // Rewrapped: the same words, a line break in the middle of a paragraph.
    const rewrapped = text.replace('Our feet go through a lot on a day-to-day basis. ', 'Our feet go through a lot on a day-to-day basis.\n');
    await writeFile(input, rewrapped.replace('## Improves Balance', '## Better Balance'));
    const after = sourceSections(await loadManuscript(input));
    expect(after.map(({ digest }) => digest).filter((digest) => !before.some((section) => section.digest === digest))).toHaveLength(1);
    const [spanish] = await loadTranslations(await loadManuscript(input), input, ['es']);
    expect(warningsOf(spanish!, 'translation-stale').map((m) => m.reason)).toEqual([
      'foot-massage.es.md translates an older foot-massage.md: changed sections: Better Balance; removed sections: improves-balance',
    ]);
  });

  it('`npm run translation -- mark` records every section, quoted, and leaves the rest of the file as it was', async () => {
    const input = await translatedArticle();
    const file = path.join(path.dirname(input), 'foot-massage.ja.md');
    const before = await readFile(file, 'utf8');
    const withoutRecord = before.replace(/^sourceHash:\n(  .*\n)+/m, '');
    await writeFile(file, withoutRecord.replace('translator:', '# reviewed by nobody yet\ntranslator:'));
    await markTranslation(file);
    const after = await readFile(file, 'utf8');
    const sections = sourceSections(await loadManuscript(input));
    for (const { key, digest } of sections) expect(after).toContain(`  ${key}: "${digest}"\n`);
    expect(after).toContain('# reviewed by nobody yet\n');
    expect(after.slice(after.indexOf('\n---\n'))).toBe(before.slice(before.indexOf('\n---\n')));
  });

  it('marks a folder translation (manuscript.es/) against its source folder', async () => {
    const input = await translatedArticle();
    const folder = path.join(path.dirname(input), 'leaflet');
    await mkdir(folder);
    await rename(input, path.join(folder, 'foot-massage.md'));
    await mkdir(`${folder}.es`);
    const spanish = await readFile(path.join(path.dirname(input), 'foot-massage.es.md'), 'utf8');
    await writeFile(path.join(`${folder}.es`, '01.md'), spanish.replace(/^sourceHash:\n(  .*\n)+/m, ''));
    const source = await loadManuscript(folder);
    expect(warningsOf((await loadTranslations(source, folder))[0]!, 'translation-unmarked')).toHaveLength(1);
    await markTranslation(path.join(`${folder}.es`, '01.md'));
    const [marked] = await loadTranslations(source, folder);
    expect(marked!.lang).toBe('es');
    expect(marked!.manuscript.files[0]!.file.messages).toEqual([]);
  });
});

describe('language-assistance lines', () => {
  it('are the publisher’s line for each language built; a language without one is a warning, no file an error at `taglines`', async () => {
    const input = await translatedArticle();
    const source = await loadManuscript(input);
    const lines = await taglinesFor(source, ['en', 'ar', 'fr']);
    expect(lines!.map(({ lang, dir }) => [lang, dir])).toEqual([
      ['en', 'ltr'],
      ['ar', 'rtl'],
    ]);
    expect(lines![1]!.text).toMatch(/^ملحوظة: /);
    expect(source.files[0]!.file.messages.map((message) => message.reason)).toEqual(['taglines.yaml has no language-assistance line for fr']);
    await rm(path.join(path.dirname(input), 'taglines.yaml'));
    await expect(taglinesFor(await loadManuscript(input), ['en'])).rejects.toMatchObject({ line: 2, reason: expect.stringMatching(/^`taglines: true` needs taglines\.yaml/) });
  });
});
