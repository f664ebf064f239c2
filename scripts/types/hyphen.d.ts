// The `hyphen` package ships no types: only the two entry points we load are declared.
declare module 'hyphen/hyphen.js' {
  interface HyphenatorOptions {
    hyphenChar?: string;
    minWordLength?: number;
    exceptions?: string[];
  }
  type Hyphenator = (text: string, options?: HyphenatorOptions) => string;
  function createHyphenator(patterns: unknown, options?: { html?: boolean; async?: boolean }): Hyphenator;
  export = createHyphenator;
}
