/** subset-font 2.x ships no types: the one call scripts/outputs/font-subset.ts makes. */
declare module 'subset-font' {
  interface SubsetOptions {
    targetFormat?: 'sfnt' | 'woff' | 'woff2' | 'truetype';
    preserveNameIds?: number[];
    variationAxes?: Record<string, number | { min?: number; max?: number; default?: number }>;
    noLayoutClosure?: boolean;
    keepAllGlyphs?: boolean;
  }
  export default function subsetFont(font: Uint8Array, text: string | undefined, options?: SubsetOptions): Promise<Buffer>;
}

/** fontverter 2.x ships no types: the conversion the tests use to read a WOFF2 font's character map. */
declare module 'fontverter' {
  export function convert(font: Uint8Array, toFormat: 'sfnt' | 'woff' | 'woff2' | 'truetype', fromFormat?: string): Promise<Buffer>;
}
