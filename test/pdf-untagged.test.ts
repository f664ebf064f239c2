import { describe, expect, it } from 'vitest';
import { markUntaggedPainting, untaggedRanges } from '../scripts/pdf-postprocess/untagged.js';

const TAGGED = '/P <</MCID 0>> BDC BT /F1 9 Tf <0041> Tj ET EMC';

describe('untagged painting', () => {
  it('finds a path with its construction, and an image, outside marked content', () => {
    const path = '0 0 5 5 re f';
    const image = '/X1 Do';
    const text = `q ${TAGGED} 1 0 0 1 0 0 cm ${path} Q q ${image} Q`;
    const found = untaggedRanges(text).map(({ start, end }) => text.slice(start, end));
    expect(found).toEqual([path, image]);
  });

  it('leaves tagged content, artifacts and state changes alone', () => {
    expect(untaggedRanges(`q ${TAGGED} Q /Artifact BMC 0 0 m 5 5 l S EMC q 1 0 0 1 5 5 cm 0 0 5 5 re W n Q`)).toEqual([]);
  });

  it('reads a stream with literal strings token by token, so that "EMC" in a string is text', () => {
    const text = `/P <</MCID 0>> BDC (EMC) Tj EMC (x) Tj`;
    expect(untaggedRanges(text).map(({ start, end }) => text.slice(start, end))).toEqual(['(x) Tj']);
  });

  it('wraps each untagged painting as an artifact and counts .notdef glyphs', () => {
    const { marked, notdefGlyphs } = markUntaggedPainting(Buffer.from(`${TAGGED} /P <</MCID 1>> BDC <0000> Tj EMC 0 0 5 5 re f`, 'latin1'));
    expect(marked!.toString('latin1')).toBe(`${TAGGED} /P <</MCID 1>> BDC <0000> Tj EMC /Artifact BMC\n0 0 5 5 re f\nEMC\n`);
    expect(notdefGlyphs).toBe(1);
    expect(markUntaggedPainting(Buffer.from(TAGGED)).marked).toBeUndefined();
  });
});
