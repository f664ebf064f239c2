/**
 * A character that no font of the build covers prints as an empty box (the
 * font's `.notdef` glyph) in the PDF, or in whatever font a reading system
 * finds in the EPUB, and nothing else says so: Japanese printed as boxes with
 * no warning was how issue #20 began. Each such character is a warning at its
 * line, naming the characters, so that the writer can replace them.
 */
import type { Manuscript } from './load.js';
import { fontFacesFor } from '../fonts/faces.js';
import { uncoveredCharacters } from '../fonts/coverage.js';
import { SCRIPT_FAMILIES } from '../fonts/script-fonts.js';

/** Variation selectors (an emoji's U+FE0F) choose a form of the character before them: they print nothing. */
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

const named = (char: string) => `${char} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

/**
 * Records the warnings on the manuscript's files; the fonts are those a build in its language would choose.
 * Returns the characters found, for the PDF's PDF/UA verdict (a glyph no font has is not PDF/UA).
 */
export function warnUncoveredCharacters(manuscript: Manuscript): string[] {
  const uncovered = new Set<string>();
  for (const { file } of manuscript.files) {
    const text = String(file.value);
    const faces = fontFacesFor(text, true, manuscript.metadata.lang, { italic: true, bold: true });
    const missing = new Set(uncoveredCharacters(text, faces).filter((char) => !VARIATION_SELECTOR.test(char)));
    if (!missing.size) continue;
    for (const char of missing) uncovered.add(char);
    text.split('\n').forEach((line, index) => {
      const found = [...new Set([...line].filter((char) => missing.has(char)))];
      if (!found.length) return;
      const message = file.message(`no font has ${found.map(named).join(', ')}: printed as an empty box`, {
        place: { line: index + 1, column: line.indexOf(found[0]!) + 1 },
        ruleId: 'uncovered-characters',
        source: 'press',
      });
      message.note = `Replace ${found.length > 1 ? 'them' : 'it'} with words or with characters the fonts have: Source Serif 4, Source Sans 3 and Source Code Pro (Latin, Greek, Cyrillic) and ${SCRIPT_FAMILIES.join(', ')}.`;
    });
  }
  return [...uncovered];
}
