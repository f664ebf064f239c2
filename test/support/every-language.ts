/**
 * test/fixtures/every-language/: an English leaflet of one sentence ("Foot massage can help you relax and sleep
 * better.") and its test translations into 25 languages patients of US and UK clinics speak, each in the script its
 * readers use, as a new user would write them (a file name and a `lang`, nothing else).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';

export const EVERY_LANGUAGE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'every-language');
export const EVERY_LANGUAGE_SOURCE = path.join(EVERY_LANGUAGE, 'foot-massage.md');

export interface FixtureLanguage {
  lang: string;
  file: string;
  title: string;
  sentence: string;
}

/** The source first (`en`), then each translation, with its title and its one sentence. */
export const FIXTURE_LANGUAGES: FixtureLanguage[] = readdirSync(EVERY_LANGUAGE)
  .filter((name) => name.endsWith('.md'))
  .map((name) => {
    const file = path.join(EVERY_LANGUAGE, name);
    const text = readFileSync(file, 'utf8');
    return { lang: /\.([^.]+)\.md$/.exec(name)?.[1] ?? 'en', file, title: /^title: (.+)$/m.exec(text)![1]!, sentence: text.trim().split('\n').at(-1)! };
  })
  .sort((a, b) => Number(b.lang === 'en') - Number(a.lang === 'en') || a.lang.localeCompare(b.lang));

/** The stem of a language's output files. */
export const fixtureStem = (lang: string) => (lang === 'en' ? 'foot-massage' : `foot-massage.${lang}`);
