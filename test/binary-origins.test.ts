/**
 * The origin index of a deduplicated binary BTF (findings/binary-origins.ts),
 * fed one object at a time. Expected owners follow from the construction:
 * a name with one surviving record is owned by every object that has a
 * record of that name; a name with two copies is owned per copy by the
 * objects whose record is structurally that copy.
 */
import { describe, expect, it } from 'vitest';
import type { Btf } from '../src/btf/types.js';
import { RecordOrigins } from '../src/findings/binary-origins.js';
import { makeBtf, type TypeSpec } from './helpers/btf-transform.js';

const member = (name: string, type: number) => ({ name, nameOff: 0, type, bitsOffset: 0, bitfieldSize: 0 });
const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
const LONG: TypeSpec = { kind: 'INT', name: 'long', size: 8, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 64 };
const structOf = (name: string, size: number, type: number): TypeSpec => ({ kind: 'STRUCT', name, size, kindFlag: false, members: [member('a', type)] });
const FWD_T: TypeSpec = { kind: 'FWD', name: 't', fwdKind: 'struct' };

// Object 0: int, long, struct s {int a}, struct u {int a}. Object 1: the same s, struct u {long a}, FWD t.
const OBJ0 = makeBtf([INT, LONG, structOf('s', 4, 1), structOf('u', 4, 1)]);
const OBJ1 = makeBtf([INT, LONG, structOf('s', 4, 1), structOf('u', 8, 2), FWD_T]);
// What a dedup keeps: one s, two copies of u (ids 4 and 5), the FWD.
const DEDUP = makeBtf([INT, LONG, structOf('s', 4, 1), structOf('u', 4, 1), structOf('u', 8, 2), FWD_T]);

function origins(): RecordOrigins {
  const o = new RecordOrigins(DEDUP);
  o.add({ name: 'a.o', btf: OBJ0 });
  o.add({ name: 'b.o', btf: OBJ1, symbols: [{ name: 'f', type: 'func', shndx: 1 } as never] });
  return o;
}

describe('RecordOrigins', () => {
  it('owners per record: one copy owned by all holders, two copies decided by structure', () => {
    const o = origins();
    expect(o.objectNames).toEqual(['a.o', 'b.o']);
    expect(o.objectsOf(3)).toEqual([0, 1]); // struct s
    expect(o.objectsOf(4)).toEqual([0]); // struct u {int a}
    expect(o.objectsOf(5)).toEqual([1]); // struct u {long a}
    expect(o.objectsOf(6)).toEqual([1]); // FWD t
    expect(o.copies('tag\u0000u')).toEqual([4, 5]);
    expect(o.duplicatedKeys()).toEqual(['tag\u0000u']);
    expect(o.objectsWithKind('tag\u0000t', "FWD 't' fwd_kind=struct")).toEqual([1]);
    expect(o.definesFunction(1, 'f')).toBe(true);
    expect(o.definesFunction(0, 'f')).toBe(false);
  });

  it('keeps nothing of an object once added: emptying the blobs afterwards changes no answer', () => {
    const blank = (b: Btf): Btf => ({ ...b, types: [] });
    const o = new RecordOrigins(DEDUP);
    const objs = [
      { name: 'a.o', btf: OBJ0 },
      { name: 'b.o', btf: OBJ1 },
    ];
    for (const x of objs) {
      o.add(x);
      x.btf = blank(x.btf); // what the pipeline's generator does by dropping it
    }
    const ref = origins();
    for (const id of [3, 4, 5, 6]) expect(o.objectsOf(id)).toEqual(ref.objectsOf(id));
    expect(o.objectsWithKind('tag\u0000u', "STRUCT 'u' size=8 vlen=1")).toEqual([1]);
  });
});
