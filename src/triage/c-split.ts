/**
 * Splitting preprocessed C into the pieces a reducer removes: top-level
 * declarations, and inside them the lists whose items can go one by one
 * (struct/union members, enumerators, parameters, statements of a body).
 * Pure; works on tokens from c-tokens.ts, so braces inside strings,
 * character literals, comments and `__attribute__((...))` never count.
 *
 * The splitter only has to be right about boundaries, not about meaning:
 * every candidate is compiled by the real toolchain, and a wrong guess
 * only costs a rejected candidate.
 */
import { matchBrackets, type Token, tokenize } from './c-tokens.js';

/** Words whose parenthesis is not a parameter list or function declarator. */
const NOT_DECLARATOR = new Set([
  '__attribute__',
  '__attribute',
  '__declspec',
  'asm',
  '__asm__',
  '__asm',
  'typeof',
  '__typeof__',
  '__typeof',
  'sizeof',
  '_Alignof',
  '__alignof__',
  'alignof',
  '_Alignas',
  '_Static_assert',
  'static_assert',
  '__builtin_offsetof',
  'offsetof',
  'if',
  'while',
  'for',
  'switch',
  'return',
  '_Generic',
  '__extension__',
  '__volatile__',
  'volatile',
  '__builtin_types_compatible_p',
  '__builtin_choose_expr',
  '__builtin_va_arg',
  '_Atomic',
  '__auto_type',
]);

/** The top-level declarations of `text`, each as its own text, in order (hash lines are pieces of their own). */
export function splitTopLevel(text: string): string[] {
  const toks = tokenize(text);
  const pairs = matchBrackets(toks);
  const pieces: string[] = [];
  let first = 0;
  const emit = (last: number): void => {
    if (last >= first) pieces.push(text.slice(toks[first].start, toks[last].end));
    first = last + 1;
  };
  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    if (t.kind === 'hash') {
      emit(i - 1);
      emit(i);
      i++;
      continue;
    }
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      const close = pairs.get(i) ?? toks.length - 1;
      if (t.text === '{' && isFunctionBody(toks, pairs, i)) {
        emit(close);
      }
      i = close + 1;
      continue;
    }
    if (t.kind === 'punct' && t.text === ';') emit(i);
    i++;
  }
  emit(toks.length - 1);
  return pieces;
}

/** Whether the `{` at token `i` opens a function body: it follows a parameter list's `)`. */
export function isFunctionBody(toks: readonly Token[], pairs: Map<number, number>, i: number): boolean {
  const prev = toks[i - 1];
  if (prev?.text !== ')') return false;
  const open = openerOf(pairs, i - 1);
  if (open === undefined) return false;
  const before = toks[open - 1];
  if (!before) return false;
  if (before.text === ')') return true; // a function returning a function pointer: f(int))(int) {
  return before.kind === 'id' && !NOT_DECLARATOR.has(before.text);
}

function openerOf(pairs: Map<number, number>, close: number): number | undefined {
  const o = pairs.get(close);
  return o !== undefined && o < close ? o : undefined;
}

export type ListKind = 'members' | 'enumerators' | 'params' | 'statements';

/** A removable-item list inside one declaration: the items' text spans (offsets into the declaration text). */
export interface ItemList {
  readonly kind: ListKind;
  /** Offsets just inside the brackets. */
  readonly innerStart: number;
  readonly innerEnd: number;
  /** Each item's text, separators (`,`) excluded; members and statements include their `;`. */
  readonly items: readonly { readonly start: number; readonly end: number }[];
}

