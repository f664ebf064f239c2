/**
 * What each glyph of a face stands for in the text it sets, found by shaping
 * that text with HarfBuzz (harfbuzzjs, the shaper Chromium itself uses) in the
 * same font file.
 *
 * Chromium's PDF maps each glyph to the character the font's own character map
 * gives it. A glyph that shaping reaches only through the font's substitutions
 * — an Arabic letter's initial, medial or final form, a Nastaliq ligature, an
 * Indic conjunct or below-base form, the dots Noto Naskh draws apart from the
 * letter — has no such character, and Chromium maps it to nothing: search and
 * copy lose it, and PDF/UA-1 (7.21.7) is broken. Shaping gives each glyph its
 * cluster, the characters it was made from; pdf-postprocess/text-layer.ts maps
 * the glyphs Chromium left without text to those.
 *
 * A glyph alone in its cluster stands for all of it (a ligature: several
 * characters). A glyph that shares its cluster with others stands for what the
 * others do not: the cluster's characters less those the other glyphs map to
 * already (ম্যা: ম and া are in the font's map, the ya-phala takes ্য). Where
 * that leaves nothing (a dot drawn apart from its letter), it stands for the
 * cluster's characters: such a glyph is always drawn inside Chromium's
 * `/ActualText` span for the cluster, which readers take instead of the glyphs.
 * A glyph that two characters share (the digits Persian and Arabic write alike)
 * is mapped by Chromium to the one the font's map names first; where it stood
 * for the other one everywhere in the text (۳ in a Persian leaflet, not ٣), it
 * is mapped to that one, so that a search for the Persian number finds it.
 * Chromium embeds the glyphs by their ids in the font file (its subsetter
 * keeps them), so ids from HarfBuzz are ids in the PDF.
 */
import { rangeTest, type FontFace } from './coverage.js';
import { openFont, type OpenFont } from './font-files.js';

/** One font file the publication declares, with its bytes (woff2) and its `unicode-range`. */
export type DeclaredFont = Pick<FontFace, 'fileName' | 'unicodeRange'> & { bytes: Uint8Array };

interface DeclaredOpenFont extends OpenFont {
  declared: DeclaredFont;
  postscriptName: string;
}

/** The PostScript name (name ID 6) of a face. */
const POSTSCRIPT_NAME = 6;

/** The texts a publication shows, for finding out which glyphs of its fonts stand for what. */
export class GlyphTexts {
  private readonly opened = new Map<string, Promise<DeclaredOpenFont>>();

  constructor(
    /** The texts the page shows, each a run that is shaped on its own (a text node of the page). */
    private readonly texts: readonly string[],
    private readonly lang: string,
    private readonly fonts: readonly DeclaredFont[],
  ) {}

  /**
   * For an embedded font (`baseFont`, `XXXXXX+NotoNaskhArabic-Regular`) whose map gives `mapped` (glyph → text), the
   * text of each glyph that shaping the publication's text with its font file makes; undefined when no declared
   * file is that font.
   */
  async of(baseFont: string, mapped: ReadonlyMap<number, string>): Promise<Map<number, GlyphText> | undefined> {
    const source = await this.sourceOf(baseFont.replace(/^[A-Z]{6}\+/, ''), mapped);
    return source ? this.shape(source, mapped) : undefined;
  }

  /**
   * The declared file an embedded font was cut from: of those with its PostScript name (a CJK family's slices share
   * one), the one whose character map gives each glyph the character the embedded font's map says.
   */
  private async sourceOf(postscriptName: string, mapped: ReadonlyMap<number, string>): Promise<DeclaredOpenFont | undefined> {
    const candidates = (await Promise.all(this.fonts.map((declared) => this.open(declared)))).filter((open) => open.postscriptName === postscriptName);
    const agreement = (open: DeclaredOpenFont) =>
      [...mapped].filter(([glyph, text]) => [...text].length === 1 && open.font.nominalGlyph(text.codePointAt(0)!) === glyph).length;
    return candidates.map((open) => ({ open, agrees: agreement(open) })).sort((a, b) => b.agrees - a.agrees)[0]?.open;
  }

