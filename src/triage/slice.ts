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
import { type Token, tokenize } from './c-tokens.js';

/** Names: ordinary identifiers as themselves, struct/union/enum tags as `tag:NAME`. */
export interface DeclFacts {
  readonly defines: ReadonlySet<string>;
  readonly refs: ReadonlySet<string>;
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
  // Per open brace: is it an enum body (enumerators define names)?
  const braces: ('enum' | 'other')[] = [];
  let parens = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    const next = toks[i + 1];
    if (t.kind === 'punct') {
      if (t.text === '{') braces.push(prev && isEnumHead(toks, i) ? 'enum' : 'other');
      else if (t.text === '}') braces.pop();
      else if (t.text === '(') parens++;
      else if (t.text === ')') parens = Math.max(0, parens - 1);
      continue;
    }
    if (t.kind !== 'id' || KEYWORDS.has(t.text)) continue;
    if (prev && (prev.text === '.' || prev.text === '->')) continue;
    if (prev && TAG_WORDS.has(prev.text)) {
      const name = `tag:${t.text}`;
      const isDef = next?.text === '{' || (next?.text === ';' && i === 1);
      (isDef ? defines : refs).add(name);
      continue;
    }
    const inEnum = braces.at(-1) === 'enum';
    if (inEnum && prev && (prev.text === '{' || prev.text === ',')) {
      defines.add(t.text);
      continue;
    }
    if (braces.length === 0 && isDeclarator(t, prev, next, parens)) {
      defines.add(t.text);
      continue;
    }
    refs.add(t.text);
  }
  for (const d of defines) refs.delete(d);
  return { defines, refs };
}

function isDeclarator(_t: Token, prev: Token | undefined, next: Token | undefined, parens: number): boolean {
  const nextText = next?.text ?? ';';
  const nextOk = DECLARATOR_NEXT.has(nextText) || nextText === '__attribute__' || nextText === 'asm' || nextText === '__asm__';
  if (!nextOk) return false;
  if (parens === 0) return !prev || prev.kind === 'id' || prev.text === '*' || prev.text === ')';
  // `typedef void (*fn_t)(int);`: a pointer declarator in parentheses.
  return prev?.text === '*' && nextText === ')';
}

function isEnumHead(toks: readonly Token[], i: number): boolean {
  const a = toks[i - 1];
  const b = toks[i - 2];
  return a?.text === 'enum' || (a?.kind === 'id' && b?.text === 'enum');
}

/** The names an entity from a finding (`struct foo`, `typedef u32`, `func f`, `var v`, `enum e`) is declared by. */
export function entityRoots(entity: string): string[] {
  const m = /^(struct|union|enum|typedef|func|var|fwd)\s+(.+)$/.exec(entity.trim());
  if (!m) return [];
  const name = m[2].trim();
  if (name === '(anon)' || !/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  if (m[1] === 'struct' || m[1] === 'union' || m[1] === 'enum' || m[1] === 'fwd') return [`tag:${name}`];
  return [name];
}

/** Declarations needed by `seeds` (indices), transitively: a keep mask over `facts`. */
export function closure(facts: readonly DeclFacts[], seeds: readonly number[]): boolean[] {
  const definers = new Map<string, number[]>();
  for (const [i, f] of facts.entries()) {
    for (const d of f.defines) {
      const list = definers.get(d);
      if (list) list.push(i);
      else definers.set(d, [i]);
    }
  }
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

/** Indices of the declarations defining any of `names`. */
export function definersOf(facts: readonly DeclFacts[], names: readonly string[]): number[] {
  return facts.flatMap((f, i) => (names.some((n) => f.defines.has(n)) ? [i] : []));
}

/** Indices of the declarations referring to any of `names` (users: a variable or function that makes the compiler emit the type). */
export function usersOf(facts: readonly DeclFacts[], names: readonly string[]): number[] {
  return facts.flatMap((f, i) => (names.some((n) => f.refs.has(n)) ? [i] : []));
}

/**
 * Slices to try, smallest first: the entity's own closure, then that
 * closure plus one user each. gcc emits debug info only for types a
 * variable or function uses, so a lone struct definition (or a struct
 * only another unused struct mentions) vanishes from both avenues; users
 * are found walking references backwards up to `depth` steps, so the
 * chain enum → struct → variable is reached. At most `maxUsers` slices
 * with a user are returned.
 */
export function candidateSlices(facts: readonly DeclFacts[], entity: string, maxUsers = 8, depth = 3): boolean[][] {
  const roots = entityRoots(entity);
  if (roots.length === 0) return [];
  const seeds = definersOf(facts, roots);
  if (seeds.length === 0) return [];
  const base = closure(facts, seeds);
  const count = (m: boolean[]): number => m.filter(Boolean).length;
  const withUser = backwardUsers(facts, seeds, depth)
    .filter((u) => !base[u])
    .map((u) => closure(facts, [...seeds, u]))
    .sort((a, b) => count(a) - count(b))
    .slice(0, maxUsers);
  return [base, ...withUser];
}

/** Declarations that refer, directly or through up to `depth` steps, to what `seeds` define. */
function backwardUsers(facts: readonly DeclFacts[], seeds: readonly number[], depth: number): number[] {
  const seen = new Set<number>(seeds);
  let frontier = [...seeds];
  const found: number[] = [];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const names = frontier.flatMap((i) => [...facts[i].defines]);
    const next = usersOf(facts, names).filter((u) => !seen.has(u));
    for (const u of next) seen.add(u);
    found.push(...next);
    frontier = next;
  }
  return found;
}
