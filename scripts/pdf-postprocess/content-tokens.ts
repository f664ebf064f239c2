/**
 * A PDF content stream's tokens (ISO 32000-1, 7.2 and 8.1): what the artifact marking and the search for
 * untagged painting read a page's stream with. Only what those need: operators and their operands,
 * strings and arrays as whole tokens, with their places in the stream so that a block can be wrapped.
 */
export interface Token {
  kind: 'operator' | 'operand';
  text: string;
  start: number;
  /** Index just after the token. */
  end: number;
}

/** PDF's white-space and delimiter characters, by character code. */
const WHITESPACE = new Set([0, 9, 10, 12, 13, 32]);
const DELIMITER = new Set([...WHITESPACE, ...[...'()<>[]{}/%'].map((char) => char.charCodeAt(0))]);

/** PDF content-stream tokens: operators, and operands (numbers, names, strings, arrays and dictionary brackets). */
export function* contentTokens(text: string): Generator<Token> {
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    const start = at;
    if (WHITESPACE.has(text.charCodeAt(at))) {
      at += 1;
    } else if (char === '%') {
      while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at += 1;
    } else if (char === '(') {
      let nesting = 0;
      for (; at < text.length; at += 1) {
        if (text[at] === '\\') at += 1;
        else if (text[at] === '(') nesting += 1;
        else if (text[at] === ')' && --nesting === 0) break;
      }
      at += 1;
      yield { kind: 'operand', text: '()', start, end: at };
    } else if (char === '<' && text[at + 1] !== '<') {
      at = text.indexOf('>', at) + 1 || text.length;
      yield { kind: 'operand', text: '<>', start, end: at };
    } else if (char === '<' || char === '>') {
      at += 2;
      yield { kind: 'operand', text: char + char, start, end: at };
    } else if (char === '[' || char === ']' || char === '{' || char === '}') {
      at += 1;
      yield { kind: 'operand', text: char, start, end: at };
    } else {
      at += 1;
      while (at < text.length && !DELIMITER.has(text.charCodeAt(at))) at += 1;
      const word = text.slice(start, at);
      const operand = char === '/' || /^[+\-.\d]/.test(word) || word === 'true' || word === 'false' || word === 'null';
      yield { kind: operand ? 'operand' : 'operator', text: word, start, end: at };
    }
  }
}
