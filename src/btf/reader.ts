/**
 * The type section reader, in two steps. `scanTypes` walks the section once,
 * checking that every type fits in the section and every name is in the
 * string section, and keeps only where each type starts (a table: one
 * Uint32Array, no objects). `TypeDecoder` makes the objects of types.ts
 * from that table, one type when asked: `readTypes` asks for all of them
 * (the graph every command uses); the bpftool-format dump asks for one at a
 * time and keeps none, so vmlinux never exists as 126k objects there.
 * Sizes come from the kind table (kinds.ts).
 */
import { InputError } from '../errors.js';
import { type BtfKind, extraBytes, isRefKind, KIND_BY_CODE, KINDS } from './kinds.js';
import type { LookupSite, StringLookup } from './strings.js';
import type { BtfEnumValue, BtfMember, BtfParam, BtfType, BtfVarSecinfo, ByteOrder } from './types.js';
import { intEncodingOf, linkageOf } from './words.js';
import { assertNever } from '../lang.js';
import {
  enum32Of,
  enum64Of,
  fwdKindOf,
  intBitsOf,
  intBitsOffsetOf,
  intEncodingBitsOf,
  memberBitfieldSizeOf,
  memberBitsOffsetOf,
  TYPE_HEADER,
} from './record.js';

/** A checked type section: where each type's record starts. */
export interface TypeTable {
  readonly sec: Uint8Array;
  readonly le: boolean;
  /** Id of the first type. */
  readonly startId: number;
  /** Number of types. */
  readonly count: number;
  /** Offset of type `startId + i` in `sec`, for i < count. */
  readonly offsets: Uint32Array;
  /** Largest type id any type refers to (DATASEC entries included), so the caller can skip the reference check (validate.ts) when every id is in range. */
  readonly maxRef: number;
}

/**
 * Walk the type section and check it; `at` is its offset in the blob (for
 * errors). The checks, their order and their messages are the decoder's:
 * per type its header, kind, extent and name, then the names of its
 * entries in order. No per-type allocation.
 */
export function scanTypes(sec: Uint8Array, at: number, order: ByteOrder, startId: number, strings: StringLookup): TypeTable {
  const le = order === 'little';
  const v = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
  // A type takes at least 12 bytes: this bounds the count before any is read.
  let offsets = new Uint32Array(Math.min(1024, Math.floor(sec.length / TYPE_HEADER) + 1));
  let count = 0;
  let maxRef = 0;
  const site = { offset: at, typeId: startId };
  for (let pos = 0; pos < sec.length; count++) {
    site.offset = at + pos;
    site.typeId = startId + count;
    if (pos + TYPE_HEADER > sec.length) throw new InputError('type header runs past the end of the type section', { ...site });
    const info = v.getUint32(pos + 4, le);
    const code = (info >>> 24) & 0x1f;
    const kind = KIND_BY_CODE[code];
    const vlen = info & 0xffff;
    if (kind === undefined)
      throw new InputError(`unknown BTF kind ${code} (kinds past ENUM64, 19, are not read, even where a layout section sizes them)`, { ...site });
    const d = pos + TYPE_HEADER;
    const extra = extraBytes(kind, vlen);
    if (d + extra > sec.length) throw new InputError(`${kind} with vlen ${vlen} needs ${extra} more bytes, past the end of the type section`, { ...site });
    strings.check(v.getUint32(pos, le), site);
    if (count === offsets.length) {
      const grown = new Uint32Array(Math.min(offsets.length * 2, Math.floor(sec.length / TYPE_HEADER) + 1));
      grown.set(offsets);
      offsets = grown;
    }
    offsets[count] = pos;
    const ref = scanEntries(v, le, kind, d, vlen, strings, site);
    const head = HEAD_IS_REF[code] === 1 ? v.getUint32(pos + 8, le) : 0;
    if (ref > maxRef) maxRef = ref;
    if (head > maxRef) maxRef = head;
    pos = d + extra;
  }
  return { sec, le, startId, count, offsets: offsets.subarray(0, count), maxRef };
}