/** Every list in one declaration whose items a reducer may drop, outermost first. */
export function innerLists(decl: string): ItemList[] {
  const toks = tokenize(decl);
  const pairs = matchBrackets(toks);
  const lists: ItemList[] = [];
  walk(0, toks.length, false);
  return lists;

  function walk(from: number, to: number, inBody: boolean): void {
    for (let i = from; i < to; i++) {
      const t = toks[i];
      if (t.kind !== 'punct' || (t.text !== '{' && t.text !== '(')) continue;
      const close = pairs.get(i) ?? to - 1;
      const before = toks[i - 1];
      if (t.text === '(' && before?.kind === 'id' && NOT_DECLARATOR.has(before.text) && !inBody) {
        i = close; // attribute, typeof, asm operands: not a list of ours
        continue;
      }
      const kind = listKind(i, inBody);
      if (kind) lists.push(makeList(kind, i, close));
      walk(i + 1, close, inBody || kind === 'statements');
      i = close;
    }
  }

  function listKind(i: number, inBody: boolean): ListKind | undefined {
    const t = toks[i];
    const before = toks[i - 1];
    if (t.text === '(') {
      if (inBody || !before) return undefined;
      if (before.text === ')' || (before.kind === 'id' && !NOT_DECLARATOR.has(before.text))) return 'params';
      return undefined;
    }
    if (isFunctionBody(toks, pairs, i)) return 'statements';
    const tag = tagKeyword(toks, i);
    if (tag === 'enum') return 'enumerators';
    if (tag === 'struct' || tag === 'union') return 'members';
    if (
      inBody &&
      before &&
      (before.text === ')' ||
        before.text === ';' ||
        before.text === '{' ||
        before.text === '}' ||
        before.text === ':' ||
        before.text === 'else' ||
        before.text === 'do')
    )
      return 'statements';
    return undefined;
  }

  function makeList(kind: ListKind, open: number, close: number): ItemList {
    const items: { start: number; end: number }[] = [];
    let first = open + 1;
    const push = (last: number): void => {
      if (last >= first) items.push({ start: toks[first].start, end: toks[last].end });
      first = last + 1;
    };
    for (let j = open + 1; j < close; j++) {
      const t = toks[j];
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) {
        const c = pairs.get(j) ?? close;
        if (kind === 'statements' && t.text === '{' && endsStatement(j, c, first)) {
          push(c);
        }
        j = c;
        continue;
      }
      if (t.text === ',' && (kind === 'enumerators' || kind === 'params')) {
        push(j - 1);
        first = j + 1;
      } else if (t.text === ';' && (kind === 'members' || kind === 'statements')) push(j);
    }
    push(close - 1);
    return { kind, innerStart: toks[open].end, innerEnd: toks[close].start, items };
  }

  /** A compound statement's `}` ends the statement unless `else` follows or the statement is a `do`, or the braces are a struct/initializer. */
  function endsStatement(open: number, close: number, itemFirst: number): boolean {
    const before = toks[open - 1]?.text;
    if (before === '=' || before === ',' || tagKeyword(toks, open) !== undefined) return false;
    if (toks[itemFirst]?.text === 'do') return false;
    const next = toks[close + 1]?.text;
    return next !== 'else' && next !== ';';
  }
}

/** `struct`/`union`/`enum` when the `{` at `i` opens such a body (skipping a tag name and attributes). */
function tagKeyword(toks: readonly Token[], i: number): string | undefined {
  let k = i - 1;
  for (let guard = 0; guard < 16 && k >= 0; guard++) {
    const t = toks[k];
    if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') return t.text;
    if (t.text === ')') {
      // skip an attribute: __attribute__((...))
      let depth = 0;
      while (k >= 0) {
        if (toks[k].text === ')') depth++;
        else if (toks[k].text === '(' && --depth === 0) break;
        k--;
      }
      k--;
      continue;
    }
    if (t.kind === 'id') {
      k--;
      continue;
    }
    if (t.text === ':') {
      // enum name : type { (C23) — rare; keep walking.
      k--;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `decl` with the list's items replaced by the kept ones, re-joined with the list's separator. */
export function keepItems(decl: string, list: ItemList, keep: readonly boolean[]): string {
  const kept = list.items.filter((_, i) => keep[i]).map((s) => decl.slice(s.start, s.end));
  const sep = list.kind === 'enumerators' || list.kind === 'params' ? ', ' : ' ';
  return decl.slice(0, list.innerStart) + kept.join(sep) + decl.slice(list.innerEnd);
}
