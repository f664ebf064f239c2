/**
 * Painting that Chromium leaves neither tagged nor an artifact, marked as an artifact.
 *
 * PDF/UA asks that every mark on a page be tagged content or an artifact (Matterhorn
 * 01-005). Chromium tags what its accessibility tree holds, so what that tree leaves
 * out is painted as content of no kind: a decorative image (`alt=""`), a list marker
 * drawn as a path, a rule. None of it is content a reader needs read; each such
 * painting operator, with the path it paints, is wrapped in `/Artifact BMC … EMC`.
 *
 * Only the stretches of the stream outside any marked content are read as tokens: they
 * are found by the marked-content operators alone, as Chromium writes its text as hex
 * strings, where `BDC` or `EMC` cannot occur. A stream with a literal string or an
 * inline image, where they could, is read token by token from the start.
 *
 * The same pass counts the glyphs shown as `.notdef` (glyph 0 of a two-byte font): a
 * character no font had, printed as an empty box, which PDF/UA forbids (ISO 14289-1,
 * 7.21.8).
 */
import { contentTokens } from './content-tokens.js';

const OPEN = '/Artifact BMC\n';
const CLOSE = '\nEMC\n';

const MARKED_CONTENT = /\b(BDC|BMC|EMC)\b/g;
/** A painting operator, as a whole token: most stretches outside marked content only set state (`q`, `cm`, `Q`). */
const PAINTS = /(?:^|[\s\])>])(?:Tj|TJ|'|"|S|s|f\*?|F|B\*?|b\*?|Do|sh)(?=[\s[<(/%]|$)/;
const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
/** Operators that paint by themselves: text showing, XObjects, shadings. */
const SHOWING = new Set(['Tj', 'TJ', "'", '"', 'Do', 'sh']);
const NOTDEF = /<0000>\s*Tj/g;

export interface UntaggedPainting {
  /** The stream with every untagged painting operator wrapped as an artifact; undefined when there was none. */
  marked: Buffer | undefined;
  /** Glyphs shown as `.notdef`. */
  notdefGlyphs: number;
}

/** `content` is a page's decoded content stream. */
export function markUntaggedPainting(content: Buffer): UntaggedPainting {
  // One character per byte, so that string positions are byte positions.
  const text = content.toString('latin1');
  const notdefGlyphs = text.match(NOTDEF)?.length ?? 0;
  const ranges = untaggedRanges(text);
  if (ranges.length === 0) return { marked: undefined, notdefGlyphs };
  const parts: Buffer[] = [];
  let at = 0;
  for (const { start, end } of ranges) {
    parts.push(content.subarray(at, start), Buffer.from(OPEN), content.subarray(start, end), Buffer.from(CLOSE));
    at = end;
  }
  parts.push(content.subarray(at));
  return { marked: Buffer.concat(parts), notdefGlyphs };
}

interface Range {
  start: number;
  end: number;
}

/** Where each painting operator outside marked content starts (its operands, or its path's) and ends. */
export function untaggedRanges(content: string): Range[] {
  // A literal string or an inline image may hold "EMC": such a stream is read token by token.
  const plain = !/[(]|\bBI\b/.test(content);
  const ranges: Range[] = [];
  if (!plain) {
    collect(content, 0, ranges);
    return ranges;
  }
  let depth = 0;
  let from = 0;
  for (const match of content.matchAll(MARKED_CONTENT)) {
    if (match[1] === 'EMC') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) from = match.index + 3;
    } else {
      if (depth === 0) collect(content.slice(from, match.index), from, ranges);
      depth += 1;
    }
  }
  if (depth === 0) collect(content.slice(from), from, ranges);
  return ranges;
}

/** The untagged painting in `text`, a stretch of the stream starting at `offset`, at marked-content depth 0 unless it opens some. */
function collect(text: string, offset: number, ranges: Range[]): void {
  if (!PAINTS.test(text)) return;
  let depth = 0;
  let operandsStart: number | undefined;
  let pathStart: number | undefined;
  for (const token of contentTokens(text)) {
    if (token.kind === 'operand') {
      operandsStart ??= token.start;
      continue;
    }
    const start = operandsStart ?? token.start;
    operandsStart = undefined;
    const operator = token.text;
    if (operator === 'BDC' || operator === 'BMC') depth += 1;
    else if (operator === 'EMC') depth = Math.max(0, depth - 1);
    else if (PATH_CONSTRUCTION.has(operator)) pathStart ??= start;
    else if (operator === 'n') pathStart = undefined;
    else if (PATH_PAINTING.has(operator) || SHOWING.has(operator)) {
      if (depth === 0) ranges.push({ start: offset + (PATH_PAINTING.has(operator) ? (pathStart ?? start) : start), end: offset + token.end });
      if (PATH_PAINTING.has(operator)) pathStart = undefined;
    }
  }
}
