/**
 * The reducer's pure parts: the C splitter on text that fools naive brace
 * counting, reference slicing, ddmin, finding keys, synthetic users. Real
 * reductions with the toolchain are in reduce-real-units.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { innerLists, keepItems, splitTopLevel } from '../src/triage/c-split.js';
import { ddmin } from '../src/triage/ddmin.js';
import { parseEntity } from '../src/canonical/entity.js';
import { paramName, syntheticUsers } from '../src/triage/anchors.js';
import { parseFindingKey } from '../src/findings/finding.js';
import { closure, declFacts } from '../src/triage/slice.js';
import { findingKey } from '../src/findings/finding.js';
import { candidateList } from '../src/triage/reduce.js';

describe('splitTopLevel', () => {
  it('splits at top-level ; and at the } of function bodies, ignoring braces in strings, chars, comments and attributes', () => {
    const src = [
      'struct s { int a; char b[2]; } __attribute__((aligned(8)));',
      'static const char *msg = "} ; {";',
      "char c = '}';",
      '/* } ; */ int f(int x) { if (x) { return 1; } return 0; }',
      'int g(void) __attribute__((noinline));',
      'asm(".globl x; x:");',
      'struct s v = { 1, { 2, 3 } };',
    ].join('\n');
    const pieces = splitTopLevel(src);
    // Seven declarations: the comment belongs to no piece, the function body ends its piece.
    expect(pieces).toEqual([
      'struct s { int a; char b[2]; } __attribute__((aligned(8)));',
      'static const char *msg = "} ; {";',
      "char c = '}';",
      'int f(int x) { if (x) { return 1; } return 0; }',
      'int g(void) __attribute__((noinline));',
      'asm(".globl x; x:");',
      'struct s v = { 1, { 2, 3 } };',
    ]);
  });

  it('finds members, enumerators, parameters and statements, and drops items without breaking separators', () => {
    const decl = 'int f(int a, struct s { int m; long n; } *p) { a++; if (a) { a--; } else { a = 2; } return a; }';
    const lists = innerLists(decl);
    expect(lists.map((l) => l.kind)).toEqual(['params', 'members', 'statements', 'statements', 'statements']);
    const params = lists[0];
    expect(params.items.map((s) => decl.slice(s.start, s.end))).toEqual(['int a', 'struct s { int m; long n; } *p']);
    const body = lists[2];
    // if/else is one statement: removing the `if` part alone would leave a dangling else.
    expect(body.items.map((s) => decl.slice(s.start, s.end))).toEqual(['a++;', 'if (a) { a--; } else { a = 2; }', 'return a;']);
    expect(keepItems(decl, params, [false, true])).toBe('int f(struct s { int m; long n; } *p) { a++; if (a) { a--; } else { a = 2; } return a; }');
    const e = 'enum e { A = 1, B, C = -2 };';
    const en = innerLists(e)[0];
    expect(en.kind).toBe('enumerators');
    // Kept items are re-joined with the list's separator; the space inside the braces goes.
    expect(keepItems(e, en, [true, false, true])).toBe('enum e {A = 1, C = -2};');
  });
});

describe('slice facts', () => {
  it('follows typedefs, tags and enumerators, but not member names or pointer-only tags', () => {
    const decls = [
      'typedef unsigned int u32;', // 0
      'enum st { S_A = -1 };', // 1
      'struct other { int x; };', // 2: only pointed to
      'struct pkt { u32 len; enum st s; struct other *o; };', // 3
      'int len(void);', // 4: same name as a member: not needed
      'struct pkt last;', // 5
    ];
    const facts = decls.map(declFacts);
    const keep = closure(facts, [5]);
    expect(keep).toEqual([true, true, false, true, false, true]);
  });
});

describe('ddmin', () => {
  it('finds a 1-minimal subset with parallel tests', async () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    // Interesting: contains 3, 17 and 31 (reasoning: exactly those three must survive).
    const out = await ddmin(items, async (xs) => [3, 17, 31].every((k) => xs.includes(k)), 4);
    expect(out).toEqual([3, 17, 31]);
  });
});

describe('parseFindingKey', () => {
  it('reads back what findingKey writes, escapes included', () => {
    const f = { entity: 'struct a|b', path: 'x\\y', category: 'array' as const, left: 'int[4][2]', right: 'int[8] | x' };
    const k = parseFindingKey(findingKey('dir/u.c', f));
    expect(k).toEqual({ unit: 'dir/u.c', entity: 'struct a|b', path: 'x\\y', category: 'array', left: 'int[4][2]', right: 'int[8] | x' });
  });
});

describe('synthetic users', () => {
  it('reads parameter names, including function pointers and arrays', () => {
    expect(paramName('struct list_head *list')).toBe('list');
    expect(paramName('void (*fn)(void *, u64)')).toBe('fn');
    expect(paramName('const char name[16]')).toBe('name');
    expect(paramName('u32')).toBeUndefined(); // unnamed
    const def = 'static inline u32 f(const struct ring *r, u32 pos) { return pos; }';
    // The caller copies the list verbatim and passes each name on.
    expect(syntheticUsers(parseEntity('func f'), [def])[0]).toBe('void btfparity_anchor_user(const struct ring *r, u32 pos) { f(r, pos); }');
    expect(syntheticUsers(parseEntity('struct f'), [def])).toEqual([]);
  });
});

describe('candidateList (issue 12: reduce with no such finding named no candidates)', () => {
  const f = (entity: string, category: string, status: string) => ({ entity, category, status });
  it('names every entity with its categories, non-equivalent ones first', () => {
    expect(
      candidateList([
        f('struct m', 'array', 'equivalent'),
        f('enum e', 'signedness', 'known'),
        f('var v', 'only-right', 'unexplained'),
        f('enum e', 'enum-value', 'known'),
      ]),
    ).toBe('candidates: enum e (enum-value, signedness), var v (only-right), struct m (array)');
  });
  it('says when there is nothing, and counts what it does not name', () => {
    expect(candidateList([])).toBe('the unit has no findings to reduce');
    const many = Array.from({ length: 15 }, (_, i) => f(`var v${String(i).padStart(2, '0')}`, 'only-right', 'known'));
    expect(candidateList(many)).toMatch(/^candidates: var v00 \(only-right\), .*var v11 \(only-right\), and 3 more$/);
  });
});
