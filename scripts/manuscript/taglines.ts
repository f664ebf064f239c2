/**
 * The language-assistance block: with `taglines: true` in the front matter, the
 * handout ends with the line that says, in each language the build makes,
 * that help in that language is available (US Section 1557 taglines, for
 * instance). The lines are the publisher's, from `taglines.yaml` beside the
 * manuscript (one line per BCP 47 tag): we do not write them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Manuscript } from './load.js';
import { languageOf } from '../languages/language.js';
import { problem } from '../base/problems.js';

export const TAGLINES_FILE = 'taglines.yaml';

/** One language's line, with its direction, as the imprint sets it. */
export interface Tagline {
  lang: string;
  dir: 'ltr' | 'rtl';
  text: string;
}

const taglinesSchema = z.record(z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'must be a BCP 47 language tag'), z.string().trim().min(1));

/**
 * The lines for `languages` (the languages built, in order) when the source asks for them; a built language with no
 * line gets a warning on the source, and a missing or malformed file is an error at the front matter's `taglines`.
 */
export async function taglinesFor(source: Manuscript, languages: readonly string[]): Promise<Tagline[] | undefined> {
  if (!source.metadata.taglines) return undefined;
  const first = source.files[0]!.file;
  const file = path.join(source.root, TAGLINES_FILE);
  const place = keyPlace(String(first.value));
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw problem(`\`taglines: true\` needs ${TAGLINES_FILE} beside the manuscript: ${(cause as Error).message}`, {
      file: first.path,
      place,
      hint: `Write the publisher's language-assistance line for each language in ${path.join(path.basename(source.root), TAGLINES_FILE)}, e.g. \`es: "ATENCIÓN: si habla español, …"\`.`,
      cause,
    });
  });
  const parsed = taglinesSchema.safeParse(parseDocument(text).toJS());
  if (!parsed.success) {
    throw problem(`${TAGLINES_FILE}: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`, {
      file,
      hint: 'Give one line per language tag: `es: "…"`, `zh-Hans: "…"`.',
    });
  }
  const lines = new Map(Object.entries(parsed.data).map(([tag, line]) => [tag.toLowerCase(), line]));
  const taglines: Tagline[] = [];
  for (const lang of languages) {
    const line = lines.get(lang.toLowerCase());
    if (line) taglines.push({ lang, dir: languageOf(lang).dir, text: line });
    else {
      const message = first.message(`${TAGLINES_FILE} has no language-assistance line for ${lang}`, { place, ruleId: 'taglines', source: 'press' });
      message.note = `Add the publisher's ${languageOf(lang).englishName} line to ${TAGLINES_FILE}, or build without ${lang}.`;
    }
  }
  return taglines;
}

function keyPlace(text: string) {
  const at = /^taglines\s*:/m.exec(text)?.index;
  return { line: at === undefined ? 1 : text.slice(0, at).split('\n').length, column: 1 };
}
