/**
 * Decode one raw BTF blob (header, type section, string section) into the
 * graph of src/btf/types.ts. Pure: bytes in, objects out.
 *
 * Layout rules follow the kernel's Documentation/bpf/btf.rst. Checks are
 * the ones libbpf makes when parsing, plus reference checks, so that a
 * malformed blob fails here with an offset instead of later with nonsense.
 * Offsets in errors are relative to the start of `bytes`.
 */
import { isAscii as bufferIsAscii } from 'node:buffer';
import { InputError } from '../errors.js';
import type { Btf, BtfEnumValue, BtfHeader, BtfMember, BtfParam, BtfType, BtfVarSecinfo, ByteOrder, Linkage } from './types.js';
import { hasSingleRef, KIND_NAMES, typeCount } from './types.js';
import { encodedTypeSize } from './encode.js';
import { decodeName } from './name-bytes.js';

export const BTF_MAGIC = 0xeb9f;
/** The header every BTF version starts with; longer headers add fields after it. */
export const BTF_MIN_HEADER = 24;
const TYPE_HEADER = 12;
const MAX_KIND = 19;

export interface DecodeOptions {
  /** Base BTF for split BTF: ids and string offsets continue from it. */
  base?: Btf;
}

/** Detect BTF magic at `offset`; returns the byte order or undefined. */
export function btfByteOrderAt(bytes: Uint8Array, offset = 0): ByteOrder | undefined {
  if (offset + 2 > bytes.length) return undefined;
  if (bytes[offset] === 0x9f && bytes[offset + 1] === 0xeb) return 'little';
  if (bytes[offset] === 0xeb && bytes[offset + 1] === 0x9f) return 'big';
  return undefined;
}

