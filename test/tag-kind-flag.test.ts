/**
 * TYPE_TAG and DECL_TAG with kind_flag = 1: the tag is an attribute
 * (`__attribute__((NAME))`, pahole >= 1.30 `attributes`; Documentation/bpf/btf.rst:
 * "kind_flag ... 1 for an attribute") rather than a btf_type_tag/btf_decl_tag.
 * On a blob built here (encodeBtf), checked byte by byte: the flag survives
 * decoding and shows in `dump --format json`, the canonical form and `diff`
 * (category `tag`), while the bpftool-format dump stays what bpftool 7.8
 * prints, which shows no kind_flag for tags (test/dump-sid-bpftool.test.ts
 * runs sid's bpftool 7.8 on the same blob).
 */
import { describe, expect, it } from 'vitest';
import { BPFTOOL_78_TAGS, tagTypes } from './helpers/tag-blob.js';
import { canonicalize, decodeBtf, diffBtf, dumpBpftool, dumpBpftoolJson, dumpCanonical, dumpJson, encodeBtf } from '../src/index.js';

const blob = (typeFlag: boolean, declFlag: boolean) => encodeBtf({ types: tagTypes(typeFlag, declFlag) });

describe('tag kind_flag', () => {
  const bytes = blob(true, true);
  const btf = decodeBtf(bytes);

  it('is bit 31 of the info word, written and read back', () => {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Type section at 24; INT takes 16 bytes, TYPE_TAG 12: the info word of type k sits 4 bytes into it.
    const info = (at: number) => v.getUint32(24 + at + 4, true);
    expect(info(16).toString(16)).toBe('12000000'); // [2] TYPE_TAG 'user': kind 18, kind_flag 0
    expect(info(28).toString(16)).toBe('92000000'); // [3] TYPE_TAG, kind_flag 1
    // [4] PTR at 40, [5] VAR at 52 (16 bytes), [6] DECL_TAG at 68 (16 bytes), [7] at 84.
    expect(info(68).toString(16)).toBe('11000000');
    expect(info(84).toString(16)).toBe('91000000');
    expect(btf.types.map((t) => (t.kind === 'TYPE_TAG' || t.kind === 'DECL_TAG' ? t.kindFlag : null))).toEqual([null, false, true, null, null, false, true]);
  });

  it('the bpftool dumps print no kind_flag for tags, as bpftool 7.8 does', () => {
    expect(dumpBpftool(btf)).toBe(BPFTOOL_78_TAGS);
    expect(dumpBpftoolJson(btf)).not.toContain('kind_flag');
  });

  it('dump --format json has kindFlag on every TYPE_TAG and DECL_TAG', () => {
    const types = JSON.parse(dumpJson(btf)).types as { id: number; kindFlag?: boolean }[];
    expect(types.map((t) => t.kindFlag ?? null)).toEqual([null, false, true, null, null, false, true]);
  });

  it('the canonical form writes kind_flag=1 on attribute tags only, so flagged and plain tags are different types', () => {
    const text = dumpCanonical(canonicalize(btf));
    expect(text).toMatch(/TYPE_TAG 'aligned\(8\)' type_id=\d+ kind_flag=1\n/);
    expect(text).toMatch(/TYPE_TAG 'user' type_id=\d+\n/);
    expect(text).toMatch(/DECL_TAG 'unused' type_id=\d+ component_idx=-1 kind_flag=1\n/);
    expect(text).toMatch(/DECL_TAG 'tag1' type_id=\d+ component_idx=-1\n/);
    expect(dumpCanonical(canonicalize(decodeBtf(blob(false, false))))).not.toContain('kind_flag');
  });

  it('diff: a tag that is an attribute on one side only is a `tag` finding, with how C writes each', () => {
    expect(diffBtf(btf, btf)).toEqual([]);
    const findings = (l: boolean[], r: boolean[]) =>
      diffBtf(decodeBtf(blob(l[0], l[1])), decodeBtf(blob(r[0], r[1]))).map((f) => [f.entity, f.category, f.left, f.right]);
    // The VAR's type: a pointer to int behind the tag (render.ts writes a btf_type_tag as its attribute).
    expect(findings([false, false], [true, false])).toEqual([
      ['var v', 'tag', '__attribute__((btf_type_tag("aligned(8)"))) int *', '__attribute__((aligned(8))) int *'],
    ]);
    // The VAR's decl tags, sorted as text: the attribute form sorts before decl_tag.
    expect(findings([false, false], [false, true])).toEqual([
      ['var v', 'tag', 'decl_tag("tag1") decl_tag("unused")', '__attribute__((unused)) decl_tag("tag1")'],
    ]);
    expect(findings([true, true], [false, false])).toHaveLength(2);
  });
});
