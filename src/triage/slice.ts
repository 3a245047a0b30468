/**
 * The cheap pass before delta debugging: keep only the top-level
 * declarations an entity transitively needs, following identifier
 * references between declarations. On a preprocessed kernel unit (tens of
 * thousands of lines, almost all of it unrelated headers) this removes
 * nearly everything in one candidate check. Pure.
 *
 * The facts are a heuristic over tokens, deliberately over-approximate
 * (a false reference keeps a declaration too many, which ddmin removes
 * later); the caller verifies the slice with the real toolchain and falls
 * back to plain ddmin when it lost the finding.
 */
import type { EntityRef } from '../canonical/entity.js';
import { isCName, type Token, tokenize } from './c-tokens.js';

/** Names: ordinary identifiers as themselves, struct/union/enum tags as `tag:NAME`. */
export interface DeclFacts {
  readonly defines: ReadonlySet<string>;
  /** Names whose declarations this one needs to compile. */
  readonly refs: ReadonlySet<string>;
  /** Tags only pointed to (`struct foo *`): not needed to compile, but a path along which debug info reaches a type. */
  readonly weakRefs: ReadonlySet<string>;
}

const KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
    'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Complex ' +
    '_Atomic _Alignas _Alignof _Noreturn _Static_assert _Thread_local __attribute__ __attribute __asm__ __asm asm ' +
    '__inline __inline__ __restrict __restrict__ __volatile__ __const __const__ __signed__ __signed __extension__ ' +
    'typeof __typeof__ __typeof __int128 __label__ __builtin_va_list __alignof__ __thread _Float128 __auto_type'
  ).split(' '),
);

const DECLARATOR_NEXT = new Set([';', ',', '=', '[', '(', ':', ')']);
const TAG_WORDS = new Set(['struct', 'union', 'enum']);

export function declFacts(decl: string): DeclFacts {
  const toks = tokenize(decl);
  const defines = new Set<string>();
  const refs = new Set<string>();
  const weakRefs = new Set<string>();
  /** Names this declaration fully defines (it never needs another declaration of them). */
  const ownDefs = new Set<string>();
  // Per open brace: an enum body (enumerators define names), a struct/union
  // body (member names are neither definitions nor references), or other.
  const braces: ('enum' | 'record' | 'other')[] = [];
  let parens = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    const next = toks[i + 1];
    if (t.kind === 'punct') {
      if (t.text === '{') braces.push(bodyKind(toks, i));
      else if (t.text === '}') braces.pop();
      else if (t.text === '(') parens++;
      else if (t.text === ')') parens = Math.max(0, parens - 1);
      continue;
    }
    if (t.kind !== 'id' || KEYWORDS.has(t.text)) continue;
    if (prev && (prev.text === '.' || prev.text === '->')) continue;
    if (prev && TAG_WORDS.has(prev.text)) {
      const name = `tag:${t.text}`;
      // A body defines the tag; so does a mention at file scope outside any
      // parameter list (`struct s;`, `typedef struct s s_t;`), which
      // declares the tag for everything after it.
      if (next?.text === '{') {
        defines.add(name);
        ownDefs.add(name);
      } else {
        if (braces.length === 0 && parens === 0) defines.add(name);
        // A mention needs the body, wherever it is — except behind a
        // pointer, where C is content with an incomplete type. Leaving
        // those out is what keeps `struct device *` from dragging half a
        // kernel into the slice (the slice is verified, so the gamble is safe).
        // Inside a function body a pointer is usually dereferenced
        // (`list->next`), which needs the body: strong there.
        (behindPointer(toks, i) && !braces.includes('other') ? weakRefs : refs).add(name);
      }
      continue;
    }
    const inEnum = braces.at(-1) === 'enum';
    if (inEnum && prev && (prev.text === '{' || prev.text === ',')) {
      defines.add(t.text);
      ownDefs.add(t.text);
      continue;
    }
    if (braces.at(-1) === 'record' && isDeclarator(toks, i, 0)) continue; // a member name
    if (braces.length === 0 && isDeclarator(toks, i, parens)) {
      defines.add(t.text);
      ownDefs.add(t.text);
      continue;
    }
    refs.add(t.text);
  }
  for (const d of ownDefs) {
    refs.delete(d);
    weakRefs.delete(d);
  }
  for (const r of refs) weakRefs.delete(r);
  return { defines, refs, weakRefs };
}

