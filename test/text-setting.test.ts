/**
 * Text set without a browser (scripts/fonts/text-setting.ts), as the drawn cover sets it: the order of
 * mixed-direction runs, the start side of a right-to-left line, breaks in text without spaces.
 */
import { describe, expect, it } from 'vitest';
import { fontFacesFor, HEADING_FAMILY } from '../scripts/fonts/faces.js';
import { shapeText } from '../scripts/fonts/text-setting.js';

const STYLE = { family: HEADING_FAMILY, weight: 700, style: 'normal' } as const;

/** The text set at 100 px in `measure` px, its inked glyphs (spaces left out) from left to right. */
async function set(text: string, lang: string, dir: 'ltr' | 'rtl', measure = 100_000) {
  const faces = fontFacesFor(text, false, lang, { italic: false, bold: false });
  const shaped = await shapeText(text, faces, STYLE, lang, dir);
  const lines = shaped.lines(100, measure);
  const glyphs = shaped.place(lines, { size: 100, lineHeight: 1.2, top: 0, left: 0, right: measure, dir }).filter((glyph) => glyph.outline() !== '');
  return { lines, glyphs };
}

const isLatin = (key: string) => key.startsWith('source-sans-3-latin-');

describe('text set for the cover', () => {
  it('puts a Latin name inside an Arabic title where the bidirectional algorithm puts it, its letters left to right', async () => {
    const name = 'Foot Massager 3000';
    const { glyphs } = await set(`فوائد ${name} للقدمين`, 'ar', 'rtl');
    // Left to right on the line: the last Arabic word, the name, the first Arabic word.
    const runs = glyphs.map((glyph) => (isLatin(glyph.key) ? 'L' : 'A')).join('').replace(/(.)\1+/g, '$1');
    expect(runs).toBe('ALA');
    // The last word is the leftmost: the same glyphs as that word set alone.
    const lastWord = await set('للقدمين', 'ar', 'rtl');
    expect(glyphs.slice(0, lastWord.glyphs.length).map((glyph) => glyph.key)).toEqual(lastWord.glyphs.map((glyph) => glyph.key));
    for (const [index, glyph] of glyphs.entries()) if (index) expect(glyph.x).toBeGreaterThan(glyphs[index - 1]!.x - 60);
    const alone = await set(name, 'en', 'ltr');
    expect(glyphs.filter((glyph) => isLatin(glyph.key)).map((glyph) => glyph.key)).toEqual(alone.glyphs.map((glyph) => glyph.key));
    // Right-aligned: the line ends at the measure's right edge.
    expect(Math.max(...glyphs.map((glyph) => glyph.x))).toBeGreaterThan(100_000 - 100);
  });

  it('breaks Japanese between words, never before closing punctuation', async () => {
    const text = 'フットマッサージは、足の疲れをやわらげます。';
    const { lines } = await set(text, 'ja', 'ltr', 600);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(text[line.start]).not.toMatch(/[、。]/);
    // Every character is on a line, in order.
    expect(lines.map((line) => text.slice(line.start, line.end)).join('')).toBe(text);
  });
});
