/**
 * Where a manuscript's translations are, by name alone: `foot-massage.es.md`
 * beside `foot-massage.md`, and for a folder manuscript, the same beside each of
 * its files, or a sibling folder per language (`manuscript.es/`).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isLanguageTag } from '../languages/language.js';

/** `name.<BCP 47 tag>.md`: `care.es.md`, `care.zh-Hans.md`, `care.pt-BR.md`. */
const TRANSLATION_NAME = /^(.+)\.([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)\.md$/;
const FOLDER_NAME = /^(.+)\.([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)$/;


/** The language of `name` when it is the translation of a file among `siblings` (`care.es.md` of `care.md`). */
export function translationOf(name: string, siblings: readonly string[]): { source: string; lang: string } | undefined {
  const match = TRANSLATION_NAME.exec(name);
  if (!match || !siblings.includes(`${match[1]}.md`) || !isLanguageTag(match[2]!)) return undefined;
  return { source: `${match[1]}.md`, lang: match[2]! };
}

/** The folder manuscript a folder named `name` translates, by name alone (`back-care.es` → `back-care`, `es`). */
export function translatedFolder(name: string): { source: string; lang: string } | undefined {
  const match = FOLDER_NAME.exec(name);
  return match && isLanguageTag(match[2]!) ? { source: match[1]!, lang: match[2]! } : undefined;
}

/** One language's translation: its files in the source's reading order, and the folder its images are relative to. */
export interface TranslationFiles {
  lang: string;
  root: string;
  paths: string[];
}

/** The translations of the manuscript `sourcePaths` (in `root`), by language in the order of their tags. */
export async function findTranslationFiles(root: string, sourcePaths: readonly string[], input: string): Promise<TranslationFiles[]> {
  const names = await readdir(root);
  const byLang = new Map<string, TranslationFiles>();
  const sources = sourcePaths.map((file) => path.basename(file));
  for (const name of names) {
    const found = translationOf(name, names);
    if (!found || !sources.includes(found.source)) continue;
    const entry = byLang.get(found.lang) ?? { lang: found.lang, root, paths: [] };
    entry.paths.push(path.join(root, name));
    byLang.set(found.lang, entry);
  }
  for (const entry of byLang.values()) {
    const order = (file: string) => sources.indexOf(translationOf(path.basename(file), names)!.source);
    entry.paths.sort((a, b) => order(a) - order(b));
  }
  // A folder manuscript's translations may also be whole folders beside it: manuscript.es/.
  if ((await stat(input)).isDirectory()) {
    const parent = path.dirname(input);
    for (const name of await readdir(parent)) {
      const match = translatedFolder(name);
      if (!match || match.source !== path.basename(input) || byLang.has(match.lang)) continue;
      const folder = path.join(parent, name);
      if (!(await stat(folder)).isDirectory()) continue;
      const files = (await readdir(folder)).filter((file) => file.endsWith('.md') && !file.startsWith('.'));
      files.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (files.length) byLang.set(match.lang, { lang: match.lang, root: folder, paths: files.map((file) => path.join(folder, file)) });
    }
  }
  return [...byLang.values()].sort((a, b) => a.lang.localeCompare(b.lang));
}
