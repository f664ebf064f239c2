import { describe, expect, it } from 'vitest';
import { contentTokens } from '../scripts/pdf-postprocess/content-tokens.js';
import { leadingUntaggedBlocks } from '../scripts/pdf-postprocess/artifacts.js';

/** The operators of a content stream, in order. */
const operators = (text: string) => [...contentTokens(text)].filter((token) => token.kind === 'operator').map((token) => token.text);

const MARGIN_BOX = 'q 1 0 0 1 0 0 cm BT /F4 12 Tf 1 0 0 -1 386 1071 Tm <008f> Tj ET Q';
const TAGGED = 'q 0 0 10 10 re W* n /P <</MCID 0>> BDC BT (Text) Tj ET EMC Q';

describe('reading a content stream', () => {
  it('tells operators from operands: strings, hex strings, names, numbers, arrays and dictionaries', () => {
    expect(operators('.24 0 0 -.24 0 841.9 cm /G3 gs [(Q) -12 (q\\)Q)] TJ <51> Tj /P <</MCID 3>> BDC (a (nested) Q) Tj EMC % Q in a comment\nQ')).toEqual([
      'cm', 'gs', 'TJ', 'Tj', 'BDC', 'Tj', 'EMC', 'Q',
    ]);
  });
});

describe('the leading untagged blocks of a page', () => {
  it('are the margin boxes Chromium paints before the tagged content', () => {
    const text = `.24 0 0 -.24 0 841.9 cm\n${MARGIN_BOX}\n${TAGGED}`;
    const blocks = leadingUntaggedBlocks(text, true)!;
    expect(text.slice(blocks.start, blocks.end)).toBe(MARGIN_BOX);
  });

  it('are all the blocks before the first marked content', () => {
    const text = `${MARGIN_BOX} ${MARGIN_BOX} ${TAGGED}`;
    expect(leadingUntaggedBlocks(text, true)).toEqual({ start: 0, end: MARGIN_BOX.length * 2 + 1 });
  });

  it('are none when the page opens with tagged content, paints outside any block first, or paints nothing', () => {
    expect(leadingUntaggedBlocks(`${TAGGED} ${MARGIN_BOX}`, true)).toBeNull();
    expect(leadingUntaggedBlocks(`0 0 5 5 re f ${MARGIN_BOX} ${TAGGED}`, true)).toBeNull();
    expect(leadingUntaggedBlocks(`q 1 0 0 1 0 0 cm Q ${TAGGED}`, true)).toBeNull();
    expect(leadingUntaggedBlocks('q BI /W 1 /H 1 ID x EI Q', true)).toBeNull();
  });

  it('are not decided on the start of a stream that ends inside them', () => {
    const text = `${MARGIN_BOX} ${TAGGED}`;
    expect(leadingUntaggedBlocks(text.slice(0, 40), false)).toBeUndefined();
    expect(leadingUntaggedBlocks(text.slice(0, text.indexOf('BDC') + 4), false)).toEqual({ start: 0, end: MARGIN_BOX.length });
  });
});
