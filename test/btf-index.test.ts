/**
 * The index object of btf-index.ts and what depends on it: split BTF
 * decoded over a base that was built in memory (no string section), the
 * flat adjacency against the per-type walk, and the one place the
 * reference descriptor treats kinds differently (DATASEC entries are
 * followed by every walk but not range-checked by the decoder).
 */
import { describe, expect, it } from 'vitest';
import { BtfIndex } from '../src/btf/btf-index.js';
import { decodeBtf } from '../src/btf/decode.js';
import { dumpBpftool } from '../src/btf/dump-bpftool.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import { typeRefs } from '../src/btf/refs.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { references } from '../src/btf/validate.js';
import { makeBtf, type TypeSpec } from './helpers/btf-transform.js';

const member = (name: string, bitsOffset: number) => ({ name, nameOff: 0, type: 1, bitsOffset, bitfieldSize: 0 });
const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
const STRUCT: TypeSpec = { kind: 'STRUCT', name: 's', size: 8, kindFlag: false, members: [member('a', 0), member('b', 32)] };
/** Ids 1 (int) and 2 (struct s), built in memory: no string section, every name offset 0. */
const BASE_TYPES = makeBtf([INT, STRUCT]).types;
/** Split types continuing ids 1, 2: a typedef of int and a pointer to the struct. */
const SPLIT: BtfType[] = [
  { kind: 'TYPEDEF', id: 3, name: 'myint', nameOff: 0, type: 1 },
  { kind: 'PTR', id: 4, name: '', nameOff: 0, type: 2 },
];

/** `btf` as a graph built in memory: same header and types, no string section. */
function handBuilt(btf: Btf): Btf {
  return { header: btf.header, byteOrder: btf.byteOrder, startId: btf.startId, types: btf.types.map((t) => ({ ...t })), byteLength: btf.byteLength };
}

/** Set the name offset of the first type of an encoded little-endian blob (24-byte header). */
function withFirstNameOff(bytes: Uint8Array, off: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(24, off, true);
  return out;
}

describe('split BTF over a hand-built base', () => {
  it('decodes over a base made in memory, names and ids as over a decoded one', () => {
    const base = makeBtf([INT, STRUCT]);
    const splitBytes = encodeBtf({ types: SPLIT }, { base });
    const split = decodeBtf(splitBytes, { base });
    expect(split.startId).toBe(3);
    expect(dumpBpftool(split)).toBe("[3] TYPEDEF 'myint' type_id=1\n[4] PTR '(anon)' type_id=2\n");
    // The same through the loader, and with the base's index.
    expect(dumpBpftool(loadBtf(splitBytes, { base }).blobs[0])).toBe(dumpBpftool(split));
    expect(dumpBpftool(decodeBtf(splitBytes, { base: new BtfIndex(base) }))).toBe(dumpBpftool(split));
  });

  it('resolves offsets into the base by the names the base holds', () => {
    const decodedBase = decodeBtf(encodeBtf({ types: BASE_TYPES }));
    const memoryBase = handBuilt(decodedBase);
    const intOff = decodedBase.types[0].nameOff;
    expect(decodedBase.types[0].name).toBe('int');
    // The split typedef named by the base's string 'int'.
    const bytes = withFirstNameOff(encodeBtf({ types: SPLIT }, { base: decodedBase }), intOff);
    const overDecoded = decodeBtf(bytes, { base: decodedBase });
    const overMemory = decodeBtf(bytes, { base: memoryBase });
    expect(overDecoded.types[0].name).toBe('int');
    expect(dumpBpftool(overMemory)).toBe(dumpBpftool(overDecoded));
  });

  it('refuses an offset into the middle of a base string when the base has no section', () => {
    const decodedBase = decodeBtf(encodeBtf({ types: BASE_TYPES }));
    const bytes = withFirstNameOff(encodeBtf({ types: SPLIT }, { base: decodedBase }), decodedBase.types[0].nameOff + 1);
    // The decoded base has the bytes: the suffix of 'int'.
    expect(decodeBtf(bytes, { base: decodedBase }).types[0].name).toBe('nt');
    expect(() => decodeBtf(bytes, { base: handBuilt(decodedBase) })).toThrow(/string offset 2 is not where a name of the base BTF starts/);
  });
});

describe('BtfIndex', () => {
  const datasec: BtfType = { kind: 'DATASEC', id: 5, name: '.data', nameOff: 0, size: 4, vars: [{ type: 9, offset: 0, size: 4 }] };

  it('holds the references of every id of the chain, in typeRefs order; void has none', () => {
    const base = makeBtf([INT, STRUCT]);
    const split = decodeBtf(encodeBtf({ types: SPLIT }, { base }), { base });
    const index = new BtfIndex(split);
    expect(index.count).toBe(4);
    expect(index.type(0)).toBeUndefined();
    expect(index.type(5)).toBeUndefined();
    const { start, to } = index.refs;
    expect([start[0], start[1]]).toEqual([0, 0]);
    for (let id = 1; id <= index.count; id++) {
      expect(index.type(id)!.id).toBe(id);
      expect([...to.subarray(start[id], start[id + 1])]).toEqual(typeRefs(index.type(id)!));
    }
    expect([...to]).toEqual([1, 1, 1, 2]);
  });

  it('follows DATASEC entries, which the decoder does not range-check', () => {
    const btf = makeBtf([INT, STRUCT, ...SPLIT, datasec]);
    expect(typeRefs(datasec)).toEqual([9]);
    expect(references(datasec)).toEqual([]);
    const { start, to } = new BtfIndex(btf).refs;
    expect([...to.subarray(start[5], start[6])]).toEqual([9]);
    // Dangling: decoding accepts it, as bpftool does.
    expect(decodeBtf(encodeBtf(btf)).types[4]).toMatchObject({ kind: 'DATASEC', vars: [{ type: 9 }] });
  });

  it('names the reference the decoder rejects with the word of its field', () => {
    const proto: BtfType = { kind: 'FUNC_PROTO', id: 1, name: '', nameOff: 0, returnType: 0, params: [{ name: 'x', nameOff: 0, type: 7 }] };
    expect(references(proto)).toEqual([
      [0, 'return'],
      [7, 'param 1'],
    ]);
    expect(() => decodeBtf(encodeBtf({ types: [proto] }))).toThrow('FUNC_PROTO refers to param 1 type id 7, past the last id 1');
  });
});
