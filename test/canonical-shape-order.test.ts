/**
 * The order of shapes (rankShapes, src/canonical/shape.ts) against its
 * definition: byCodeUnit of the localShape strings. rankShapes compares
 * kind words and quoted names without building most strings, which is
 * right only while every named kind's shape starts with `KIND q(name)`;
 * names here are chosen to hit the prefix cases of quoting (a space sorts
 * below the closing quote, every other plain character above) and names
 * that need JSON escaping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BtfType } from '../src/btf/types.js';
import { comparePlainQuoted, localShape, rankShapes } from '../src/canonical/shape.js';
import { byCodeUnit } from '../src/lang.js';
import { makeBtf, type TypeSpec } from './helpers/btf-transform.js';

const PLAIN = ['', 'a', 'ab', 'ab c', 'ab.', 'ab$', 'ab_', 'ab0', 'a b', 'abc', 'B', ' ', 'ab '];
const NAMES = [...PLAIN, 'a"', 'a\\', 'ab"c', 'ab\u0001', 'é', 'ab-', 'a\ud800', '\u{1f600}'];

function typeSpec(): fc.Arbitrary<TypeSpec> {
  const name = fc.constantFrom(...NAMES);
  const small = fc.constantFrom(0, 1, 8, 10, 64);
  return fc.oneof(
    fc
      .record({
        kind: fc.constant('INT' as const),
        name,
        size: fc.constantFrom(1, 4),
        bitsOffset: fc.constant(0),
        bits: small,
        encodingBits: fc.constantFrom(0, 1),
      })
      .map((t) => ({ ...t, encoding: { signed: (t.encodingBits & 1) !== 0, char: false, bool: false } })),
    fc.record({ kind: fc.constantFrom('PTR' as const, 'CONST' as const, 'TYPEDEF' as const, 'TYPE_TAG' as const), name, type: fc.constant(0) }),
    fc.record({ kind: fc.constant('ARRAY' as const), name, type: fc.constant(0), indexType: fc.constant(0), nelems: small }),
    fc.record({
      kind: fc.constantFrom('STRUCT' as const, 'UNION' as const),
      name,
      size: small,
      kindFlag: fc.boolean(),
      members: fc.array(fc.record({ name, type: fc.constant(0), bitsOffset: small, bitfieldSize: fc.constantFrom(0, 3) }), { maxLength: 2 }),
    }),
    fc.record({
      kind: fc.constant('FUNC_PROTO' as const),
      name,
      returnType: fc.constant(0),
      params: fc.array(fc.record({ name, type: fc.constant(0) }), { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constant('FUNC' as const), name, type: fc.constant(0), linkage: fc.constantFrom('static' as const, 'global' as const) }),
    fc.record({ kind: fc.constant('VAR' as const), name, type: fc.constant(0), linkage: fc.constantFrom('static' as const, 'extern' as const) }),
    fc.record({ kind: fc.constant('FWD' as const), name, fwdKind: fc.constantFrom('struct' as const, 'union' as const) }),
    fc.record({ kind: fc.constant('FLOAT' as const), name, size: small }),
    fc.record({ kind: fc.constant('DECL_TAG' as const), name, type: fc.constant(0), componentIdx: fc.constantFrom(-1, 0, 1), kindFlag: fc.boolean() }),
    fc.record({
      kind: fc.constant('DATASEC' as const),
      name,
      size: small,
      vars: fc.array(fc.record({ type: fc.constant(0), offset: small, size: small }), { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constantFrom('VOLATILE' as const, 'RESTRICT' as const), name, type: fc.constant(0) }),
    fc.record({
      kind: fc.constantFrom('ENUM' as const, 'ENUM64' as const),
      name,
      size: fc.constant(4),
      signed: fc.boolean(),
      values: fc.array(fc.record({ name, value: fc.constantFrom(-1n, 0n, 10n, 9n) }), { maxLength: 2 }),
    }),
  ) as fc.Arbitrary<TypeSpec>;
}

describe('rankShapes is the code-unit order of localShape', () => {
  it('on random types of every common kind', () => {
    fc.assert(
      fc.property(fc.array(typeSpec(), { minLength: 1, maxLength: 30 }), (specs) => {
        const types: BtfType[] = makeBtf(specs).types;
        const rank = rankShapes(types.length + 1, (n) => types[n - 1]);
        expect(rank[0]).toBe(0);
        const shapes = types.map(localShape);
        for (let a = 0; a < types.length; a++) {
          expect(rank[a + 1]).toBeGreaterThan(0);
          for (let b = 0; b < types.length; b++) expect(Math.sign(rank[a + 1] - rank[b + 1])).toBe(byCodeUnit(shapes[a], shapes[b]));
        }
        // Dense: ranks 1 .. number of distinct shapes.
        expect(Math.max(...rank)).toBe(new Set(shapes).size);
      }),
      { numRuns: 300 },
    );
  });

  it('names plain quoting as localShape quotes them, prefixes included', () => {
    for (const x of PLAIN) for (const y of PLAIN) expect(comparePlainQuoted(x, y)).toBe(byCodeUnit(`"${x}"`, `"${y}"`));
    // The case the prefix rule exists for: 'ab c' extends 'ab' with a space, which sorts below the closing quote.
    expect(comparePlainQuoted('ab c', 'ab')).toBe(-1);
    expect(comparePlainQuoted('ab.', 'ab')).toBe(1);
  });
});