/** Kind codes whose header word size_or_type is a type id (the modifiers, TYPEDEF, TYPE_TAG, FUNC, FUNC_PROTO, VAR, DECL_TAG). */
const HEAD_IS_REF: Uint8Array = (() => {
  const out = new Uint8Array(32);
  for (const k of Object.keys(KINDS) as BtfKind[])
    if (isRefKind(k) || k === 'FUNC' || k === 'FUNC_PROTO' || k === 'VAR' || k === 'DECL_TAG') out[KINDS[k].code] = 1;
  return out;
})();

/** Check the names of a type's entries; returns the largest type id its data refers to. */
function scanEntries(v: DataView, le: boolean, kind: BtfKind, d: number, vlen: number, strings: StringLookup, site: LookupSite): number {
  const stride = KINDS[kind].stride;
  let max = 0;
  switch (kind) {
    case 'ARRAY':
      return Math.max(v.getUint32(d, le), v.getUint32(d + 4, le));
    case 'STRUCT':
    case 'UNION':
    case 'FUNC_PROTO':
      // name, then type id (members: then the offset word)
      for (let i = 0, o = d; i < vlen; i++, o += stride) {
        strings.check(v.getUint32(o, le), site);
        const id = v.getUint32(o + 4, le);
        if (id > max) max = id;
      }
      return max;
    case 'ENUM':
    case 'ENUM64':
      for (let i = 0, o = d; i < vlen; i++, o += stride) strings.check(v.getUint32(o, le), site);
      return 0;
    case 'DATASEC':
      for (let i = 0, o = d; i < vlen; i++, o += stride) {
        const id = v.getUint32(o, le);
        if (id > max) max = id;
      }
      return max;
    default:
      return 0;
  }
}

/** Decode the whole type section into objects (checked by scanTypes first). */
export function readTypes(sec: Uint8Array, at: number, order: ByteOrder, startId: number, strings: StringLookup): { types: BtfType[]; table: TypeTable } {
  const table = scanTypes(sec, at, order, startId, strings);
  const r = new TypeDecoder(table, strings, at);
  const types: BtfType[] = new Array(table.count);
  for (let i = 0; i < table.count; i++) types[i] = r.decode(i);
  return { types, table };
}

/**
 * Makes the object of one scanned type. One decoder object for the whole
 * section keeps the hot loop free of per-type closures (vmlinux has 126k
 * types and ~400k members). The table was checked: names resolve, entries
 * fit.
 */
export class TypeDecoder implements LookupSite {
  private readonly sec: Uint8Array;
  private readonly v: DataView;
  private readonly le: boolean;
  private id = 0;
  private typeAt = 0;
  private name = '';
  private nameOff = 0;
  private vlen = 0;
  private kflag = false;
  private kind: BtfKind = 'INT';
  private sizeOrType = 0;
  /** Bytes per vlen entry. */
  private stride = 0;
  /** Offset of the kind-specific data. */
  private d = 0;

  constructor(
    private readonly table: TypeTable,
    private readonly strings: StringLookup,
    private readonly sectionAt: number,
  ) {
    this.sec = table.sec;
    this.le = table.le;
    this.v = new DataView(this.sec.buffer, this.sec.byteOffset, this.sec.byteLength);
  }

  private u32(o: number): number {
    return this.v.getUint32(o, this.le);
  }
  private i32(o: number): number {
    return this.v.getInt32(o, this.le);
  }
  private str(off: number): string {
    return this.strings.lookup(off, this);
  }
  /** The lookup asks for the location only when it fails. */
  get offset(): number {
    return this.sectionAt + this.typeAt;
  }
  get typeId(): number {
    return this.id;
  }

