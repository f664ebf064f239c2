/**
 * A publication whose language has no message file in templates/messages/ prints its imprint, the
 * ebook's navigation and the web page in English: the build says so at the front matter's
 * `lang`, so that a publisher can have the file translated rather than find out from a patient.
 */
import type { Manuscript } from './load.js';
import { messageFileFor } from '../languages/fixed-texts.js';

/** The warning a publication gets when its language has no message file: its imprint and navigation stay English. */
export function warnWithoutFixedTexts(manuscript: Manuscript): void {
  const { lang } = manuscript.metadata;
  if (messageFileFor(lang)) return;
  const first = manuscript.files[0]!.file;
  const at = /^lang\s*:/m.exec(String(first.value))?.index;
  const message = first.message(`no message file for ${lang}: the imprint, the ebook's navigation and the web page are in English`, {
    place: { line: at === undefined ? 1 : String(first.value).slice(0, at).split('\n').length, column: 1 },
    ruleId: 'messages-missing',
    source: 'press',
  });
  message.note = `Add templates/messages/${lang}.yaml, translated by a professional translator from templates/messages/en.yaml.`;
}
