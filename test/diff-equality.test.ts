/**
 * diffBtf decides entity equality pairwise (canonical/equiv.ts) unless the
 * caller passes the joint canonical classes, which is how it decided it
 * before. Both must give the same findings, ids included, on any pair of
 * graphs: the classes are the oracle. Random graphs over a tiny name
 * alphabet give many names with several different definitions per side,
 * so duplicate collapsing, identical-first pairing and the similarity
 * tie-break (which needs the classes lazily) are all exercised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Btf } from '../src/btf/types.js';
import { type CanonicalGraph, canonicalizeJoint } from '../src/canonical/graph.js';
import { diffBtf } from '../src/findings/diff.js';
import { duplicateAll, makeBtf, renumber, seededPermutation, type TypeSpec } from './helpers/btf-transform.js';

function typeSpec(n: number): fc.Arbitrary<TypeSpec> {
  const ref = fc.integer({ min: 0, max: n });
  const name = fc.constantFrom('a', 'b', '');
  const member = fc.record({ name: fc.constantFrom('x', 'y'), type: ref, bitsOffset: fc.constantFrom(0, 32), bitfieldSize: fc.constant(0) });
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
    fc.record({ kind: fc.constantFrom('PTR' as const, 'CONST' as const), name: fc.constant(''), type: ref }),
    fc.record({ kind: fc.constant('TYPEDEF' as const), name: fc.constantFrom('t', 'u'), type: ref }),
    fc.record({ kind: fc.constant('ARRAY' as const), name: fc.constant(''), type: ref, indexType: ref, nelems: fc.constantFrom(1, 2) }),
    fc.record({
      kind: fc.constantFrom('STRUCT' as const, 'UNION' as const),
      name,
      size: fc.constantFrom(4, 8),
      kindFlag: fc.constant(false),
      members: fc.array(member, { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('FWD' as const), name: fc.constantFrom('a', 'b'), fwdKind: fc.constantFrom('struct' as const, 'union' as const) }),
    fc.record({
      kind: fc.constant('FUNC_PROTO' as const),
      name: fc.constant(''),
      returnType: ref,
      params: fc.array(fc.record({ name: fc.constantFrom('', 'p'), type: ref }), { maxLength: 2 }),
    }),
  ) as fc.Arbitrary<TypeSpec>;
}

/** Graphs with FUNCs over the prototypes (FUNC needs a FUNC_PROTO target, so they are appended). */
const graph = (max: number): fc.Arbitrary<Btf> =>
  fc.integer({ min: 1, max }).chain((n) =>
    fc.tuple(fc.array(typeSpec(n), { minLength: n, maxLength: n }), fc.array(fc.constantFrom('f', 'g'), { maxLength: 2 })).map(([ts, funcs]) => {
      const protos = ts.map((t, i) => (t.kind === 'FUNC_PROTO' ? i + 1 : 0)).filter((id) => id > 0);
      const fs: TypeSpec[] =
        protos.length === 0 ? [] : funcs.map((f, i) => ({ kind: 'FUNC', name: f, type: protos[i % protos.length], linkage: 'global' }) as TypeSpec);
      return makeBtf([...ts, ...fs]);
    }),
  );

const withClasses = (l: Btf, r: Btf) => diffBtf(l, r, { canonical: canonicalizeJoint([l, r]) as [CanonicalGraph, CanonicalGraph] });

describe('diffBtf: pairwise equality gives the findings the joint classes give', () => {
  it('on random pairs of graphs', () => {
    fc.assert(
      fc.property(graph(9), graph(9), (l, r) => {
        expect(diffBtf(l, r)).toEqual(withClasses(l, r));
      }),
      { numRuns: 400 },
    );
  });

  it('on a graph against a renumbered duplicate of another, and of itself (nothing)', () => {
    fc.assert(
      fc.property(graph(9), graph(9), fc.integer({ min: 1, max: 1 << 30 }), (l, o, seed) => {
        const d = duplicateAll(o);
        const r = renumber(d, seededPermutation(d.types.length, seed));
        expect(diffBtf(l, r)).toEqual(withClasses(l, r));
        const self = renumber(duplicateAll(l), seededPermutation(2 * l.types.length, seed));
        expect(diffBtf(l, self)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