  /** The object of type `table.startId + index`. */
  decode(index: number): BtfType {
    const pos = this.table.offsets[index];
    this.id = this.table.startId + index;
    this.typeAt = pos;
    this.nameOff = this.u32(pos);
    const info = this.u32(pos + 4);
    this.sizeOrType = this.u32(pos + 8);
    const kind = KIND_BY_CODE[(info >>> 24) & 0x1f] as BtfKind;
    this.vlen = info & 0xffff;
    this.kflag = info >>> 31 === 1;
    this.kind = kind;
    this.stride = KINDS[kind].stride;
    this.d = pos + TYPE_HEADER;
    this.name = this.str(this.nameOff);
    return this.object();
  }

  private object(): BtfType {
    const { id, name, nameOff, kind } = this;
    // Only TYPE_TAG of the reference kinds gives kind_flag a meaning (BtfRef.kindFlag).
    if (kind === 'TYPE_TAG') return { kind, id, name, nameOff, type: this.sizeOrType, kindFlag: this.kflag };
    if (isRefKind(kind)) return { kind, id, name, nameOff, type: this.sizeOrType };
    switch (kind) {
      case 'INT': {
        const word = this.u32(this.d);
        const bits = intEncodingBitsOf(word);
        return {
          kind,
          id,
          name,
          nameOff,
          size: this.sizeOrType,
          encodingBits: bits,
          encoding: intEncodingOf(bits),
          bitsOffset: intBitsOffsetOf(word),
          bits: intBitsOf(word),
        };
      }
      case 'ARRAY':
        return { kind, id, name, nameOff, type: this.u32(this.d), indexType: this.u32(this.d + 4), nelems: this.u32(this.d + 8) };
      case 'STRUCT':
      case 'UNION':
        return { kind, id, name, nameOff, size: this.sizeOrType, kindFlag: this.kflag, members: this.members() };
      case 'ENUM':
      case 'ENUM64':
        return { kind, id, name, nameOff, size: this.sizeOrType, signed: this.kflag, values: this.enumValues() };
      case 'FWD':
        return { kind, id, name, nameOff, fwdKind: fwdKindOf(this.kflag) };
      case 'FUNC':
        return { kind, id, name, nameOff, type: this.sizeOrType, linkage: linkageOf(this.vlen) };
      case 'FUNC_PROTO':
        return { kind, id, name, nameOff, returnType: this.sizeOrType, params: this.params() };
      case 'VAR':
        return { kind, id, name, nameOff, type: this.sizeOrType, linkage: linkageOf(this.u32(this.d)) };
      case 'DATASEC':
        return { kind, id, name, nameOff, size: this.sizeOrType, vars: this.secinfos() };
      case 'FLOAT':
        return { kind, id, name, nameOff, size: this.sizeOrType };
      case 'DECL_TAG':
        return { kind, id, name, nameOff, type: this.sizeOrType, componentIdx: this.i32(this.d), kindFlag: this.kflag };
    }
    return assertNever(kind);
  }

  private members(): BtfMember[] {
    const out: BtfMember[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      const nameOff = this.u32(o);
      const raw = this.u32(o + 8);
      out[i] = {
        name: this.str(nameOff),
        nameOff,
        type: this.u32(o + 4),
        bitsOffset: memberBitsOffsetOf(raw, this.kflag),
        bitfieldSize: memberBitfieldSizeOf(raw, this.kflag),
      };
    }
    return out;
  }

  private enumValues(): BtfEnumValue[] {
    const out: BtfEnumValue[] = new Array(this.vlen);
    const is64 = this.kind === 'ENUM64';
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      const nameOff = this.u32(o);
      const value = is64 ? enum64Of(this.u32(o + 4), this.u32(o + 8), this.kflag) : BigInt(enum32Of(this.u32(o + 4), this.kflag));
      out[i] = { name: this.str(nameOff), nameOff, value };
    }
    return out;
  }

  private params(): BtfParam[] {
    const out: BtfParam[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      const nameOff = this.u32(o);
      out[i] = { name: this.str(nameOff), nameOff, type: this.u32(o + 4) };
    }
    return out;
  }

  private secinfos(): BtfVarSecinfo[] {
    const out: BtfVarSecinfo[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      out[i] = { type: this.u32(o), offset: this.u32(o + 4), size: this.u32(o + 8) };
    }
    return out;
  }
}