function isDeclarator(toks: readonly Token[], i: number, parens: number): boolean {
  const prev = toks[i - 1];
  const nextText = toks[i + 1]?.text ?? ';';
  const nextOk = DECLARATOR_NEXT.has(nextText) || nextText === '__attribute__' || nextText === 'asm' || nextText === '__asm__';
  if (!nextOk) return false;
  if (parens === 0) return !prev || prev.kind === 'id' || ['*', ')', '}', ','].includes(prev.text);
  // `typedef void (*fn_t)(int);` or `typedef void (fn_t)(int);`: a declarator in
  // parentheses — but not `typeof(x)`, `sizeof(x)`, `__attribute__((x))`.
  if (nextText !== ')') return false;
  if (prev?.text === '*') return true;
  const beforeParen = toks[i - 2];
  return prev?.text === '(' && beforeParen !== undefined && !OPERAND_WORDS.has(beforeParen.text) && beforeParen.text !== '(';
}

/** Words whose parenthesis holds an operand, never a declarator. */
const OPERAND_WORDS = new Set([
  'typeof',
  '__typeof__',
  '__typeof',
  'sizeof',
  '__attribute__',
  '__attribute',
  '_Alignof',
  '__alignof__',
  'asm',
  '__asm__',
  '_Alignas',
]);

/** `struct foo *` or `struct foo const *`: only a pointer to the tag is formed. */
function behindPointer(toks: readonly Token[], i: number): boolean {
  let k = i + 1;
  while (toks[k] && (toks[k].text === 'const' || toks[k].text === 'volatile' || toks[k].text === '__restrict')) k++;
  return toks[k]?.text === '*';
}

function bodyKind(toks: readonly Token[], i: number): 'enum' | 'record' | 'other' {
  const a = toks[i - 1];
  const b = toks[i - 2];
  const word = a?.kind === 'id' && !TAG_WORDS.has(a.text) ? b?.text : a?.text;
  if (word === 'enum') return 'enum';
  return word === 'struct' || word === 'union' ? 'record' : 'other';
}

/** The names an entity (`struct foo`, `typedef u32`, `func f`, `var v`, `enum e`) is declared by; none for base types and datasecs. */
export function entityRoots(entity: EntityRef): string[] {
  const { keyword, name } = entity;
  if (keyword === 'base' || keyword === 'datasec' || !isCName(name)) return [];
  if (keyword === 'struct' || keyword === 'union' || keyword === 'enum') return [`tag:${name}`];
  return [name];
}

/** Declarations needed by `seeds` (indices), transitively: a keep mask over `facts`. */
export function closure(facts: readonly DeclFacts[], seeds: readonly number[]): boolean[] {
  const definers = definerIndex(facts);
  const keep = facts.map(() => false);
  const work = [...seeds];
  while (work.length > 0) {
    const i = work.pop() as number;
    if (keep[i]) continue;
    keep[i] = true;
    for (const r of facts[i].refs) for (const j of definers.get(r) ?? []) if (!keep[j]) work.push(j);
  }
  return keep;
}

function definerIndex(facts: readonly DeclFacts[]): Map<string, number[]> {
  const definers = new Map<string, number[]>();
  for (const [i, f] of facts.entries()) {
    for (const d of f.defines) {
      const list = definers.get(d);
      if (list) list.push(i);
      else definers.set(d, [i]);
    }
  }
  return definers;
}

/** The declarations on a shortest reference path (strong or pointer) from `from` to any of `to`, or undefined. */
function pathTo(facts: readonly DeclFacts[], definers: Map<string, number[]>, from: number, to: ReadonlySet<number>): number[] | undefined {
  const parent = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    if (to.has(i)) {
      const path: number[] = [];
      for (let k = i; k !== -1; k = parent.get(k) as number) path.push(k);
      return path;
    }
    for (const r of [...facts[i].refs, ...facts[i].weakRefs]) {
      for (const j of definers.get(r) ?? []) {
        if (parent.has(j)) continue;
        parent.set(j, i);
        queue.push(j);
      }
    }
  }
  return undefined;
}

/** Indices of the declarations defining any of `names`. */
export function definersOf(facts: readonly DeclFacts[], names: readonly string[]): number[] {
  return facts.flatMap((f, i) => (names.some((n) => f.defines.has(n)) ? [i] : []));
}

