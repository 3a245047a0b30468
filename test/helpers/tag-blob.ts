/**
 * A hand-built BTF with TYPE_TAG and DECL_TAG, each plain and (when asked)
 * with kind_flag set, and sid bpftool 7.8's dump of it. Shared by
 * test/tag-kind-flag.test.ts and test/dump-sid-bpftool.test.ts. Not a test file.
 */
import type { BtfType } from '../../src/index.js';

const INT: BtfType = {
  kind: 'INT',
  id: 1,
  name: 'int',
  nameOff: 0,
  size: 4,
  encoding: { signed: true, char: false, bool: false },
  encodingBits: 1,
  bitsOffset: 0,
  bits: 32,
};

/** int, a type tag and an attribute tag on it, a pointer to the attribute tag, a VAR, a decl tag and a decl attribute on it. */
export function tagTypes(typeFlag: boolean, declFlag: boolean): BtfType[] {
  return [
    INT,
    { kind: 'TYPE_TAG', id: 2, name: 'user', nameOff: 0, type: 1, kindFlag: false },
    { kind: 'TYPE_TAG', id: 3, name: 'aligned(8)', nameOff: 0, type: 1, kindFlag: typeFlag },
    { kind: 'PTR', id: 4, name: '', nameOff: 0, type: 3 },
    { kind: 'VAR', id: 5, name: 'v', nameOff: 0, type: 4, linkage: 'global' },
    { kind: 'DECL_TAG', id: 6, name: 'tag1', nameOff: 0, type: 5, componentIdx: -1, kindFlag: false },
    { kind: 'DECL_TAG', id: 7, name: 'unused', nameOff: 0, type: 5, componentIdx: -1, kindFlag: declFlag },
  ];
}

/** sid bpftool 7.8's `btf dump file` of tagTypes(true, true), as it printed it: no kind_flag on tags. */
export const BPFTOOL_78_TAGS = [
  "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
  "[2] TYPE_TAG 'user' type_id=1",
  "[3] TYPE_TAG 'aligned(8)' type_id=1",
  "[4] PTR '(anon)' type_id=3",
  "[5] VAR 'v' type_id=4, linkage=global",
  "[6] DECL_TAG 'tag1' type_id=5 component_idx=-1",
  "[7] DECL_TAG 'unused' type_id=5 component_idx=-1",
  '',
].join('\n');
