/**
 * The type section reader: bytes to the objects of types.ts, one type at
 * a time, checking that every type fits in the section and every name is
 * in the string section. Sizes come from the kind table (kinds.ts).
 */
import { InputError } from '../errors.js';
import { type BtfKind, extraBytes, isRefKind, KIND_BY_CODE, KINDS } from './kinds.js';
import type { LookupSite, StringLookup } from './strings.js';
import type { BtfEnumValue, BtfMember, BtfParam, BtfType, BtfVarSecinfo, ByteOrder } from './types.js';
import { intEncodingOf, linkageOf } from './words.js';
import { assertNever } from '../lang.js';

const TYPE_HEADER = 12;

/**
 * Decode the type section; `at` is its offset in the blob (for errors).
 * `maxRef` is the largest type id any type refers to, so the caller can
 * skip the reference check (validate.ts) when every id is in range.
 */
export function readTypes(sec: Uint8Array, at: number, order: ByteOrder, startId: number, strings: StringLookup): { types: BtfType[]; maxRef: number } {
  const r = new TypeReader(sec, order === 'little', strings, at);
  const types: BtfType[] = [];
  while (r.pos < sec.length) {
    r.begin(startId + types.length);
    types.push(r.decode());
  }
  return { types, maxRef: r.maxRef };
}

/**
 * Walks the type section one type at a time. One reader object for the
 * whole section keeps the hot loop free of per-type closures (vmlinux has
 * 126k types and ~400k members).
 */
class TypeReader implements LookupSite {
  pos = 0;
  private readonly v: DataView;
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
  /** Largest type id read so far (DATASEC entries included; the check decides what counts). */
  maxRef = 0;

  constructor(
    private readonly sec: Uint8Array,
    private readonly le: boolean,
    private readonly strings: StringLookup,
    private readonly sectionAt: number,
  ) {
    this.v = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
  }

  private u32(o: number): number {
    return this.v.getUint32(o, this.le);
  }
  private i32(o: number): number {
    return this.v.getInt32(o, this.le);
  }
  /** A u32 that is a type id: read it and remember the largest. */
  private ref(o: number): number {
    const id = this.v.getUint32(o, this.le);
    if (id > this.maxRef) this.maxRef = id;
    return id;
  }
  /** The header's size_or_type word used as a type id. */
  private headRef(): number {
    if (this.sizeOrType > this.maxRef) this.maxRef = this.sizeOrType;
    return this.sizeOrType;
  }
  private where(): LookupSite {
    return { offset: this.sectionAt + this.typeAt, typeId: this.id };
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

  /** Read and check the 12-byte header of the type at `pos`. */
  begin(id: number): void {
    this.id = id;
    this.typeAt = this.pos;
    if (this.pos + TYPE_HEADER > this.sec.length) throw new InputError('type header runs past the end of the type section', this.where());
    this.nameOff = this.u32(this.pos);
    const info = this.u32(this.pos + 4);
    this.sizeOrType = this.u32(this.pos + 8);
    const code = (info >>> 24) & 0x1f;
    const kind = KIND_BY_CODE[code];
    this.vlen = info & 0xffff;
    this.kflag = info >>> 31 === 1;
    if (kind === undefined) throw new InputError(`unknown BTF kind ${code}`, this.where());
    this.kind = kind;
    this.stride = KINDS[kind].stride;
    const extra = extraBytes(kind, this.vlen);
    this.d = this.pos + TYPE_HEADER;
    if (this.d + extra > this.sec.length) {
      throw new InputError(`${kind} with vlen ${this.vlen} needs ${extra} more bytes, past the end of the type section`, this.where());
    }
    this.name = this.str(this.nameOff);
    this.pos = this.d + extra;
  }

  decode(): BtfType {
    const { id, name, nameOff, kind } = this;
    if (isRefKind(kind)) return { kind, id, name, nameOff, type: this.headRef() };
    switch (kind) {
      case 'INT': {
        const word = this.u32(this.d);
        const bits = (word >>> 24) & 0x0f;
        return {
          kind,
          id,
          name,
          nameOff,
          size: this.sizeOrType,
          encodingBits: bits,
          encoding: intEncodingOf(bits),
          bitsOffset: (word >>> 16) & 0xff,
          bits: word & 0xff,
        };
      }
      case 'ARRAY':
        return { kind, id, name, nameOff, type: this.ref(this.d), indexType: this.ref(this.d + 4), nelems: this.u32(this.d + 8) };
      case 'STRUCT':
      case 'UNION':
        return { kind, id, name, nameOff, size: this.sizeOrType, kindFlag: this.kflag, members: this.members() };
      case 'ENUM':
      case 'ENUM64':
        return { kind, id, name, nameOff, size: this.sizeOrType, signed: this.kflag, values: this.enumValues() };
      case 'FWD':
        return { kind, id, name, nameOff, fwdKind: this.kflag ? 'union' : 'struct' };
      case 'FUNC':
        return { kind, id, name, nameOff, type: this.headRef(), linkage: linkageOf(this.vlen) };
      case 'FUNC_PROTO':
        return { kind, id, name, nameOff, returnType: this.headRef(), params: this.params() };
      case 'VAR':
        return { kind, id, name, nameOff, type: this.headRef(), linkage: linkageOf(this.u32(this.d)) };
      case 'DATASEC':
        return { kind, id, name, nameOff, size: this.sizeOrType, vars: this.secinfos() };
      case 'FLOAT':
        return { kind, id, name, nameOff, size: this.sizeOrType };
      case 'DECL_TAG':
        return { kind, id, name, nameOff, type: this.headRef(), componentIdx: this.i32(this.d) };
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
        type: this.ref(o + 4),
        bitsOffset: this.kflag ? raw & 0xffffff : raw,
        bitfieldSize: this.kflag ? raw >>> 24 : 0,
      };
    }
    return out;
  }

  private enumValues(): BtfEnumValue[] {
    const out: BtfEnumValue[] = new Array(this.vlen);
    const is64 = this.kind === 'ENUM64';
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      const nameOff = this.u32(o);
      let value: bigint;
      if (is64) {
        const u = (BigInt(this.u32(o + 8)) << 32n) | BigInt(this.u32(o + 4));
        value = this.kflag ? BigInt.asIntN(64, u) : u;
      } else {
        value = BigInt(this.kflag ? this.i32(o + 4) : this.u32(o + 4));
      }
      out[i] = { name: this.str(nameOff), nameOff, value };
    }
    return out;
  }

  private params(): BtfParam[] {
    const out: BtfParam[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      const nameOff = this.u32(o);
      out[i] = { name: this.str(nameOff), nameOff, type: this.ref(o + 4) };
    }
    return out;
  }

  private secinfos(): BtfVarSecinfo[] {
    const out: BtfVarSecinfo[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += this.stride) {
      out[i] = { type: this.ref(o), offset: this.u32(o + 4), size: this.u32(o + 8) };
    }
    return out;
  }
}