/** Parse and validate the header; the blob's extent is hdrLen + max section end. */
export function decodeHeader(bytes: Uint8Array): { header: BtfHeader; byteOrder: ByteOrder; byteLength: number } {
  if (bytes.length < BTF_MIN_HEADER) {
    throw new InputError(`BTF header truncated: ${bytes.length} bytes, need ${BTF_MIN_HEADER}`, { offset: bytes.length });
  }
  const byteOrder = btfByteOrderAt(bytes);
  if (!byteOrder) {
    const got = ((bytes[0] << 8) | bytes[1]).toString(16).padStart(4, '0');
    throw new InputError(`bad BTF magic 0x${got} (expected 0xeb9f)`, { offset: 0 });
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = byteOrder === 'little';
  const header: BtfHeader = {
    magic: BTF_MAGIC,
    version: bytes[2],
    flags: bytes[3],
    hdrLen: v.getUint32(4, le),
    typeOff: v.getUint32(8, le),
    typeLen: v.getUint32(12, le),
    strOff: v.getUint32(16, le),
    strLen: v.getUint32(20, le),
  };
  if (header.version !== 1) throw new InputError(`unsupported BTF version ${header.version}`, { offset: 2 });
  if (header.hdrLen < BTF_MIN_HEADER) throw new InputError(`BTF header length ${header.hdrLen} is shorter than ${BTF_MIN_HEADER}`, { offset: 4 });
  if (header.hdrLen > bytes.length)
    throw new InputError(`BTF header length ${header.hdrLen} is past the end of the data (${bytes.length} bytes)`, { offset: 4 });
  // A longer header (newer format) must only add fields; we do not interpret them.
  const typeEnd = header.typeOff + header.typeLen;
  const strEnd = header.strOff + header.strLen;
  if (header.typeOff % 4 !== 0) throw new InputError(`BTF type section offset ${header.typeOff} is not 4-byte aligned`, { offset: 8 });
  if (typeEnd > header.strOff && header.strLen > 0) {
    throw new InputError(`BTF type section (ends at ${typeEnd}) overlaps the string section (starts at ${header.strOff})`, { offset: 8 });
  }
  const byteLength = header.hdrLen + Math.max(typeEnd, strEnd);
  if (byteLength > bytes.length) {
    const field = strEnd >= typeEnd ? 16 : 8;
    throw new InputError(`BTF sections end at ${byteLength}, past the end of the data (${bytes.length} bytes)`, { offset: field });
  }
  return { header, byteOrder, byteLength };
}

/** String table lookups; split BTF continues the base's offsets. */
class Strings {
  private readonly cache = new Map<number, string>();
  private readonly ascii: string | undefined;
  constructor(
    private readonly data: Uint8Array,
    private readonly startOff: number,
    private readonly base: Strings | undefined,
  ) {
    // Identifiers are ASCII in practice; one latin1 decode of the whole
    // section then makes every lookup a slice. Otherwise decode per string.
    this.ascii = isAscii(data) ? new TextDecoder('latin1').decode(data) : undefined;
  }
  get end(): number {
    return this.startOff + this.data.length;
  }
  lookup(off: number, at: { readonly offset: number; readonly typeId: number }): string {
    if (off < this.startOff || off >= this.end) {
      if (off < this.startOff && this.base) return this.base.lookup(off, at);
      this.fail(off, at);
    }
    const rel = off - this.startOff;
    if (this.ascii !== undefined) {
      const nul = this.ascii.indexOf('\0', rel);
      return this.ascii.slice(rel, nul < 0 ? undefined : nul);
    }
    let s = this.cache.get(rel);
    if (s === undefined) {
      let end = rel;
      while (end < this.data.length && this.data[end] !== 0) end++;
      s = decodeName(this.data.subarray(rel, end)); // lossless: bytes that are not UTF-8 survive (name-bytes.ts)
      this.cache.set(rel, s);
    }
    return s;
  }
  private fail(off: number, at: { readonly offset: number; readonly typeId: number }): never {
    throw new InputError(`string offset ${off} is past the end of the string section (${this.end} bytes)`, {
      offset: at.offset,
      typeId: at.typeId,
    });
  }
}

/** Node's native check (one pass in C++); the JS byte loop cost ~25 ms on vmlinux. */
function isAscii(data: Uint8Array): boolean {
  return data.length === 0 || bufferIsAscii(data);
}

/**
 * Every type's references in typeRefs order (btf/refs.ts), as a
 * by-product of decoding: type i (0-based in `types`) refers to
 * `to[start[i] .. start[i + 1])`. The structural equality of the diff
 * (canonical/equiv.ts) walks these; reading them here, where every
 * reference is read anyway, saves it a pass over 126k objects of a dozen
 * shapes.
 */
export interface ReferenceTable {
  readonly start: Int32Array;
  /** Unsigned: a DATASEC entry may hold any u32 (it is not range-checked). */
  readonly to: Uint32Array;
}

const referenceTables = new WeakMap<Btf, ReferenceTable>();

/** The reference table of a Btf this decoder made (undefined for hand-built graphs). */
export function decodedReferences(btf: Btf): ReferenceTable | undefined {
  return referenceTables.get(btf);
}

/** Split BTF keeps a reference to its base's string table; we rebuild it per decode. */
const stringTables = new WeakMap<Btf, Strings>();

function linkageName(v: number): Linkage {
  return v === 0 ? 'static' : v === 1 ? 'global' : v === 2 ? 'extern' : v;
}

/**
 * Decode one BTF blob. `bytes` may extend past the blob (archives); only
 * the blob's own extent is read and `byteLength` says where it ended.
 */
export function decodeBtf(bytes: Uint8Array, options: DecodeOptions = {}): Btf {
  const { header, byteOrder, byteLength } = decodeHeader(bytes);
  const base = options.base;
  const strAt = header.hdrLen + header.strOff;
  const strData = bytes.subarray(strAt, strAt + header.strLen);
  checkStringSection(strData, strAt, base !== undefined);
  const baseStrings = base ? stringTables.get(base) : undefined;
  if (base && !baseStrings) throw new InputError('base BTF was not decoded by this decoder');
  const strings = new Strings(strData, baseStrings ? baseStrings.end : 0, baseStrings);
  const startId = base ? typeCount(base) + 1 : 1;
  const typeAt = header.hdrLen + header.typeOff;
  const { types, maxRef, refs } = decodeTypes(bytes.subarray(typeAt, typeAt + header.typeLen), typeAt, byteOrder, startId, strings);
  const btf: Btf = { header, byteOrder, startId, types, base, byteLength };
  referenceTables.set(btf, refs);
  // The reader tracked the largest id referred to; only when it is out of
  // range do we walk the types again to say which reference is bad.
  if (maxRef > typeCount(btf)) checkReferences(btf, typeAt);
  stringTables.set(btf, strings);
  return btf;
}

function checkStringSection(data: Uint8Array, at: number, split: boolean): void {
  if (data.length === 0) {
    if (split) return;
    throw new InputError('BTF string section is empty (it must at least hold the empty string)', { offset: at });
  }
  if (!split && data[0] !== 0) throw new InputError('BTF string section does not start with the empty string', { offset: at });
  if (data[data.length - 1] !== 0) throw new InputError('BTF string section is not NUL-terminated', { offset: at + data.length - 1 });
}

/** Decode the type section; `at` is its offset in the blob (for errors). */
function decodeTypes(
  sec: Uint8Array,
  at: number,
  order: ByteOrder,
  startId: number,
  strings: Strings,
): { types: BtfType[]; maxRef: number; refs: ReferenceTable } {
  const r = new TypeReader(sec, order === 'little', strings, at);
  const types: BtfType[] = [];
  // Every type takes at least 12 bytes and every reference at least 4,
  // so these bounds hold for any section.
  const start = new Int32Array(Math.floor(sec.length / TYPE_HEADER) + 1);
  while (r.pos < sec.length) {
    const id = startId + types.length;
    start[types.length] = r.refCount;
    r.begin(id);
    types.push(r.decode());
  }
  start[types.length] = r.refCount;
  return { types, maxRef: r.maxRef, refs: { start: start.slice(0, types.length + 1), to: r.refs.slice(0, r.refCount) } };
}

/** Bytes following the 12-byte type header, by kind. */
function extraSize(kind: number, vlen: number): number {
  switch (kind) {
    case 1: // INT
    case 14: // VAR
    case 17: // DECL_TAG
      return 4;
    case 3: // ARRAY
      return 12;
    case 4: // STRUCT
    case 5: // UNION
    case 15: // DATASEC
    case 19: // ENUM64
      return 12 * vlen;
    case 6: // ENUM
    case 13: // FUNC_PROTO
      return 8 * vlen;
    default:
      return 0;
  }
}

/**
 * Walks the type section one type at a time. One reader object for the
 * whole section keeps the hot loop free of per-type closures (vmlinux has
 * 126k types and ~400k members).
 */
class TypeReader {
  pos = 0;
  private readonly v: DataView;
  private id = 0;
  private typeAt = 0;
  private name = '';
  private nameOff = 0;
  private vlen = 0;
  private kflag = false;
  private kind = 0;
  private sizeOrType = 0;
  /** Offset of the kind-specific data. */
  private d = 0;
  /** Largest type id referred to so far (DATASEC entries excluded, as in checkReferences). */
  maxRef = 0;
  /** Every reference read, in typeRefs order (see ReferenceTable). */
  readonly refs: Uint32Array;
  refCount = 0;

  constructor(
    private readonly sec: Uint8Array,
    private readonly le: boolean,
    private readonly strings: Strings,
    private readonly sectionAt: number,
  ) {
    this.v = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
    this.refs = new Uint32Array(Math.floor(sec.length / 4) + 1);
  }

  private u32(o: number): number {
    return this.v.getUint32(o, this.le);
  }
  private i32(o: number): number {
    return this.v.getInt32(o, this.le);
  }
  /** A u32 that is a type reference: read it and remember the largest. */
  private ref(o: number): number {
    const id = this.v.getUint32(o, this.le);
    if (id > this.maxRef) this.maxRef = id;
    this.refs[this.refCount++] = id;
    return id;
  }
  /** The header's size_or_type word used as a type reference. */
  private headRef(): number {
    if (this.sizeOrType > this.maxRef) this.maxRef = this.sizeOrType;
    this.refs[this.refCount++] = this.sizeOrType;
    return this.sizeOrType;
  }
  private where() {
    return { offset: this.sectionAt + this.typeAt, typeId: this.id };
  }
  private str(off: number): string {
    return this.strings.lookup(off, this);
  }
  /** Strings.lookup asks for the location only when it fails. */
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
    this.kind = (info >>> 24) & 0x1f;
    this.vlen = info & 0xffff;
    this.kflag = info >>> 31 === 1;
    if (this.kind === 0 || this.kind > MAX_KIND) throw new InputError(`unknown BTF kind ${this.kind}`, this.where());
    const extra = extraSize(this.kind, this.vlen);
    this.d = this.pos + TYPE_HEADER;
    if (this.d + extra > this.sec.length) {
      throw new InputError(`${KIND_NAMES[this.kind]} with vlen ${this.vlen} needs ${extra} more bytes, past the end of the type section`, this.where());
    }
    this.name = this.str(this.nameOff);
    this.pos = this.d + extra;
  }

  decode(): BtfType {
    const { id, name, nameOff } = this;
    switch (this.kind) {
      case 1: {
        const word = this.u32(this.d);
        const bits = (word >>> 24) & 0x0f;
        return {
          kind: 'INT',
          id,
          name,
          nameOff,
          size: this.sizeOrType,
          encodingBits: bits,
          encoding: { signed: (bits & 1) !== 0, char: (bits & 2) !== 0, bool: (bits & 4) !== 0 },
          bitsOffset: (word >>> 16) & 0xff,
          bits: word & 0xff,
        };
      }
      case 2:
        return { kind: 'PTR', id, name, nameOff, type: this.headRef() };
      case 3:
        return { kind: 'ARRAY', id, name, nameOff, type: this.ref(this.d), indexType: this.ref(this.d + 4), nelems: this.u32(this.d + 8) };
      case 4:
      case 5:
        return { kind: this.kind === 4 ? 'STRUCT' : 'UNION', id, name, nameOff, size: this.sizeOrType, kindFlag: this.kflag, members: this.members() };
      case 6:
      case 19:
        return { kind: this.kind === 6 ? 'ENUM' : 'ENUM64', id, name, nameOff, size: this.sizeOrType, signed: this.kflag, values: this.enumValues() };
      case 7:
        return { kind: 'FWD', id, name, nameOff, fwdKind: this.kflag ? 'union' : 'struct' };
      case 8:
        return { kind: 'TYPEDEF', id, name, nameOff, type: this.headRef() };
      case 9:
        return { kind: 'VOLATILE', id, name, nameOff, type: this.headRef() };
      case 10:
        return { kind: 'CONST', id, name, nameOff, type: this.headRef() };
      case 11:
        return { kind: 'RESTRICT', id, name, nameOff, type: this.headRef() };
      case 12:
        return { kind: 'FUNC', id, name, nameOff, type: this.headRef(), linkage: linkageName(this.vlen) };
      case 13:
        return { kind: 'FUNC_PROTO', id, name, nameOff, returnType: this.headRef(), params: this.params() };
      case 14:
        return { kind: 'VAR', id, name, nameOff, type: this.headRef(), linkage: linkageName(this.u32(this.d)) };
      case 15:
        return { kind: 'DATASEC', id, name, nameOff, size: this.sizeOrType, vars: this.secinfos() };
      case 16:
        return { kind: 'FLOAT', id, name, nameOff, size: this.sizeOrType };
      case 17:
        return { kind: 'DECL_TAG', id, name, nameOff, type: this.headRef(), componentIdx: this.i32(this.d) };
      default:
        return { kind: 'TYPE_TAG', id, name, nameOff, type: this.headRef() };
    }
  }

  private members(): BtfMember[] {
    const out: BtfMember[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += 12) {
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
    const is64 = this.kind === 19;
    const stride = is64 ? 12 : 8;
    for (let i = 0, o = this.d; i < this.vlen; i++, o += stride) {
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
    for (let i = 0, o = this.d; i < this.vlen; i++, o += 8) {
      const nameOff = this.u32(o);
      out[i] = { name: this.str(nameOff), nameOff, type: this.ref(o + 4) };
    }
    return out;
  }

  private secinfos(): BtfVarSecinfo[] {
    const out: BtfVarSecinfo[] = new Array(this.vlen);
    for (let i = 0, o = this.d; i < this.vlen; i++, o += 12) {
      const type = this.u32(o);
      this.refs[this.refCount++] = type; // not ref(): DATASEC entries are not range-checked
      out[i] = { type, offset: this.u32(o + 4), size: this.u32(o + 8) };
    }
    return out;
  }
}

/**
 * Every type id a type refers to must exist. DATASEC entries are exempt,
 * as in bpftool (it prints them and skips the name lookup). Allocation-free:
 * this runs over every member of vmlinux.
 */
function checkReferences(btf: Btf, typeAt: number): void {
  const last = typeCount(btf);
  for (let i = 0; i < btf.types.length; i++) {
    const t = btf.types[i];
    const bad = firstBadReference(t, last);
    if (bad !== undefined) {
      const [ref, what] = references(t).find(([r]) => r > last) ?? [bad, 'a'];
      // Offsets are not kept per type (vmlinux has 126k); on this rare path,
      // recompute where the type starts from the sizes of those before it.
      let at = typeAt;
      for (let j = 0; j < i; j++) at += encodedTypeSize(btf.types[j]);
      throw new InputError(`${t.kind} refers to ${what} type id ${ref}, past the last id ${last}`, { typeId: t.id, offset: at });
    }
  }
}

function firstBadReference(t: BtfType, last: number): number | undefined {
  switch (t.kind) {
    case 'STRUCT':
    case 'UNION':
      for (const m of t.members) if (m.type > last) return m.type;
      return undefined;
    case 'FUNC_PROTO':
      if (t.returnType > last) return t.returnType;
      for (const p of t.params) if (p.type > last) return p.type;
      return undefined;
    case 'ARRAY':
      return t.type > last ? t.type : t.indexType > last ? t.indexType : undefined;
    case 'INT':
    case 'ENUM':
    case 'ENUM64':
    case 'FWD':
    case 'FLOAT':
    case 'DATASEC':
      return undefined;
    default:
      return t.type > last ? t.type : undefined;
  }
}

/** The type ids a type refers to, with a word for each (for messages). */
export function references(t: BtfType): Array<[number, string]> {
  if (hasSingleRef(t)) return [[t.type, 'target']];
  switch (t.kind) {
    case 'ARRAY':
      return [
        [t.type, 'element'],
        [t.indexType, 'index'],
      ];
    case 'STRUCT':
    case 'UNION':
      return t.members.map((m) => [m.type, `member '${m.name}'`]);
    case 'FUNC_PROTO':
      return [[t.returnType, 'return'], ...t.params.map((p, i): [number, string] => [p.type, `param ${i + 1}`])];
    default:
      return [];
  }
}
