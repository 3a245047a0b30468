import { describe, expect, it } from 'vitest';
import { asIndex } from '../src/btf/btf-index.js';
import type { Btf } from '../src/btf/types.js';
import { familyKey } from '../src/canonical/entity.js';
import { referrers } from '../src/findings/diff-affected.js';
import { diffBtf } from '../src/findings/diff.js';
import type { Finding } from '../src/findings/finding.js';
import { duplicateAll, makeBtf, renumber, type TypeSpec } from './helpers/btf-transform.js';

// Hand-built graphs; every expected finding below follows from the rules
// written at the top of src/findings/diff.ts, as explained per test.

const enc = (signed: boolean, char = false) => ({ signed, char, bool: false });
const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: enc(true), encodingBits: 1, bitsOffset: 0, bits: 32 };
const ULONG: TypeSpec = { kind: 'INT', name: 'long unsigned int', size: 8, encoding: enc(false), encodingBits: 0, bitsOffset: 0, bits: 64 };
const m = (name: string, type: number, bitsOffset: number, bitfieldSize = 0) => ({ name, type, bitsOffset, bitfieldSize }) as never;
const p = (name: string, type: number) => ({ name, type }) as never;
const struct = (name: string, size: number, members: never[]): TypeSpec => ({ kind: 'STRUCT', name, size, kindFlag: false, members });

/** entity | path | category | left | right [| normalisation] — compact and complete. */
const brief = (fs: Finding[]): string[] =>
  fs.map((f) => [f.entity, f.path, f.category, f.left, f.right, ...(f.normalisation ? [f.normalisation] : [])].join(' | '));

