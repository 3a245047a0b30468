/**
 * A small tokenizer for PREPROCESSED C, enough to find declaration
 * boundaries and identifier references: it never needs to understand C,
 * only to not be fooled by strings, character literals, comments and
 * leftover `#` lines (pragmas, line markers). Pure.
 */

export type TokenKind = 'id' | 'num' | 'str' | 'char' | 'punct' | 'hash';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the first character in the source text. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** An identifier as gcc accepts one (`$` included), i.e. a name a declaration can define. */
export function isCName(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text);
}

/** Multi-character punctuators that matter for our decisions (`->` for member access). */
const PUNCT2 = new Set(['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '##']);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let lineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const start = i;
    if (c === '#' && lineStart) {
      // A directive left by the preprocessor (#pragma, line marker): one token to end of line.
      while (i < n && text[i] !== '\n') i += text[i] === '\\' && text[i + 1] === '\n' ? 2 : 1;
      out.push({ kind: 'hash', text: text.slice(start, i), start, end: i });
      continue;
    }
    lineStart = false;
    if (isIdStart(c)) {
      // A string or char literal with an encoding prefix (L"x", u8"x") is a literal, not an identifier.
      let j = i + 1;
      while (j < n && isIdChar(text[j])) j++;
      const word = text.slice(i, j);
      if ((text[j] === '"' || text[j] === "'") && /^(L|u|U|u8)$/.test(word)) {
        i = skipQuoted(text, j);
        out.push({ kind: text[j] === '"' ? 'str' : 'char', text: text.slice(start, i), start, end: i });
        continue;
      }
      i = j;
      out.push({ kind: 'id', text: word, start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      // pp-number: digits, letters, dots, and exponent signs.
      i++;
      while (i < n && (isIdChar(text[i]) || text[i] === '.' || ((text[i] === '+' || text[i] === '-') && /[eEpP]/.test(text[i - 1])))) i++;
      out.push({ kind: 'num', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
      out.push({ kind: c === '"' ? 'str' : 'char', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '.' && text[i + 1] === '.' && text[i + 2] === '.') {
      i += 3;
      out.push({ kind: 'punct', text: '...', start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    i += PUNCT2.has(two) ? 2 : 1;
    out.push({ kind: 'punct', text: text.slice(start, i), start, end: i });
  }
  return out;
}

/** Index just past the closing quote of the literal opening at `i` (an unterminated one ends at the line end). */
function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length && text[j] !== q && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
  return Math.min(text.length, j + 1);
}

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}
function isIdChar(c: string): boolean {
  return isIdStart(c) || isDigit(c);
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Bracket partners by token index, both ways: opener → closer and closer →
 * opener (indices never collide). Unbalanced openers map to the last token.
 */
export function matchBrackets(tokens: readonly Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  const close: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const [i, t] of tokens.entries()) {
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (close[t.text]) {
      // Pop to the matching opener; a stray closer is ignored rather than derailing the rest.
      const at = findLastIndex(stack, (k) => tokens[k].text === close[t.text]);
      if (at < 0) continue;
      pairs.set(stack[at], i);
      pairs.set(i, stack[at]);
      stack.length = at;
    }
  }
  for (const k of stack) pairs.set(k, tokens.length - 1);
  return pairs;
}

function findLastIndex<T>(xs: readonly T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i])) return i;
  return -1;
}
