/**
 * Pairwise structural equality (src/canonical/equiv.ts) against its
 * oracle, the joint canonical classes (src/canonical/graph.ts): both decide
 * bisimilarity of the same labelled graph, one by partition refinement over
 * everything, the other by a lockstep walk per asked pair. On random small
 * graphs, with cycles and duplicates, they must agree on every pair, in any
 * order of asking (the walk memoises, so order is what could go wrong).
 * Likewise sameLocalShape against string equality of localShape.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { StructuralEquality } from '../src/canonical/equiv.js';
import { canonicalizeJoint, canonicalPositions } from '../src/canonical/graph.js';
import { localShape, sameLocalShape } from '../src/canonical/shape.js';
import { duplicateAll, makeBtf, mutateMemberOffset, renumber, seededPermutation, type TypeSpec } from './helpers/btf-transform.js';

/**
 * Random graphs over a tiny alphabet of names, sizes and offsets, so that
 * equal shapes (and so the interesting, deep comparisons) are frequent.
 * References are random ids (0 = void), so cycles of every length occur.
 */
function typeSpec(n: number): fc.Arbitrary<TypeSpec> {
  const ref = fc.integer({ min: 0, max: n });
  const name = fc.constantFrom('', 'a', 'b');
  const member = fc.record({ name: fc.constantFrom('x', 'y', ''), type: ref, bitsOffset: fc.constantFrom(0, 32), bitfieldSize: fc.constantFrom(0, 0, 3) });
  return fc.oneof(
    fc
      .record({
        kind: fc.constant('INT' as const),
        name: fc.constantFrom('int', 'char'),
        size: fc.constantFrom(1, 4),
        bitsOffset: fc.constant(0),
        bits: fc.constantFrom(8, 32),
        encodingBits: fc.constantFrom(0, 1),
      })
      .map((t) => ({ ...t, encoding: { signed: (t.encodingBits & 1) !== 0, char: false, bool: false } })),
    fc.record({ kind: fc.constantFrom('PTR' as const, 'CONST' as const, 'VOLATILE' as const), name: fc.constant(''), type: ref }),
    fc.record({ kind: fc.constant('TYPEDEF' as const), name, type: ref }),
    fc.record({ kind: fc.constant('ARRAY' as const), name: fc.constant(''), type: ref, indexType: ref, nelems: fc.constantFrom(1, 2) }),
    fc.record({
      kind: fc.constantFrom('STRUCT' as const, 'UNION' as const),
      name,
      size: fc.constantFrom(4, 8),
      kindFlag: fc.boolean(),
      members: fc.array(member, { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('FUNC_PROTO' as const),
      name: fc.constant(''),
      returnType: ref,
      params: fc.array(fc.record({ name: fc.constantFrom('', 'p'), type: ref }), { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constant('FWD' as const), name, fwdKind: fc.constantFrom('struct' as const, 'union' as const) }),
    fc.record({
      kind: fc.constant('ENUM' as const),
      name,
      size: fc.constant(4),
      signed: fc.boolean(),
      values: fc.array(fc.record({ name: fc.constantFrom('A', 'B'), value: fc.constantFrom(0n, 1n) }), { maxLength: 2 }),
    }),
  ) as fc.Arbitrary<TypeSpec>;
}

const graph = (max: number): fc.Arbitrary<Btf> =>
  fc.integer({ min: 1, max }).chain((n) => fc.array(typeSpec(n), { minLength: n, maxLength: n }).map((ts) => makeBtf(ts)));

/** Every (a, b) pair of ids, in an order given by a seed. */
function pairsInOrder(nl: number, nr: number, seed: number): Array<[number, number]> {
  const all: Array<[number, number]> = [];
  for (let a = 1; a <= nl; a++) for (let b = 1; b <= nr; b++) all.push([a, b]);
  return seededPermutation(all.length, seed).map((i) => all[i]);
}

describe('StructuralEquality agrees with joint canonical classes', () => {
  it('on every pair of two random graphs, in any order of asking', () => {
    fc.assert(
      fc.property(graph(8), graph(8), fc.integer({ min: 1, max: 1 << 30 }), (l, r, seed) => {
        const [gl, gr] = canonicalizeJoint([l, r]);
        const eq = new StructuralEquality(l, r);
        for (const [a, b] of pairsInOrder(l.types.length, r.types.length, seed)) {
          expect([a, b, eq.same(a, b)]).toEqual([a, b, gl.classOf[a] === gr.classOf[b]]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on a graph against its renumbered duplicate (every type has equal partners)', () => {
    fc.assert(
      fc.property(graph(8), fc.integer({ min: 1, max: 1 << 30 }), (g, seed) => {
        const d = duplicateAll(g);
        const r = renumber(d, seededPermutation(d.types.length, seed));
        const [gl, gr] = canonicalizeJoint([g, r]);
        const eq = new StructuralEquality(g, r);
        for (const [a, b] of pairsInOrder(g.types.length, r.types.length, seed ^ 0x55)) expect(eq.same(a, b)).toBe(gl.classOf[a] === gr.classOf[b]);
      }),
      { numRuns: 200 },
    );
  });

  it('within one graph (duplicates of one side), void and identical ids included', () => {
    fc.assert(
      fc.property(graph(10), fc.integer({ min: 1, max: 1 << 30 }), (g0, seed) => {
        const g = duplicateAll(g0);
        const [c] = canonicalizeJoint([g]);
        const eq = new StructuralEquality(g, g);
        for (const [a, b] of pairsInOrder(g.types.length, g.types.length, seed)) expect(eq.same(a, b)).toBe(c.classOf[a] === c.classOf[b]);
        expect(eq.same(0, 0)).toBe(true);
        expect(eq.same(0, 1)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('tells apart two cycles that differ only after going round (a mismatch found deep in a component)', () => {
    // struct s { struct s *next; int v; } vs the same with v a char, reached
    // only through the pointer cycle: all of (struct, pointer) pairs differ.
    const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
    const CHAR: TypeSpec = { ...INT, name: 'char', size: 1, bits: 8 } as TypeSpec;
    const s = (v: TypeSpec): Btf =>
      makeBtf([
        {
          kind: 'STRUCT',
          name: 's',
          size: 16,
          kindFlag: false,
          members: [{ name: 'next', type: 2, bitsOffset: 0, bitfieldSize: 0 } as never, { name: 'v', type: 3, bitsOffset: 64, bitfieldSize: 0 } as never],
        },
        { kind: 'PTR', name: '', type: 1 },
        v,
      ]);
    const eq = new StructuralEquality(s(INT), s(CHAR));
    expect([eq.same(2, 2), eq.same(1, 1), eq.same(3, 3)]).toEqual([false, false, false]);
    const same = new StructuralEquality(s(INT), renumber(s(INT), [2, 0, 1]));
    // renumbered: old id k is new id permutation[k-1] + 1.
    expect([same.same(1, 3), same.same(2, 1), same.same(3, 2), same.same(1, 1)]).toEqual([true, true, true, false]);
  });
});

describe('canonicalPositions of a closure order classes as the whole-graph refinement does', () => {
  it('on random graphs and random root sets, within and across the two graphs', () => {
    fc.assert(
      fc.property(graph(10), graph(10), fc.array(fc.nat(), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 4 }), (l, r, ls, rs) => {
        const rootsL = ls.map((k) => 1 + (k % l.types.length));
        const rootsR = rs.map((k) => 1 + (k % r.types.length));
        const [pl, pr] = canonicalPositions([l, r], [rootsL, rootsR]);
        const [gl, gr] = canonicalizeJoint([l, r]);
        const items = [...rootsL.map((id) => [pl.get(id)!, gl.classOf[id]]), ...rootsR.map((id) => [pr.get(id)!, gr.classOf[id]])];
        for (const [p, c] of items) for (const [q, d] of items) expect(Math.sign(p - q)).toBe(Math.sign(c - d));
      }),
      { numRuns: 500 },
    );
  });
});

describe('sameLocalShape is string equality of localShape', () => {
  it('on random pairs of random types', () => {
    fc.assert(
      fc.property(graph(12), graph(12), (l, r) => {
        for (const a of l.types) for (const b of r.types) expect(sameLocalShape(a, b)).toBe(localShape(a) === localShape(b));
      }),
      { numRuns: 200 },
    );
  });

  it('on names that need JSON escaping and enum values of both signs', () => {
    const t = (name: string, value: bigint): BtfType =>
      makeBtf([{ kind: 'ENUM', name, size: 8, signed: true, values: [{ name: 'V', value }] } as TypeSpec]).types[0];
    const cases = [t('a"b', 1n), t('a\\"b', 1n), t('a"b', -1n), t('a\u0000', 1n), t('a', 1n)];
    for (const a of cases) for (const b of cases) expect(sameLocalShape(a, b)).toBe(localShape(a) === localShape(b));
  });
});

const VMLINUX = '/sys/kernel/btf/vmlinux';
describe.skipIf(!existsSync(VMLINUX))('StructuralEquality on the running kernel BTF', () => {
  it('agrees with the joint classes on every entity against a renumbered copy with one moved member', () => {
    const v = loadBtf(readFileSync(VMLINUX)).blobs[0];
    const s = v.types.find((t) => t.kind === 'STRUCT' && t.name === 'list_head')!;
    const mutated = mutateMemberOffset(v, s.id, 1, 64);
    const perm = seededPermutation(v.types.length, 7);
    const r = renumber(mutated, perm);
    const [gl, gr] = canonicalizeJoint([v, r]);
    const eq = new StructuralEquality(v, r);
    let differ = 0;
    for (const t of v.types) {
      const b = perm[t.id - 1] + 1;
      const same = eq.same(t.id, b);
      if (same !== (gl.classOf[t.id] === gr.classOf[b])) throw new Error(`disagree on ${t.kind} '${t.name}' [${t.id}] vs [${b}]`);
      if (!same) differ++;
    }
    // list_head is everywhere: a large share of the kernel reaches it, but not all (INTs, enums, ...).
    expect(differ).toBeGreaterThan(1000);
    expect(differ).toBeLessThan(v.types.length);
  }, 120_000);
});
