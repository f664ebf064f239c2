/**
 * The running header and the page number as pagination artifacts.
 *
 * Chromium tags the page's content, but paints the @page margin boxes (styles/print.css)
 * as content of no kind: neither tagged nor an artifact. PDF/UA asks that every piece of
 * content be one or the other, and assistive technology reading untagged text may read
 * the running title and "3 / 12" aloud on every page. Running heads and folios are what
 * the PDF standard's pagination artifacts are for (ISO 32000-1, 14.8.2.2).
 *
 * Skia paints the margin boxes first, each page's stream opening with them as one
 * `q … Q` block before the tagged content. Each such leading block that paints but holds
 * no marked content is wrapped in `/Artifact <</Type /Pagination>> BDC … EMC`.
 * The rest of the stream is searched for other untagged painting (untagged.ts).
 */
import { latin1Text } from './chromium-pdf.js';
import { markUntaggedPainting } from './untagged.js';
import { contentTokens } from './content-tokens.js';

const HEAD = 8192;
const OPEN_ARTIFACT = '/Artifact <</Type /Pagination>> BDC\n';
const CLOSE_ARTIFACT = '\nEMC\n';

/**
 * A page's stream (`content`, decoded) with its leading, untagged painting marked as a pagination
 * artifact, and any other untagged painting as an artifact (untagged.ts): `marked` is undefined when
 * nothing was. A page of several streams (a book printed in parts: its margin boxes drawn by a stream
 * of their own, pdf-postprocess/join-parts.ts) has each marked so: each of them starts with what it
 * paints in its page's margins, if anything. Also the glyphs the stream shows as `.notdef`: characters
 * printed as empty boxes (untagged.ts).
 */
export function markArtifacts(content: Buffer): { marked: Buffer | undefined; notdefGlyphs: number } {
  // The margin boxes come first and are short: the rest of the page, far longer, is decoded only if need be.
  const blocks = leadingUntaggedBlocks(latin1Text(content.subarray(0, HEAD)), content.length <= HEAD) ?? leadingUntaggedBlocks(latin1Text(content), true)!;
  const paginated = blocks
    ? Buffer.concat([
        content.subarray(0, blocks.start),
        Buffer.from(OPEN_ARTIFACT),
        content.subarray(blocks.start, blocks.end),
        Buffer.from(CLOSE_ARTIFACT),
        content.subarray(blocks.end),
      ])
    : content;
  const { marked, notdefGlyphs } = markUntaggedPainting(paginated);
  return { marked: marked ?? (blocks ? paginated : undefined), notdefGlyphs };
}

/**
 * Where the stream's leading `q … Q` blocks that paint and hold no marked content start
 * and end; none when the stream does not open with one. Operands are skipped as PDF
 * tokens, so that `(Q)` or `<51>` in a string is not taken for an operator. Undefined
 * when `text` is only the start of the stream and ends before that is known.
 */
export function leadingUntaggedBlocks(text: string, whole: boolean): { start: number; end: number } | null | undefined {
  let depth = 0;
  let paints = false;
  let start = -1;
  let end = -1;
  const found = () => (end === -1 ? null : { start, end });
  // Right-to-left text in a margin box comes in marked content that is no tag: `/ReversedChars BMC` around a
  // run set in visual order, and `/Span <</ActualText …>> BDC` around each joined Arabic letter. It is part of the block.
  let operands: string[] = [];
  let textMarks = 0;
  for (const token of contentTokens(text)) {
    // A token that touches the end of a partial text may be cut short.
    if (!whole && token.end >= text.length) return undefined;
    if (token.kind !== 'operator') {
      operands.push(token.text);
      continue;
    }
    const operator = token.text;
    const marks = operands;
    operands = [];
    if (isTextMark(operator, marks)) {
      textMarks += 1;
      continue;
    }
    if (operator === 'EMC' && textMarks > 0) {
      textMarks -= 1;
      continue;
    }
    if (operator === 'BDC' || operator === 'BMC' || operator === 'EMC' || operator === 'BI') return found();
    if (operator === 'q') {
      if (depth === 0 && start === -1) start = token.start;
      depth += 1;
    } else if (operator === 'Q') {
      depth -= 1;
      if (depth < 0) return found();
      if (depth === 0) {
        if (!paints) return found();
        end = token.end;
        paints = false;
      }
    } else if (PAINTING.has(operator)) {
      if (depth === 0) return found();
      paints = true;
    }
  }
  return whole ? (depth === 0 ? found() : null) : undefined;
}

/** `/ReversedChars BMC`, or `/Span <</ActualText …>> BDC` with no MCID: marks on text that tag nothing. */
function isTextMark(operator: string, operands: string[]): boolean {
  if (operator === 'BMC') return operands[0] === '/ReversedChars';
  return operator === 'BDC' && operands[0] === '/Span' && operands.includes('/ActualText') && !operands.includes('/MCID');
}

/** Operators that put marks on the page: text showing, path painting (not `n`), XObjects and shadings. */
const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'Do', 'sh']);