describe('diffBtf on hand-built BTF', () => {
  it('reports nothing for a graph against itself renumbered and duplicated', () => {
    const g = makeBtf([INT, struct('point', 8, [m('x', 1, 0), m('y', 1, 32)]), { kind: 'PTR', name: '', type: 2 }]);
    expect(diffBtf(g, renumber(g, [2, 0, 1]))).toEqual([]);
    expect(diffBtf(g, duplicateAll(g))).toEqual([]);
  });

  it('reports a FWD against a full struct of the same name as one kind finding', () => {
    const l = makeBtf([{ kind: 'FWD', name: 'foo', fwdKind: 'struct' }]);
    const r = makeBtf([INT, struct('foo', 4, [m('a', 1, 0)])]);
    // `int` exists on the right only: a presence finding of its own.
    expect(brief(diffBtf(l, r))).toEqual([
      "int |  | only-right | absent | INT 'int' size=4 SIGNED",
      "struct foo |  | kind | FWD 'foo' fwd_kind=struct | STRUCT 'foo' size=4 vlen=1",
    ]);
    const kind = diffBtf(l, r).find((f) => f.category === 'kind')!;
    expect([kind.leftId, kind.rightId]).toEqual([1, 2]);
  });

  it('names a member inside anonymous nested types by the dotted path uu.pt.x', () => {
    // struct outer { union { struct { int x; int y; } pt; } uu; } with x moved on the right.
    const build = (xOffset: number): Btf =>
      makeBtf([
        INT, // 1
        { kind: 'STRUCT', name: '', size: 8, kindFlag: false, members: [m('x', 1, xOffset), m('y', 1, 32)] }, // 2
        { kind: 'UNION', name: '', size: 8, kindFlag: false, members: [m('pt', 2, 0)] }, // 3
        struct('outer', 8, [m('uu', 3, 0)]), // 4
      ]);
    expect(brief(diffBtf(build(0), build(8)))).toEqual(['struct outer | uu.pt.x | offset | bits_offset=0 | bits_offset=8']);
  });

  it('calls unnamed members (anon), (anon 2) in paths', () => {
    const build = (yOffset: number): Btf =>
      makeBtf([
        INT,
        { kind: 'STRUCT', name: '', size: 4, kindFlag: false, members: [m('x', 1, 0)] }, // 2
        { kind: 'STRUCT', name: '', size: 8, kindFlag: false, members: [m('y', 1, yOffset)] }, // 3
        struct('s', 12, [m('', 2, 0), m('', 3, 32)]),
      ]);
    expect(brief(diffBtf(build(0), build(32)))).toEqual(['struct s | (anon 2).y | offset | bits_offset=0 | bits_offset=32']);
  });

  it('marks int[4][2] against int[8] as flattened-array, not as a plain difference', () => {
    const build = (dims: number[]): Btf => {
      const types: TypeSpec[] = [INT];
      let elem = 1;
      for (const n of [...dims].reverse()) {
        types.push({ kind: 'ARRAY', name: '', type: elem, indexType: 1, nelems: n });
        elem = types.length;
      }
      types.push(struct('m', 32, [m('a', elem, 0)]));
      return makeBtf(types);
    };
    expect(brief(diffBtf(build([4, 2]), build([8])))).toEqual(['struct m | a | array | int[4][2] | int[8] | flattened-array']);
    // Same count, other order: rows and columns swap, which is a real difference.
    expect(brief(diffBtf(build([4, 2]), build([2, 4])))).toEqual(['struct m | a | array | int[4][2] | int[2][4]']);
  });

  it('reports an index-type-only difference once per path, however many levels', () => {
    const build = (index: number): Btf =>
      makeBtf([
        INT, // 1
        ULONG, // 2
        { kind: 'ARRAY', name: '', type: 1, indexType: index, nelems: 3 }, // 3
        { kind: 'ARRAY', name: '', type: 3, indexType: index, nelems: 2 }, // 4 int[2][3]
        struct('m', 24, [m('a', 4, 0), m('b', 3, 0)]),
      ]);
    expect(brief(diffBtf(build(1), build(2)))).toEqual([
      'struct m | a | array | int | long unsigned int | array-index-type',
      'struct m | b | array | int | long unsigned int | array-index-type',
    ]);
  });

  it('reports a difference once, at the named type, and lists its referrers in affected', () => {
    // struct point differs (y moved); struct rect embeds it; func area takes struct rect *.
    const build = (yOffset: number): Btf =>
      makeBtf([
        INT, // 1
        struct('point', 8, [m('x', 1, 0), m('y', 1, yOffset)]), // 2
        struct('rect', 16, [m('min', 2, 0), m('max', 2, 64)]), // 3
        { kind: 'PTR', name: '', type: 3 }, // 4
        { kind: 'FUNC_PROTO', name: '', returnType: 1, params: [p('r', 4)] }, // 5
        { kind: 'FUNC', name: 'area', type: 5, linkage: 'global' }, // 6
      ]);
    const fs = diffBtf(build(32), build(0));
    expect(brief(fs)).toEqual(['struct point | y | offset | bits_offset=32 | bits_offset=0']);
    // Direct referrers only: rect embeds point; area references rect, not point.
    expect(fs[0].affected).toEqual(['struct rect']);
  });

  it('lists in affected only referrers of the entity itself, not of another family sharing its name', () => {
    // struct point differs; typedef point (same bare name, another family) does not. `user_t` embeds the
    // typedef only, `rect` the struct through a pointer and an anonymous union.
    const build = (yOffset: number): Btf =>
      makeBtf([
        INT, // 1
        struct('point', 8, [m('x', 1, 0), m('y', 1, yOffset)]), // 2
        { kind: 'TYPEDEF', name: 'point', type: 1 }, // 3
        struct('user_t', 4, [m('p', 3, 0)]), // 4
        { kind: 'PTR', name: '', type: 2 }, // 5
        { kind: 'UNION', name: '', size: 8, kindFlag: false, members: [m('q', 5, 0)] }, // 6
        struct('rect', 8, [m('u', 6, 0)]), // 7
      ]);
    const fs = diffBtf(build(32), build(0));
    expect(brief(fs)).toEqual(['struct point | y | offset | bits_offset=32 | bits_offset=0']);
    expect(fs[0].affected).toEqual(['struct rect']);
  });

  it('referrers keys only the wanted entities, not a same-named entity of another family', () => {
    // Same graph as above: `user_t` reaches `typedef point` only, `rect` reaches `struct point` through
    // a pointer and an anonymous union. Asking for struct point must key nothing else.
    const btf = makeBtf([
      INT, // 1
      struct('point', 8, [m('x', 1, 0), m('y', 1, 32)]), // 2
      { kind: 'TYPEDEF', name: 'point', type: 1 }, // 3
      struct('user_t', 4, [m('p', 3, 0)]), // 4
      { kind: 'PTR', name: '', type: 2 }, // 5
      { kind: 'UNION', name: '', size: 8, kindFlag: false, members: [m('q', 5, 0)] }, // 6
      struct('rect', 8, [m('u', 6, 0)]), // 7
    ]);
    const wanted = familyKey('tag', 'point');
    const got = referrers(asIndex(btf), new Set([wanted]));
    expect([...got].map(([k, v]) => [k, [...v]])).toEqual([[wanted, ['struct rect']]]);
  });

  it('handles mutually recursive structs: one change, one finding, no hang', () => {
    const build = (embeddedOffset: number): Btf =>
      makeBtf([
        struct('a_side', 8, [m('b', 3, 0)]),
        struct('b_side', 16, [m('a', 4, 0), m('embedded', 1, embeddedOffset)]),
        { kind: 'PTR', name: '', type: 2 },
        { kind: 'PTR', name: '', type: 1 },
      ]);
    const fs = diffBtf(build(64), build(128));
    expect(brief(fs)).toEqual(['struct b_side | embedded | offset | bits_offset=64 | bits_offset=128']);
    expect(fs[0].affected).toEqual(['struct a_side']);
  });

  it('reports members removed, renamed and reordered', () => {
    const l = makeBtf([INT, struct('s', 12, [m('a', 1, 0), m('b', 1, 32), m('c', 1, 64)])]);
    const r = makeBtf([INT, struct('s', 12, [m('b', 1, 32), m('a', 1, 0), m('z', 1, 64)])]);
    expect(brief(diffBtf(l, r))).toEqual(['struct s |  | members | a, b | b, a', 'struct s | c | members | int c | int z']);
    const r2 = makeBtf([INT, struct('s', 12, [m('a', 1, 0), m('b', 1, 32)])]);
    expect(brief(diffBtf(l, r2))).toEqual(['struct s | c | members | int c | absent']);
  });

  it('reports enumerators by name, and signedness once', () => {
    const e = (signed: boolean, values: Array<[string, bigint]>): Btf =>
      makeBtf([{ kind: 'ENUM', name: 'color', size: 4, signed, values: values.map(([name, value]) => ({ name, value }) as never) }]);
    expect(
      brief(
        diffBtf(
          e(false, [
            ['RED', 0n],
            ['BLUE', 5n],
          ]),
          e(false, [['RED', 1n]]),
        ),
      ),
    ).toEqual(['enum color | enumerator BLUE | enum-value | BLUE = 5 | absent', 'enum color | enumerator RED | enum-value | RED = 0 | RED = 1']);
    // -1 signed and 4294967295 unsigned are the same 32 bits: only the signedness differs.
    expect(brief(diffBtf(e(true, [['NEG', -1n]]), e(false, [['NEG', 4294967295n]])))).toEqual([
      'enum color |  | signedness | enum color encoding=SIGNED | enum color encoding=UNSIGNED',
    ]);
  });

  it('reports prototype differences at return and param N', () => {
    const build = (ret: number, params: never[]): Btf =>
      makeBtf([INT, ULONG, { kind: 'FUNC_PROTO', name: '', returnType: ret, params }, { kind: 'FUNC', name: 'f', type: 3, linkage: 'global' }]);
    expect(brief(diffBtf(build(1, [p('a', 1), p('b', 1)]), build(2, [p('a', 1), p('c', 2)])))).toEqual([
      'func f | param 2 | proto | int | long unsigned int',
      'func f | param 2 | proto | int b | long unsigned int c',
      'func f | return | proto | int | long unsigned int',
    ]);
    expect(brief(diffBtf(build(1, [p('a', 1)]), build(1, [p('a', 1), p('', 0)])))).toEqual(['func f |  | proto | int (int) | int (int, ...)']);
  });

  it('collapses identical duplicates and pairs different same-name definitions by similarity', () => {
    const a = struct('dup', 8, [m('x', 1, 0), m('y', 1, 32)]);
    const b = struct('dup', 4, [m('q', 1, 0)]);
    const l = makeBtf([INT, a, b, a]);
    // Right: the `a` definition unchanged, the `b` definition with q moved.
    const r = makeBtf([INT, struct('dup', 4, [m('q', 1, 8)]), a]);
    const fs = diffBtf(l, r);
    expect(brief(fs)).toEqual(['struct dup | q | offset | bits_offset=0 | bits_offset=8']);
    expect([fs[0].leftId, fs[0].rightId]).toEqual([3, 2]);
  });

  it('gives a redundant FWD next to its own definition the redundant-fwd normalisation', () => {
    const s = struct('foo', 4, [m('a', 1, 0)]);
    const fs = diffBtf(makeBtf([INT, s, { kind: 'FWD', name: 'foo', fwdKind: 'struct' }]), makeBtf([INT, s]));
    expect(brief(fs)).toEqual(["struct foo |  | only-left | FWD 'foo' fwd_kind=struct | absent | redundant-fwd"]);
  });

  it('reports const moved between an array and its element as array-qualifier', () => {
    // const (int[4]) vs (const int)[4]: the same type in C.
    const l = makeBtf([
      INT,
      { kind: 'ARRAY', name: '', type: 1, indexType: 1, nelems: 4 },
      { kind: 'CONST', name: '', type: 2 },
      struct('s', 16, [m('a', 3, 0)]),
    ]);
    const r = makeBtf([
      INT,
      { kind: 'CONST', name: '', type: 1 },
      { kind: 'ARRAY', name: '', type: 2, indexType: 1, nelems: 4 },
      struct('s', 16, [m('a', 3, 0)]),
    ]);
    expect(brief(diffBtf(l, r))).toEqual(['struct s | a | qualifier | const int[4] | const int[4] | array-qualifier']);
  });

  it('is deterministic: same input, same output', () => {
    const l = makeBtf([INT, struct('a', 4, [m('x', 1, 0)]), struct('b', 4, [m('y', 1, 0)])]);
    const r = makeBtf([struct('b', 4, [m('y', 2, 8)]), INT, struct('a', 8, [m('x', 2, 0)])]);
    expect(diffBtf(l, r)).toEqual(diffBtf(l, r));
    expect(brief(diffBtf(l, r))).toEqual(['struct a |  | size | size=4 | size=8', 'struct b | y | offset | bits_offset=0 | bits_offset=8']);
  });
});
