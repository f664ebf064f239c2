/**
 * Record, in a translation's front matter, which version of the source it translates
 * (`sourceHash`, each section's digest: translation-sync.ts). From then on the build warns
 * when a section of the source changes. The rest of the file, comments in the front matter
 * included, is left as it was.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { problem } from '../base/problems.js';
import { writeOutputs } from '../base/write-outputs.js';
import { loadManuscript } from './load.js';
import { translationOf } from './translation-files.js';
import { loadTranslations } from './translations.js';
import { manuscriptName, sourceHashOf } from './translation-sync.js';

/** The source a translation file belongs to: a sibling file or folder manuscript, and the translation's language. */
export async function sourceOfTranslation(file: string): Promise<{ input: string; lang: string }> {
  const folder = path.dirname(file);
  const folderMatch = /^(.+)\.([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)$/.exec(path.basename(folder));
  if (folderMatch) {
    const sourceFolder = path.join(path.dirname(folder), folderMatch[1]!);
    if (await stat(sourceFolder).then((info) => info.isDirectory(), () => false)) return { input: sourceFolder, lang: folderMatch[2]! };
  }
  const names = await readdir(folder);
  const found = translationOf(path.basename(file), names);
  if (!found) {
    throw problem('not a translation', {
      file,
      hint: 'A translation is named after its source with its language: foot-massage.es.md beside foot-massage.md, or manuscript.es/ beside manuscript/.',
    });
  }
  const sources = names.filter((name) => name.endsWith('.md') && !name.startsWith('.') && !translationOf(name, names));
  return { input: sources.length > 1 ? folder : path.join(folder, found.source), lang: found.lang };
}

/** Writes `sourceHash` into the translation's front matter; returns the file written and the source it now translates. */
export async function markTranslation(file: string): Promise<{ file: string; source: string; sections: number }> {
  const { input, lang } = await sourceOfTranslation(path.resolve(file));
  const source = await loadManuscript(input);
  const [translation] = await loadTranslations(source, input, [lang]);
  const first = translation!.manuscript.files[0]!.file.path!;
  const text = await readFile(first, 'utf8');
  const block = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text)!;
  const document = parseDocument(block[1]!);
  const hashes = sourceHashOf(source);
  const node = document.createNode(hashes);
  // Quoted: a digest such as 1234e567 would otherwise read back as a number.
  if (isMap(node)) for (const pair of node.items) if (isScalar(pair.value)) pair.value.type = 'QUOTE_DOUBLE';
  document.set('sourceHash', node);
  const updated = `---\n${document.toString({ lineWidth: 0 })}---\n${text.slice(block[0].length)}`;
  await writeOutputs(path.dirname(first), [{ name: path.basename(first), bytes: new TextEncoder().encode(updated) }]);
  return { file: first, source: manuscriptName(source), sections: Object.keys(hashes).length };
}