/** Indices of the declarations referring to any of `names` (users: a variable or function that makes the compiler emit the type). */
export function usersOf(facts: readonly DeclFacts[], names: readonly string[]): number[] {
  return facts.flatMap((f, i) => (names.some((n) => f.refs.has(n)) ? [i] : []));
}

/**
 * Slices to try, smallest first: the entity's own closure, then the
 * closure of the entity plus one "anchor" whose own closure reaches it.
 * gcc emits debug info only for types something emitted uses, so a lone
 * struct definition (or one only other unused types mention) vanishes from
 * both avenues; anchors are what the compiler emits: variable definitions
 * and non-inline function definitions. At most `maxAnchors` are tried.
 */
export function candidateSlices(decls: readonly string[], facts: readonly DeclFacts[], entity: EntityRef, maxAnchors = 8): boolean[][] {
  const roots = entityRoots(entity);
  if (roots.length === 0) return [];
  const seeds = definersOf(facts, roots);
  if (seeds.length === 0) return [];
  const base = closure(facts, seeds);
  const count = (m: boolean[]): number => m.filter(Boolean).length;
  const definers = definerIndex(facts);
  const seedSet = new Set(seeds);
  const withAnchor: boolean[][] = [];
  for (const [i, d] of decls.entries()) {
    if (base[i] || !isAnchor(d)) continue;
    // The anchor, the definitions on its way to the entity (through
    // pointers too: gcc describes a pointed-to struct it has the body of),
    // and what those need to compile.
    const path = pathTo(facts, definers, i, seedSet);
    if (path) withAnchor.push(closure(facts, [...seeds, ...path]));
  }
  withAnchor.sort((a, b) => count(a) - count(b));
  return [base, ...withAnchor.slice(0, maxAnchors)];
}

/** A declaration the compiler emits code or data for: a variable definition or a non-inline function definition. */
export function isAnchor(decl: string): boolean {
  const toks = tokenize(decl);
  const words = new Set(toks.filter((t) => t.kind === 'id').map((t) => t.text));
  const first = toks[0]?.text;
  if (first === 'typedef' || first === 'extern' || first === '_Static_assert' || first === 'asm' || first === '__asm__') return false;
  if (decl.trimEnd().endsWith('}')) {
    // A function definition: inline ones are emitted only when used.
    const head = decl.slice(0, decl.indexOf('{'));
    return !/\b(inline|__inline|__inline__)\b/.test(head);
  }
  // A declaration with a declarator at depth 0 that is not a prototype: `struct s v;`, `int x = 1;`.
  if (words.has('typedef')) return false;
  const facts = declFacts(decl);
  const names = [...facts.defines].filter((n) => !n.startsWith('tag:'));
  if (names.length === 0) return false;
  return !isPrototype(toks);
}

/** `int f(int);`: a parenthesised list right after the declarator name at depth 0. */
function isPrototype(toks: readonly Token[]): boolean {
  let braces = 0;
  let parens = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '{') braces++;
    else if (t.text === '}') braces--;
    else if (t.text === ')') parens--;
    else if (t.text === '(') {
      const prev = toks[i - 1];
      if (braces === 0 && parens === 0 && prev?.kind === 'id' && !KEYWORDS.has(prev.text)) return true;
      parens++;
    } else if (braces === 0 && parens === 0 && t.text === '=') return false;
  }
  return false;
}

/**
 * The entity plus every anchor whose references reach it, and what they
 * all need: the declarations of the unit that can matter at all. A coarse
 * cut for when no small slice kept the finding — everything else goes in
 * one candidate instead of ddmin's halving.
 */
export function reachingSlice(decls: readonly string[], facts: readonly DeclFacts[], entity: EntityRef): boolean[] | undefined {
  const seeds = definersOf(facts, entityRoots(entity));
  if (seeds.length === 0) return undefined;
  const definers = definerIndex(facts);
  const seedSet = new Set(seeds);
  const extra: number[] = [];
  for (const [i, d] of decls.entries()) {
    if (seedSet.has(i) || !isAnchor(d)) continue;
    const path = pathTo(facts, definers, i, seedSet);
    if (path) extra.push(...path);
  }
  return closure(facts, [...seeds, ...extra]);
}
