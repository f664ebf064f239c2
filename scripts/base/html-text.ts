/**
 * HTML's character references (`&#x26;`, `&#38;`, `&amp;`) read as the characters they stand for, where the
 * build reads back what it wrote into a page: the text a print page shows (the glyphs its PDF's text layer is
 * checked against), the text a web page shows (its fonts' subsets), the ids a book's parts link to. Named
 * references are read as micromark reads them, by decode-named-character-reference.
 */
import { decodeNamedCharacterReference } from 'decode-named-character-reference';

const REFERENCE = /&(?:#x([0-9a-f]+)|#(\d+)|([a-z][a-z0-9]*));/gi;

export function readCharacterReferences(text: string): string {
  return text.replace(REFERENCE, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : decimal ? String.fromCodePoint(Number(decimal)) : decodeNamedCharacterReference(name!) || whole,
  );
}
