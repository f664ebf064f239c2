/**
 * The translated article for the language suites: the real manuscript with the
 * fixture's translations beside it (test/fixtures/languages/: Spanish, Arabic,
 * Simplified Chinese, Japanese) and its language-assistance lines
 * (taglines.yaml, asked for with `taglines: true`), copied into a folder of its own.
 */
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EditionId } from '../../scripts/base/editions.js';
import { PROJECT_ROOT } from '../../scripts/base/project-root.js';

export const LANGUAGES_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'languages');
export const TRANSLATED_LANGUAGES = ['ar', 'es', 'ja', 'zh-Hans'] as const;

/** A folder with foot-massage.md and its translations, built in `editions` if given; returns the source file's path. */
export async function translatedArticle({ editions }: { editions?: readonly EditionId[] } = {}): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'press-languages-'));
  const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
  const frontMatter = `taglines: true\n${editions ? `editions: [${editions.join(', ')}]\n` : ''}`;
  await writeFile(path.join(folder, 'foot-massage.md'), article.replace(/^---\n/, `---\n${frontMatter}`));
  for (const name of await readdir(LANGUAGES_FIXTURE)) await copyFile(path.join(LANGUAGES_FIXTURE, name), path.join(folder, name));
  return path.join(folder, 'foot-massage.md');
}
