/**
 * A manuscript's translations, each loaded as a publication of its own: its
 * own Markdown and front matter, and from the source whatever front matter it
 * does not set. Its output files share the source's slug with the language
 * added (`foot-massage.es-a4.pdf`), and its identifier is the source's made
 * unique to the language, as each language edition is a publication of its own.
 *
 * What a translation inherits in the source's language (its title, say) is
 * printed in that language: each such key gets a warning, so that a Spanish
 * handout does not go out with an English description by accident.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { loadManuscriptFiles, type Manuscript } from './load.js';
import { findTranslationFiles } from './translation-files.js';
import { checkTranslationSync } from './translation-sync.js';
import { derivedIdentifier, slugify, uuidUrnOf } from './identity.js';
import { problem } from '../base/problems.js';

export interface Translation {
  lang: string;
  manuscript: Manuscript;
}

/**
 * Never taken from the source: the translation's own language, identity and record of what it translates, and a
 * finished cover, whose words are in the source's language (the translation's cover is drawn from its own title).
 */
const NOT_INHERITED = new Set(['lang', 'identifier', 'sourceHash', 'translator', 'reviewedBy', 'cover']);
/** Text in the source's language: inherited with a warning. */
const PROSE_KEYS = ['title', 'subtitle', 'description', 'keywords', 'disclaimer', 'rights', 'accessibilitySummary'];

/**
 * The translations of `source` (read from `input`), each checked against the source it says it translates
 * (translation-sync.ts). `languages`, when given, limits them; a language named there with no translation is an error.
 */
export async function loadTranslations(source: Manuscript, input: string, languages?: readonly string[]): Promise<Translation[]> {
  const resolved = path.resolve(input);
  const found = await findTranslationFiles(source.root, source.files.map(({ file }) => file.path!), resolved);
  const wanted = languages?.filter((lang) => lang.toLowerCase() !== source.metadata.lang.toLowerCase());
  const missing = wanted?.filter((lang) => !found.some((files) => files.lang.toLowerCase() === lang.toLowerCase()));
  if (missing?.length) {
    const example = (await stat(resolved)).isDirectory() ? `${path.basename(resolved)}.${missing[0]}/` : path.basename(resolved).replace(/\.md$/, `.${missing[0]}.md`);
    throw problem(`no translation for ${missing.join(', ')}`, {
      file: resolved,
      hint: `Translations live beside the source, e.g. ${example}. Found: ${[source.metadata.lang, ...found.map((files) => files.lang)].join(', ')}.`,
    });
  }
  const chosen = wanted ? found.filter((files) => wanted.some((lang) => lang.toLowerCase() === files.lang.toLowerCase())) : found;
  return Promise.all(
    chosen.map(async ({ lang, root, paths }) => {
      const inheritance = { lang, inherited: inheritedFrontMatter(source, lang), assets: { logo: source.logo, coverArt: source.coverArt, pressProfile: source.pressProfile } };
      const manuscript = await loadManuscriptFiles(root, paths, paths.length === 1 ? paths[0]! : root, { inheritance });
      warnAboutInheritedProse(manuscript, source, lang);
      checkTranslationSync(source, manuscript);
      return { lang, manuscript };
    }),
  );
}

/** The source's front matter a translation starts from: its slug and an identifier of its own besides. */
function inheritedFrontMatter(source: Manuscript, lang: string): Record<string, unknown> {
  const { metadata } = source;
  const sourceIdentifier = metadata.identifier ?? derivedIdentifier(metadata.title, metadata.author ?? []);
  const inherited = Object.fromEntries(Object.entries(source.frontMatter ?? {}).filter(([key]) => !NOT_INHERITED.has(key)));
  return { ...inherited, slug: metadata.slug ?? slugify(metadata.title), identifier: uuidUrnOf(`${sourceIdentifier} ${lang}`) };
}

function warnAboutInheritedProse(translation: Manuscript, source: Manuscript, lang: string): void {
  const own = translation.frontMatter ?? {};
  const first = translation.files[0]!.file;
  for (const key of PROSE_KEYS) {
    if (own[key] !== undefined || source.frontMatter?.[key] === undefined) continue;
    const message = first.message(`\`${key}\` comes from ${path.basename(source.files[0]!.file.path!)}, in ${source.metadata.lang}, not ${lang}`, {
      place: { line: 1, column: 1 },
      ruleId: 'translation-inherited',
      source: 'press',
    });
    message.note = `Give the translated \`${key}\` in this file's front matter.`;
  }
}
