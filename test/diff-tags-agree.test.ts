/**
 * Graphs with DECL_TAGs (the kernel tags its kfuncs, so vmlinux always has
 * some) where an entity differs from its counterpart only inside a named
 * type it uses: the diff decides such entities without comparing them in
 * full (entitiesAgree, findings/diff-types.ts), unless a type it would
 * compare inline carries a tag. Expected findings follow from the rules at
 * the top of src/findings/diff.ts: a difference inside a named type is
 * reported once, at that type; a tag set that differs is a `tag` finding at
 * the component it annotates (diff-context.ts compareDeclTags).
 */
import { describe, expect, it } from 'vitest';
import type { Btf } from '../src/btf/types.js';
import { diffBtf } from '../src/findings/diff.js';
import type { Finding } from '../src/findings/finding.js';
import { makeBtf, renumber, type TypeSpec } from './helpers/btf-transform.js';

const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
const m = (name: string, type: number, bitsOffset: number) => ({ name, type, bitsOffset, bitfieldSize: 0 }) as never;
const tag = (name: string, type: number, componentIdx: number): TypeSpec => ({ kind: 'DECL_TAG', name, type, componentIdx, kindFlag: false });

const brief = (fs: Finding[]): string[] => fs.map((f) => [f.entity, f.path, f.category, f.left, f.right].join(' | '));

/**
 * [1] int, [2] struct inner { int INNER; }, [3] anonymous struct { int z; },
 * [4] struct outer { struct inner i; struct { int z; } u; }, [5] FUNC_PROTO int (int),
 * [6] FUNC kf, [7] a DECL_TAG on kf (a kfunc's tag), then `extra` tags.
 */
function graph(innerMember: string, extra: TypeSpec[] = []): Btf {
  return makeBtf([
    INT,
    { kind: 'STRUCT', name: 'inner', size: 4, kindFlag: false, members: [m(innerMember, 1, 0)] },
    { kind: 'STRUCT', name: '', size: 4, kindFlag: false, members: [m('z', 1, 0)] },
    { kind: 'STRUCT', name: 'outer', size: 8, kindFlag: false, members: [m('i', 2, 0), m('u', 3, 32)] },
    { kind: 'FUNC_PROTO', name: '', returnType: 1, params: [{ name: 'x', type: 1 }] as never },
    { kind: 'FUNC', name: 'kf', type: 5, linkage: 'global' },
    tag('bpf_kfunc', 6, -1),
    ...extra,
  ]);
}

describe('diffBtf with DECL_TAGs present', () => {
  it('reports a change inside a named type once, at that type, not at the struct embedding it', () => {
    // outer reaches inner by name: its own comparison has nothing to report (diff.ts "Root cause once").
    const fs = diffBtf(graph('a'), renumber(graph('b'), [6, 5, 4, 3, 2, 1, 0]));
    expect(brief(fs)).toEqual(['struct inner | a | members | int a | int b']);
    expect(fs[0].affected).toEqual(['struct outer']);
  });

  it('still reports a tag that differs on an anonymous struct compared inline', () => {
    // Tag on [3] (the anonymous struct reached as outer.u) on the left only, and inner changed too.
    const l = graph('a', [tag('only_left', 3, -1)]);
    const r = graph('b');
    expect(brief(diffBtf(l, r))).toEqual(['struct inner | a | members | int a | int b', 'struct outer | u | tag | decl_tag("only_left") | no decl_tag']);
  });

  it('still reports a tag that differs on a member of the entity itself', () => {
    // Tag on outer's member 1 (`u`) on the right only; outer reaches the changed inner as well.
    const l = graph('a');
    const r = graph('b', [tag('on_u', 4, 1)]);
    expect(brief(diffBtf(l, r))).toEqual(['struct inner | a | members | int a | int b', 'struct outer | u | tag | no decl_tag | decl_tag("on_u")']);
  });

  it('still reports a tag that differs on a FUNC whose prototype uses a changed type', () => {
    // A second FUNC over a prototype taking struct inner *, tagged on the left only.
    const extra: TypeSpec[] = [
      { kind: 'PTR', name: '', type: 2 },
      { kind: 'FUNC_PROTO', name: '', returnType: 1, params: [{ name: 'p', type: 8 }] as never },
      { kind: 'FUNC', name: 'g', type: 9, linkage: 'global' },
    ];
    const l = graph('a', [...extra, tag('g_tag', 10, -1)]);
    const r = graph('b', extra);
    expect(brief(diffBtf(l, r))).toEqual(['func g |  | tag | decl_tag("g_tag") | no decl_tag', 'struct inner | a | members | int a | int b']);
  });
});