  private open(declared: DeclaredFont): Promise<DeclaredOpenFont> {
    let opening = this.opened.get(declared.fileName);
    if (!opening) {
      opening = (async () => {
        const open = await openFont(declared.bytes);
        return { ...open, declared, postscriptName: open.face.getName(POSTSCRIPT_NAME, 'en') };
      })();
      this.opened.set(declared.fileName, opening);
    }
    return opening;
  }

  /** Each glyph's text, shaping every run of the texts that the file's range covers. */
  private shape({ declared, hb, font }: DeclaredOpenFont, mapped: ReadonlyMap<number, string>): Map<number, GlyphText> {
    const inRange = rangeTest(declared.unicodeRange);
    const votes = new Map<number, { whole: Map<string, number>; shared: Map<string, number> }>();
    const vote = (glyph: number, kind: 'whole' | 'shared', text: string) => {
      const entry = votes.get(glyph) ?? { whole: new Map(), shared: new Map() };
      votes.set(glyph, entry);
      entry[kind].set(text, (entry[kind].get(text) ?? 0) + 1);
    };
    const hasText = (glyph: number) => {
      const text = mapped.get(glyph);
      return text !== undefined && !NO_TEXT.has(text);
    };
    for (const run of new Set(this.texts.flatMap((text) => runsIn(text, inRange)))) {
      const buffer = new hb.Buffer();
      buffer.addText(run);
      buffer.guessSegmentProperties();
      buffer.setLanguage(this.lang);
      hb.shape(font, buffer);
      const glyphs = buffer.getGlyphInfos();
      const starts = [...new Set(glyphs.map((glyph) => glyph.cluster))].sort((a, b) => a - b);
      for (const [index, start] of starts.entries()) {
        const text = run.slice(start, starts[index + 1] ?? run.length);
        const members = glyphs.filter((glyph) => glyph.cluster === start).map((glyph) => glyph.codepoint);
        if (members.length === 1) {
          vote(members[0]!, 'whole', text);
          continue;
        }
        // What the glyphs in the font's map already say is not said again by the others.
        let rest = text;
        for (const glyph of members.filter(hasText)) rest = rest.replace(mapped.get(glyph)!, '');
        const without = members.filter((glyph) => !hasText(glyph));
        for (const glyph of without) vote(glyph, without.length === 1 && rest ? 'whole' : 'shared', without.length === 1 && rest ? rest : text);
      }
    }
    const texts = new Map<number, GlyphText>();
    for (const [glyph, { whole, shared }] of votes) {
      const best = mostFrequent(whole) ?? mostFrequent(shared);
      if (best) texts.set(glyph, { text: best, always: whole.size === 1 && shared.size === 0 });
    }
    return texts;
  }
}

/**
 * What a glyph stands for in the text. `always`: it stood alone for these same characters wherever the text has it
 * (a glyph the font's map gives another character that shares it, such as the Arabic-Indic ٣ of a Persian ۳).
 */
export interface GlyphText {
  text: string;
  always: boolean;
}

/** What PDF/UA-1 7.21.7 forbids a glyph to map to (veraPDF's rule 7.21.7-2). */
export const NO_TEXT: ReadonlySet<string> = new Set(['', '\u0000', '\uFEFF', '\uFFFE']);

/** The runs of `text` whose every character `inRange` covers: what Chromium sets in that face at once. */
function runsIn(text: string, inRange: RegExp): string[] {
  const runs: string[] = [];
  let run = '';
  for (const char of text) {
    if (inRange.test(char)) run += char;
    else if (run) {
      runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  return runs;
}

function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  for (const [text, count] of counts) if (best === undefined || count > counts.get(best)!) best = text;
  return best;
}
