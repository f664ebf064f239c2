/**
 * A character that no font of the build covers is not printed in the
 * publication's type: the browser sets it in a font of its own if it has one
 * (the bundled Chromium has only Open Sans), or as an empty box, and a reading
 * system does the same with the EPUB. Nothing else says so: Japanese printed as
 * boxes with no warning was how issue #20 began, and Vietnamese letters in Open
 * Sans inside Source Serif words how #26 did. Each such character is a warning at
 * its line, naming the characters, so that the writer can replace them (an
 * error under --strict), and the PDF then makes no PDF/UA-1 claim.
 *
 * A language whose script needs a font package that `npm install` left out
 * (Noto Sans HK for `zh-HK`) is an error at its `lang`, naming the command that
 * installs it.
 */
import type { Manuscript } from './load.js';
import { fontFacesFor } from '../fonts/faces.js';
import { charactersWithoutFont } from '../fonts/coverage.js';
import { MissingFontPackage, scriptFamiliesInstalled } from '../fonts/script-fonts.js';
import { fileProblem } from '../base/problems.js';

/** Variation selectors (an emoji's U+FE0F) choose a form of the character before them: they print nothing. */
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

const named = (char: string) => `${char} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

/**
 * Records the warnings on the manuscript's files; the fonts are those a build in its language would choose.
 * Returns the characters found, for the PDF's PDF/UA verdict (a glyph no font has is not PDF/UA).
 */
export async function warnUncoveredCharacters(manuscript: Manuscript): Promise<string[]> {
  const uncovered = new Set<string>();
  for (const { file } of manuscript.files) {
    const text = String(file.value);
    let faces;
    try {
      faces = fontFacesFor(text, true, manuscript.metadata.lang, { italic: true, bold: true });
    } catch (error) {
      if (!(error instanceof MissingFontPackage)) throw error;
      const at = /^lang\s*:/m.exec(text)?.index;
      fileProblem(file, `${error.message}: the ${manuscript.metadata.lang} edition cannot be set`, {
        place: { line: at === undefined ? 1 : text.slice(0, at).split('\n').length, column: 1 },
        hint: `It is left out of \`npm install\` for its size; install it with \`${error.command}\`, then build again.`,
        ruleId: 'font-package-missing',
        fatal: true,
      });
      continue;
    }
    const missing = new Set((await charactersWithoutFont(text, faces)).filter((char) => !VARIATION_SELECTOR.test(char)));
    if (!missing.size) continue;
    for (const char of missing) uncovered.add(char);
    text.split('\n').forEach((line, index) => {
      const found = [...new Set([...line].filter((char) => missing.has(char)))];
      if (!found.length) return;
      const them = found.length > 1 ? 'them' : 'it';
      const message = file.message(
        `no font of the publication has ${found.map(named).join(', ')}: the browser sets ${them} in a font of its own, or as an empty box where it has none (the bundled Chromium has only Latin, Greek and Cyrillic), and the PDF makes no PDF/UA-1 claim`,
        { place: { line: index + 1, column: line.indexOf(found[0]!) + 1 }, ruleId: 'uncovered-characters', source: 'press' },
      );
      message.note = `Replace ${them} with words or with characters the fonts have: Source Serif 4, Source Sans 3 and Source Code Pro (Latin, Vietnamese, Greek, Cyrillic) and ${scriptFamiliesInstalled().join(', ')}.`;
    });
  }
  return [...uncovered];
}
