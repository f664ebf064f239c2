// The `bidi-js` package ships no types: only what fonts/text-setting.ts calls is declared.
declare module 'bidi-js' {
  interface EmbeddingLevels {
    levels: Uint8Array;
    paragraphs: { start: number; end: number; level: number }[];
  }
  interface Bidi {
    getEmbeddingLevels(text: string, explicitDirection?: 'ltr' | 'rtl'): EmbeddingLevels;
    /** Ranges (inclusive) to reverse in turn, for the characters from `start` to `end` (inclusive). */
    getReorderSegments(text: string, embeddingLevels: EmbeddingLevels, start?: number, end?: number): [number, number][];
  }
  function bidiFactory(): Bidi;
  export default bidiFactory;
}
