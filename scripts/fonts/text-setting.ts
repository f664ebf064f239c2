/**
 * Text set without a browser, for the drawn cover (render/cover-page.ts): shaped by HarfBuzz (harfbuzzjs, the
 * shaper Chromium itself uses) in the publication's own font files, broken into lines, and drawn as the glyphs'
 * outlines, so that whatever rasterises the result needs no font and shows exactly what HarfBuzz shaped.
 *
 * - Each character is set in the face CSS would pick for it among the declared faces of the style: the last
 *   declared face whose `unicode-range` claims it and whose file has it (script faces are declared before the
 *   Source ones, so Source sets the Latin both cover). Marks, joiners and spaces stay in the face before them.
 * - Direction by the Unicode bidirectional algorithm (bidi-js), the paragraph's base direction the language's:
 *   a Latin brand name in an Arabic title is shaped left to right, in its place.
 * - Lines break after spaces and after hyphens before a letter (not in `COVID-19`), and in scripts written without spaces (Chinese, Japanese, Thai…) at
 *   the word boundaries of Intl.Segmenter, never before closing punctuation nor after opening punctuation.
 *   `balance` makes the lines as even as CSS `text-wrap: balance`: the narrowest measure that keeps the line count.
 *
 * Widths are in em until drawn: a text is shaped once, then measured at any size.
 */
import { readFile } from 'node:fs/promises';
import bidiFactory from 'bidi-js';
import { rangeTest, type FontFace } from './coverage.js';
import { openFont, type OpenFont } from './font-files.js';

const bidi = bidiFactory();

/** The CSS the text is set in: the family, weight and style its faces are declared under, and letter-spacing. */
export interface TextStyle {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /** Space after each character, in em (CSS `letter-spacing`); none in cursive scripts, whose letters join. */
  letterSpacing?: number;
}

interface OpenFace {
  face: FontFace;
  font: OpenFont['font'];
  hb: OpenFont['hb'];
  upem: number;
  claims: RegExp;
}

const opened = new Map<string, Promise<OpenFace>>();
function openFace(face: FontFace): Promise<OpenFace> {
  let opening = opened.get(face.path);
  if (!opening) {
    opening = readFile(face.path).then(async (bytes) => {
      const { hb, face: hbFace, font } = await openFont(bytes);
      return { face, font, hb, upem: hbFace.upem, claims: rangeTest(face.unicodeRange) };
    });
    opened.set(face.path, opening);
  }
  return opening;
}

/** One glyph as shaped: its font, id, the character it starts from, and its advance and offsets in em. */
interface ShapedGlyph {
  font: OpenFace;
  glyph: number;
  cluster: number;
  advance: number;
  xOffset: number;
  yOffset: number;
  /** The run (same face, same direction) it was shaped in: runs are laid out in visual order. */
  run: number;
}

/** A line: the characters from `start` to `end` (trailing spaces left out) and their width in em. */
export interface LineRange {
  start: number;
  end: number;
  width: number;
}

