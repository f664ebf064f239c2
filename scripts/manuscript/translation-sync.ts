/**
 * Translations cannot silently go stale. After review, `npm run translation --
 * mark` records in the translation's front matter (`sourceHash`) a digest of
 * each section of the source it translates; the build compares them with the
 * source as it is now, section by section, and names the sections that changed,
 * so that the translator knows what to redo (po4a and mdBook's translators
 * keep such a record per paragraph; a patient leaflet's reviewer works per
 * section).
 *
 * A section starts at each heading and runs to the next; text before the first
 * heading is a section of its own. Sections are keyed by the heading's slug, so
 * that a section moved or added elsewhere does not mark every later one as
 * changed; a digest is of the section's Markdown with its white space folded,
 * so that rewrapping a paragraph changes nothing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type { Manuscript } from './load.js';

export interface SourceSection {
  /** The heading's slug (`improves-circulation`); `_start` for text before the first heading. */
  key: string;
  /** The heading's text, as messages name the section. */
  title: string;
  digest: string;
}

export const START_KEY = '_start';

/** The manuscript's sections, in reading order, each with the digest of its Markdown. */
export function sourceSections(manuscript: Manuscript): SourceSection[] {
  const slugger = new GithubSlugger();
  const sections: { key: string; title: string; text: string[] }[] = [];
  for (const { file, tree } of manuscript.files) {
    const source = String(file.value);
    for (const node of tree.children) {
      if (node.type === 'heading') {
        const title = toString(node);
        sections.push({ key: slugger.slug(title), title, text: [] });
      } else if (!sections.length) {
        sections.push({ key: START_KEY, title: '(before the first heading)', text: [] });
      }
      const { start, end } = node.position ?? {};
      sections.at(-1)!.text.push(start && end ? source.slice(start.offset, end.offset) : toString(node));
    }
  }
  return sections.map(({ key, title, text }) => ({ key, title, digest: digest(text.join('\n')) }));
}

const digest = (markdown: string) => createHash('sha256').update(markdown.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 12);

/** What `sourceHash` records: each section's digest by its key. */
export function sourceHashOf(source: Manuscript): Record<string, string> {
  return Object.fromEntries(sourceSections(source).map(({ key, digest }) => [key, digest]));
}

/** The sections of `source` that are not as `recorded`: changed or new, then those gone since (by their key). */
export function changedSections(recorded: Record<string, string>, source: Manuscript): { changed: string[]; removed: string[] } {
  const current = sourceSections(source);
  return {
    changed: current.filter(({ key, digest }) => recorded[key] !== digest).map(({ title }) => title),
    removed: Object.keys(recorded).filter((key) => !current.some((section) => section.key === key)),
  };
}

/** `foot-massage.es.md`, or `manuscript.es/` for a folder: how messages name a manuscript. */
export function manuscriptName(manuscript: Manuscript): string {
  return manuscript.files.length === 1 ? path.basename(manuscript.files[0]!.file.path!) : `${path.basename(manuscript.root)}/`;
}

/**
 * A warning on the translation when it records no source, or an older one: "foot-massage.es.md translates an older
 * foot-massage.md: changed sections: Improves Circulation, Promotes Sleep". Returns whether it is up to date.
 */
export function checkTranslationSync(source: Manuscript, translation: Manuscript): boolean {
  const first = translation.files[0]!.file;
  const name = manuscriptName(translation);
  const mark = `npm run translation -- mark ${path.relative(process.cwd(), first.path!) || first.path}`;
  const recorded = translation.metadata.sourceHash;
  if (!recorded) {
    const message = first.message(`${name} does not record which version of ${manuscriptName(source)} it translates`, {
      place: { line: 1, column: 1 },
      ruleId: 'translation-unmarked',
      source: 'press',
    });
    message.note = `Once the translation has been reviewed against the source, run \`${mark}\`.`;
    return false;
  }
  const { changed, removed } = changedSections(recorded, source);
  if (!changed.length && !removed.length) return true;
  const parts = [changed.length ? `changed sections: ${changed.join(', ')}` : '', removed.length ? `removed sections: ${removed.join(', ')}` : ''];
  const message = first.message(`${name} translates an older ${manuscriptName(source)}: ${parts.filter(Boolean).join('; ')}`, {
    place: sourceHashLine(String(first.value)),
    ruleId: 'translation-stale',
    source: 'press',
  });
  message.note = `Update the translation of ${changed.length + removed.length === 1 ? 'that section' : 'those sections'}, have it reviewed, then run \`${mark}\`.`;
  return false;
}

/** Where `sourceHash:` is in the file's front matter, for the warning to point at. */
function sourceHashLine(text: string): { line: number; column: number } {
  const at = /^sourceHash\s*:/m.exec(text)?.index;
  return { line: at === undefined ? 1 : text.slice(0, at).split('\n').length, column: 1 };
}
