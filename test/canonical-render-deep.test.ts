/**
 * renderCType on hostile depth (issue 14 items 3 and 4): chains of 100k
 * anonymous levels of every kind that makes a declarator, and prototypes
 * that fan out into 2^24 paths. Before, the walk recursed once per level
 * ("Maximum call stack size exceeded" past a few thousand) and walked a
 * DAG as a tree (the fan-out never finished). Now at most RENDER_LIMIT
 * anonymous types are written and the rest is `…`; the expected texts
 * below follow from that rule and C's declarator syntax.
 */
import { describe, expect, it } from 'vitest';
import { ELIDED, RENDER_LIMIT, renderCType } from '../src/canonical/render.js';
import { intType, makeBtf, type TypeSpec } from './helpers/btf-transform.js';

const N = 100_000;

/** int (id 1), then n links each over the one before, then VAR root over the last. */
function chain(n: number, link: (prev: number) => TypeSpec) {
  const types: TypeSpec[] = [intType(1, 'int')];
  for (let i = 0; i < n; i++) types.push(link(i + 1));
  types.push({ kind: 'VAR', name: 'root', type: n + 1, linkage: 'global' });
  return makeBtf(types);
}
const rootId = (n: number): number => n + 2;

describe('renderCType on long chains', () => {
  it('writes RENDER_LIMIT pointers, then `…`', () => {
    const b = chain(N, (prev) => ({ kind: 'PTR', name: '', type: prev }));
    expect(RENDER_LIMIT).toBe(256);
    expect(renderCType(b, rootId(N))).toBe(`${ELIDED} ${'*'.repeat(256)}root`);
    // Exactly at the limit nothing is elided.
    const atLimit = chain(256, (prev) => ({ kind: 'PTR', name: '', type: prev }));
    expect(renderCType(atLimit, rootId(256))).toBe(`int ${'*'.repeat(256)}root`);
    // A 1M chain: the same text, as fast (the walk stops at the limit).
    const huge = chain(1_000_000, (prev) => ({ kind: 'PTR', name: '', type: prev }));
    expect(renderCType(huge, rootId(1_000_000))).toBe(`${ELIDED} ${'*'.repeat(256)}root`);
  });

  it('writes RENDER_LIMIT array dimensions, then `…`', () => {
    const b = chain(N, (prev) => ({ kind: 'ARRAY', name: '', type: prev, indexType: 1, nelems: 2 }));
    expect(renderCType(b, rootId(N))).toBe(`${ELIDED} root${'[2]'.repeat(256)}`);
  });

  it('writes RENDER_LIMIT qualifiers of a run, then `…`', () => {
    const b = chain(N, (prev) => ({ kind: prev % 2 ? 'CONST' : 'VOLATILE', name: '', type: prev }));
    // The outermost link (id N+1) is CONST when N+1 is even... N+1 = 100001 is odd: prev = N is even, so VOLATILE.
    const words = Array.from({ length: 256 }, (_, i) => ((N - i) % 2 ? 'const' : 'volatile'));
    expect(renderCType(b, rootId(N))).toBe(`${words.join(' ')} ${ELIDED} root`);
  });

  it('nests RENDER_LIMIT prototypes in parameter position, then `…`', () => {
    const b = chain(N, (prev) => ({ kind: 'FUNC_PROTO', name: '', returnType: 1, params: [{ name: 'p', type: prev }] }) as TypeSpec);
    // root is a prototype whose parameter is the next prototype, and so on: int root(int (int (... (…)))).
    expect(renderCType(b, rootId(N))).toBe(`int root(${'int ('.repeat(255)}${ELIDED}${')'.repeat(256)}`);
  });

  it('ends a typedef chain at the first typedef: a named type stops the walk', () => {
    const b = chain(N, (prev) => ({ kind: 'TYPEDEF', name: `t${prev}`, type: prev }));
    expect(renderCType(b, rootId(N))).toBe(`t${N} root`);
  });
});

describe('renderCType on prototypes that fan out', () => {
  /** k prototypes in a ring: each returns and takes two pointers to the next (3^k paths as a tree). */
  function fanOut(k: number) {
    const types: TypeSpec[] = [];
    // Prototype i is id 2i+1, its pointer id 2i+2; the last points back at the first.
    for (let i = 0; i < k; i++) {
      const nextPtr = i === k - 1 ? 2 : 2 * i + 4;
      types.push({ kind: 'FUNC_PROTO', name: '', returnType: nextPtr, params: [{ name: 'a', type: nextPtr } as never, { name: 'b', type: nextPtr } as never] });
      types.push({ kind: 'PTR', name: '', type: 2 * i + 1 });
    }
    types.push({ kind: 'VAR', name: 'root', type: 2, linkage: 'global' });
    return makeBtf(types);
  }

  it('finishes on a 24-level ring, the text bounded by the limit', () => {
    const b = fanOut(24);
    const text = renderCType(b, 49);
    // Every written level is a `*` or a `(`: at most RENDER_LIMIT of each kind, plus the elisions.
    expect(text.split('*').length - 1).toBeLessThanOrEqual(RENDER_LIMIT);
    expect(text).toContain(ELIDED);
    expect(text.startsWith('… ')).toBe(true);
    expect(text.length).toBeLessThan(RENDER_LIMIT * 16);
  });

  it('writes a small ring in full, cut at the cycle', () => {
    // Two levels: root = pointer to P0; P0 returns P1 * and takes two P1 *; P1's pointers lead back to P0 (on the path).
    const b = fanOut(2);
    const p1 = '<cycle> (*)(<cycle>, <cycle>)';
    expect(renderCType(b, 5)).toBe(`${p1.replace(' (*)', ` (*(*root)(${p1}, ${p1}))`)}`);
  });
});