/** Characters of scripts written without spaces between words (and CJK punctuation and full-width forms). */
const WITHOUT_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff00-\uffef]/u;
/** Never at the start of a line (kinsoku: closing punctuation, small kana, the prolonged sound mark). */
const NO_BREAK_BEFORE = /[、。，．：；？！）」』】〕〉》”’ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・…!?,.:;)\]}%]/u;
/** Never at the end of a line (opening punctuation). */
const NO_BREAK_AFTER = /[（「『【〔〈《“‘(\[{]/u;
/** Kept in the face of the character before them: marks, joiners, variation selectors, spaces. */
const FOLLOWS_BEFORE = /[\p{M}\p{Cf}\s\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/u;
const SPACE = /\s/u;
const CURSIVE = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}]/u;

/** `text` shaped in the faces declared for `style` (first: the face whose metrics set the line, CSS's first available). */
export async function shapeText(text: string, faces: readonly FontFace[], style: TextStyle, lang: string, dir: 'ltr' | 'rtl'): Promise<ShapedText> {
  const declared = faces.filter((face) => face.family === style.family && face.weight === style.weight && face.style === style.style);
  if (!declared.length) throw new Error(`no face is declared for ${style.family} ${style.weight} ${style.style}`);
  const primary = declared.find((face) => face.subset === 'latin') ?? declared[0]!;
  // Only the faces that claim a character of the text are opened (a CJK family has a hundred slices).
  const claiming = declared.filter((face) => face === primary || rangeTest(face.unicodeRange).test(text));
  const fonts = await Promise.all(claiming.map(openFace));
  const primaryFont = fonts[claiming.indexOf(primary)]!;

  // The face of each UTF-16 index: the last declared that claims and has the character.
  const faceAt: OpenFace[] = [];
  let previous = primaryFont;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    const char = String.fromCodePoint(codePoint);
    let chosen = previous;
    if (!FOLLOWS_BEFORE.test(char) || index === 0) {
      const claimants = fonts.filter((font) => font.claims.test(char)).reverse();
      chosen = claimants.find((font) => font.font.nominalGlyph(codePoint) !== undefined) ?? claimants[0] ?? primaryFont;
    }
    for (let unit = 0; unit < char.length; unit++) faceAt[index + unit] = chosen;
    previous = chosen;
    index += char.length;
  }

  const embedding = bidi.getEmbeddingLevels(text, dir);
  const { levels } = embedding;
  // Runs of one face and one level, each shaped in the text around it (HarfBuzz sees the context of a join).
  const glyphs: ShapedGlyph[] = [];
  const letterSpacing = style.letterSpacing ?? 0;
  let runStart = 0;
  let run = 0;
  for (let index = 1; index <= text.length; index++) {
    if (index < text.length && faceAt[index] === faceAt[runStart] && levels[index] === levels[runStart]) continue;
    const font = faceAt[runStart]!;
    const buffer = new font.hb.Buffer();
    buffer.addText(text, runStart, index - runStart);
    buffer.guessSegmentProperties();
    buffer.setDirection(levels[runStart]! % 2 ? font.hb.Direction.RTL : font.hb.Direction.LTR);
    buffer.setLanguage(lang);
    font.hb.shape(font.font, buffer);
    const spaced = letterSpacing !== 0 && !CURSIVE.test(text.slice(runStart, index));
    let lastCluster = -1;
    for (const shaped of buffer.getGlyphInfosAndPositions()) {
      const newCluster = shaped.cluster !== lastCluster;
      lastCluster = shaped.cluster;
      glyphs.push({
        font,
        glyph: shaped.codepoint,
        cluster: shaped.cluster,
        advance: (shaped.xAdvance ?? 0) / font.upem + (spaced && newCluster ? letterSpacing : 0),
        xOffset: (shaped.xOffset ?? 0) / font.upem,
        yOffset: (shaped.yOffset ?? 0) / font.upem,
        run,
      });
    }
    run += 1;
    runStart = index;
  }
  return new ShapedText(text, glyphs, embedding, breakOpportunities(text, lang), primaryFont);
}

/** Where a line may start: after spaces and hyphens, and between words of scripts written without spaces. */
function breakOpportunities(text: string, lang: string): number[] {
  const opportunities: number[] = [];
  for (const { index } of new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)) {
    if (index === 0) continue;
    const before = String.fromCodePoint(text.codePointAt(index - 1 - Number(/[\udc00-\udfff]/.test(text[index - 1]!)))!);
    const after = String.fromCodePoint(text.codePointAt(index)!);
    if (SPACE.test(after)) continue;
    if (SPACE.test(before) || (/[-‐]/.test(before) && /\p{L}/u.test(after))) opportunities.push(index);
    else if ((WITHOUT_SPACES.test(before) || WITHOUT_SPACES.test(after)) && !NO_BREAK_BEFORE.test(after) && !NO_BREAK_AFTER.test(before)) opportunities.push(index);
  }
  return opportunities;
}

/** Where a glyph is drawn and how: what render/cover-page.ts turns into SVG. */
export interface PlacedGlyph {
  /** The outline, in font units, y up (HarfBuzz's draw). */
  outline: () => string;
  /** A name for the outline, the same for the same glyph of the same file. */
  key: string;
  x: number;
  baseline: number;
  /** px per font unit. */
  scale: number;
}

export class ShapedText {
  /** Each character's advance (a cluster's, at its first character), in em. */
  private readonly advances: Float64Array;
  /** The pieces a line is made of: from one break opportunity to the next. */
  private readonly pieces: { start: number; end: number; body: number; trailing: number }[] = [];

  constructor(
    readonly text: string,
    private readonly glyphs: readonly ShapedGlyph[],
    private readonly embedding: ReturnType<typeof bidi.getEmbeddingLevels>,
    opportunities: readonly number[],
    private readonly primary: OpenFace,
  ) {
    this.advances = new Float64Array(text.length);
    for (const glyph of glyphs) this.advances[glyph.cluster] = this.advances[glyph.cluster]! + glyph.advance;
    const starts = [0, ...opportunities];
    for (const [index, start] of starts.entries()) {
      const end = starts[index + 1] ?? text.length;
      let bodyEnd = end;
      while (bodyEnd > start && SPACE.test(text[bodyEnd - 1]!)) bodyEnd--;
      this.pieces.push({ start, end, body: this.width(start, bodyEnd), trailing: this.width(bodyEnd, end) });
    }
  }

  private width(start: number, end: number): number {
    let sum = 0;
    for (let index = start; index < end; index++) sum += this.advances[index]!;
    return sum;
  }

