import { describe, expect, test } from 'vitest';
import { mergeBtfs } from '../src/btf/merge.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { typeById } from '../src/btf/types.js';

const header = { magic: 0xeb9f, version: 1, flags: 0, hdrLen: 24, typeOff: 0, typeLen: 0, strOff: 0, strLen: 1 };
const blob = (types: BtfType[]): Btf => ({ header, byteOrder: 'little', startId: 1, types, byteLength: 100 });
const int = (id: number): BtfType => ({
  kind: 'INT',
  id,
  name: 'int',
  nameOff: 1,
  size: 4,
  encoding: { signed: true, char: false, bool: false },
  encodingBits: 1,
  bitsOffset: 0,
  bits: 32,
});

describe('mergeBtfs', () => {
  test('shifts the second blob past the first and remaps its references, keeping void', () => {
    const a = blob([int(1), { kind: 'PTR', id: 2, name: '', nameOff: 0, type: 1 }]);
    const b = blob([
      int(1),
      { kind: 'STRUCT', id: 2, name: 's', nameOff: 5, size: 8, kindFlag: false, members: [{ name: 'p', nameOff: 7, type: 3, bitsOffset: 0, bitfieldSize: 0 }] },
      { kind: 'PTR', id: 3, name: '', nameOff: 0, type: 0 },
    ]);
    const m = mergeBtfs([a, b]);
    expect(m.types.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    const s = typeById(m, 4);
    // b's struct member pointed at b's id 3 (void *), which is now id 5 (3 + 2 types of a).
    expect(s?.kind === 'STRUCT' && s.members[0].type).toBe(5);
    const voidPtr = typeById(m, 5);
    expect(voidPtr?.kind === 'PTR' && voidPtr.type).toBe(0);
    expect(m.byteLength).toBe(200);
  });

  test('one blob is returned as is', () => {
    const a = blob([int(1)]);
    expect(mergeBtfs([a])).toBe(a);
  });
});