  /** The widest piece no line can break, in em: a title is set small enough for it to fit. */
  get widestWord(): number {
    return Math.max(0, ...this.pieces.map((piece) => piece.body));
  }

  /** The lines at `size` px in a measure of `measure` px; `balance`: as even as the same number of lines allows. */
  lines(size: number, measure: number, balance = false): LineRange[] {
    const greedy = this.greedy(measure / size);
    if (!balance || greedy.length < 2) return greedy;
    // The narrowest measure that still gives as many lines, to a hundredth of a pixel.
    let [narrow, wide] = [this.widestWord, measure / size];
    while (wide - narrow > 0.01 / size) {
      const middle = (narrow + wide) / 2;
      if (this.greedy(middle).length > greedy.length) narrow = middle;
      else wide = middle;
    }
    return this.greedy(wide);
  }

  /** As many pieces on each line as fit in `measure` em (a piece wider than that alone on its line). */
  private greedy(measure: number): LineRange[] {
    const lines: LineRange[] = [];
    let line: { start: number; end: number; width: number; trailing: number } | undefined;
    for (const piece of this.pieces) {
      if (line && line.width + line.trailing + piece.body <= measure + 1e-9) {
        line.width += line.trailing + piece.body;
        line.trailing = piece.trailing;
        line.end = piece.end;
        continue;
      }
      if (line) lines.push(this.closed(line));
      line = { start: piece.start, end: piece.end, width: piece.body, trailing: piece.trailing };
    }
    if (line) lines.push(this.closed(line));
    return lines;
  }

  private closed({ start, end, width }: { start: number; end: number; width: number }): LineRange {
    while (end > start && SPACE.test(this.text[end - 1]!)) end--;
    return { start, end, width };
  }

  /** The font's ascent and descent in em: they place the baseline in a line (CSS's half-leading). */
  get metrics(): { ascent: number; descent: number; lineGap: number } {
    const { ascender, descender, lineGap } = this.primary.font.hExtents();
    return { ascent: ascender / this.primary.upem, descent: -descender / this.primary.upem, lineGap: lineGap / this.primary.upem };
  }

  /** CSS `line-height: normal` in em. */
  get normalLineHeight(): number {
    const { ascent, descent, lineGap } = this.metrics;
    return ascent + descent + lineGap;
  }

  /**
   * The glyphs of `lines` placed from `top` (px), each line `lineHeight` em high, aligned to the start side of
   * `left`…`right` for the paragraph's direction.
   */
  place(lines: readonly LineRange[], { size, lineHeight, top, left, right, dir }: { size: number; lineHeight: number; top: number; left: number; right: number; dir: 'ltr' | 'rtl' }): PlacedGlyph[] {
    const { ascent, descent } = this.metrics;
    const placed: PlacedGlyph[] = [];
    for (const [index, line] of lines.entries()) {
      const baseline = top + (index * lineHeight + (lineHeight - ascent - descent) / 2 + ascent) * size;
      const inLine = this.visualOrder(line);
      const width = inLine.reduce((sum, glyph) => sum + glyph.advance, 0) * size;
      let x = dir === 'rtl' ? right - width : left;
      for (const glyph of inLine) {
        const scale = size / glyph.font.upem;
        placed.push({
          outline: () => glyph.font.font.glyphToPath(glyph.glyph),
          key: `${glyph.font.face.fileName}#${glyph.glyph}`,
          x: x + glyph.xOffset * size,
          baseline: baseline - glyph.yOffset * size,
          scale,
        });
        x += glyph.advance * size;
      }
    }
    return placed;
  }

  /** The line's glyphs left to right: its runs in the order the bidirectional algorithm puts them. */
  private visualOrder({ start, end }: LineRange): ShapedGlyph[] {
    if (end <= start) return [];
    const order = Array.from({ length: end - start }, (_, index) => start + index);
    for (const [from, to] of bidi.getReorderSegments(this.text, this.embedding, start, end - 1)) {
      order.splice(from - start, to - from + 1, ...order.slice(from - start, to - start + 1).reverse());
    }
    const position = new Map(order.map((character, index) => [character, index]));
    const inLine = this.glyphs.filter((glyph) => glyph.cluster >= start && glyph.cluster < end);
    const runPlace = new Map<number, number>();
    for (const glyph of inLine) runPlace.set(glyph.run, Math.min(runPlace.get(glyph.run) ?? Infinity, position.get(glyph.cluster)!));
    // Within a run HarfBuzz gives the glyphs left to right already, whichever its direction.
    return inLine
      .map((glyph, index) => ({ glyph, index }))
      .sort((a, b) => runPlace.get(a.glyph.run)! - runPlace.get(b.glyph.run)! || a.index - b.index)
      .map(({ glyph }) => glyph);
  }
}
