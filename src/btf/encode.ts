/**
 * Encode a decoded BTF graph back into the raw BTF format. Pure.
 *
 * Uses: proving the decoder (encode(decode(x)) must dump like x under the
 * real bpftool), producing big-endian and longer-header blobs that no local
 * compiler emits, building split BTF by hand, fuzz seeds, and renumbered
 * copies (scripts/renumber-btf).
 *
 * Strings are re-interned (first use in type order, each string once), so
 * the output's string offsets differ from the input's; everything bpftool
 * prints is unchanged. Type ids are positional: `types[i]` gets id
 * `startId + i` whatever its `id` field says, and references are written as
 * given — renumbering is the caller's job.
 *
 * What does not survive: bits the decoded form does not keep (kind_flag on
 * kinds that give it no meaning, non-zero padding, unknown header fields,
 * unused or duplicated strings).
 *
 * `ObjectRecords` encodes one object at a time for a writer that reads raw
 * records (the bpftool-format dump of a graph, dump-bpftool.ts): the
 * objects' layout is this file's, so a graph prints as its encoding would.
 */
import { assertNever } from '../lang.js';
import { encodeNameInto } from '../artifact/name-bytes.js';
import { BTF_MIN_HEADER, writeHeader } from './header.js';
import { isRef, KINDS, typeSize } from './kinds.js';
import { StringWriter, stringSpaceEnd } from './strings.js';
import { TYPE_HEADER, type TypeRecord, type TypeRecords } from './record.js';
import type { Btf, BtfType, ByteOrder } from './types.js';
import { linkageCode } from './words.js';

export { stringSpaceEnd } from './strings.js';

export const BTF_HEADER_LEN = BTF_MIN_HEADER;

export interface EncodeOptions {
  /** Byte order of every multi-byte field; default little. */
  byteOrder?: ByteOrder;
  /**
   * Split BTF: string offsets continue after the base's string section and
   * anonymous names use the base's empty string at offset 0. The caller's
   * types must continue the base's id space.
   */
  base?: Btf;
  /**
   * Header length to write (>= 24, multiple of 4). Bytes after the 24 known
   * ones are zero: a "newer header" for forward-compatibility tests.
   */
  headerLength?: number;
}

/** The part of a decoded Btf the encoder needs. */
export interface EncodableBtf {
  readonly types: readonly BtfType[];
  readonly base?: Btf;
}

/** Where a name goes in the string section being written. */
interface NameOffsets {
  off(name: string): number;
}

/** Writes types into a preallocated section. */
class TypeWriter {
  private readonly v: DataView;
  pos = 0;
  constructor(
    bytes: Uint8Array,
    private readonly le: boolean,
    private readonly strings: NameOffsets,
  ) {
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private u32(x: number): void {
    this.v.setUint32(this.pos, x >>> 0, this.le);
    this.pos += 4;
  }
  private head(t: BtfType, vlen: number, kflag: boolean, sizeOrType: number): void {
    this.u32(this.strings.off(t.name));
    this.u32(((kflag ? 1 : 0) << 31) | (KINDS[t.kind].code << 24) | (vlen & 0xffff));
    this.u32(sizeOrType);
  }

  /** Only the header's name and kind (vlen and size_or_type 0): what a lookup by id needs of a type. */
  writeHead(t: BtfType): void {
    this.head(t, 0, false, 0);
  }

  write(t: BtfType): void {
    if (isRef(t)) {
      this.head(t, 0, t.kindFlag === true, t.type);
      return;
    }
    switch (t.kind) {
      case 'INT':
        this.head(t, 0, false, t.size);
        this.u32(((t.encodingBits & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.bits & 0xff));
        return;
      case 'ARRAY':
        this.head(t, 0, false, 0);
        this.u32(t.type);
        this.u32(t.indexType);
        this.u32(t.nelems);
        return;
      case 'STRUCT':
      case 'UNION':
        this.head(t, t.members.length, t.kindFlag, t.size);
        for (const m of t.members) {
          this.u32(this.strings.off(m.name));
          this.u32(m.type);
          this.u32(t.kindFlag ? ((m.bitfieldSize & 0xff) << 24) | (m.bitsOffset & 0xffffff) : m.bitsOffset);
        }
        return;
      case 'ENUM':
        this.head(t, t.values.length, t.signed, t.size);
        for (const e of t.values) {
          this.u32(this.strings.off(e.name));
          this.u32(Number(BigInt.asUintN(32, e.value)));
        }
        return;
      case 'ENUM64':
        this.head(t, t.values.length, t.signed, t.size);
        for (const e of t.values) {
          const u = BigInt.asUintN(64, e.value);
          this.u32(this.strings.off(e.name));
          this.u32(Number(u & 0xffffffffn));
          this.u32(Number(u >> 32n));
        }
        return;
      case 'FWD':
        this.head(t, 0, t.fwdKind === 'union', 0);
        return;
      case 'FUNC':
        this.head(t, linkageCode(t.linkage), false, t.type);
        return;
      case 'FUNC_PROTO':
        this.head(t, t.params.length, false, t.returnType);
        for (const p of t.params) {
          this.u32(this.strings.off(p.name));
          this.u32(p.type);
        }
        return;
      case 'VAR':
        this.head(t, 0, false, t.type);
        this.u32(linkageCode(t.linkage));
        return;
      case 'DATASEC':
        this.head(t, t.vars.length, false, t.size);
        for (const v of t.vars) {
          this.u32(v.type);
          this.u32(v.offset);
          this.u32(v.size);
        }
        return;
      case 'FLOAT':
        this.head(t, 0, false, t.size);
        return;
      case 'DECL_TAG':
        this.head(t, 0, t.kindFlag, t.type);
        this.u32(t.componentIdx);
        return;
    }
    assertNever(t);
  }
}

/** Encode `btf.types` (split over `btf.base`/`options.base` when given) into one raw BTF blob. */
export function encodeBtf(btf: EncodableBtf, options: EncodeOptions = {}): Uint8Array {
  const base = options.base ?? btf.base;
  const hdrLen = options.headerLength ?? BTF_HEADER_LEN;
  if (hdrLen < BTF_HEADER_LEN || hdrLen % 4 !== 0) throw new RangeError(`header length ${hdrLen}: must be >= 24 and a multiple of 4`);
  const le = (options.byteOrder ?? 'little') === 'little';
  const strings = new StringWriter(base ? stringSpaceEnd(base) : 0, base !== undefined);
  let typeLen = 0;
  for (const t of btf.types) typeLen += typeSize(t);
  const typeSec = new Uint8Array(typeLen);
  const w = new TypeWriter(typeSec, le, strings);
  for (const t of btf.types) w.write(t);
  const strSec = strings.bytes();

  const out = new Uint8Array(hdrLen + typeLen + strSec.length);
  writeHeader(out, le, hdrLen, typeLen, strSec.length);
  out.set(typeSec, hdrLen);
  out.set(strSec, hdrLen + typeLen);
  return out;
}

/** Encodes one object at a time into a reused buffer, names into a section of their own. */
class RecordEncoder {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  /** Reused: a report renders tens of thousands of single records. */
  private readonly strings = new RecordNames();
  private writer = new TypeWriter(this.buf, true, this.strings);
  /** The whole record of `t`. */
  place(t: BtfType, r: TypeRecord): void {
    this.start(typeSize(t)).write(t);
    this.placed(t, r);
  }
  /** Only the header of `t` (name and kind), however many entries it has. */
  placeHead(t: BtfType, r: TypeRecord): void {
    this.start(TYPE_HEADER).writeHead(t);
    this.placed(t, r);
  }
  /** The writer, at the start of a buffer of at least `size` bytes and an empty string section. */
  private start(size: number): TypeWriter {
    if (size > this.buf.length) {
      this.buf = new Uint8Array(size);
      this.view = new DataView(this.buf.buffer);
      this.writer = new TypeWriter(this.buf, true, this.strings);
    }
    this.writer.pos = 0;
    this.strings.reset();
    return this.writer;
  }
  private placed(t: BtfType, r: TypeRecord): void {
    r.place(this.view, true, 0, t.id, { data: this.strings.bytes(), startOff: 0, baseBytes: undefined });
  }
}

/**
 * The string section of one record: each name appended as it comes (a
 * record repeats few names, so no lookup), into one buffer reused from
 * record to record; valid until the next reset.
 */
class RecordNames implements NameOffsets {
  private buf = new Uint8Array(1024);
  private size = 1; // offset 0: the empty name
  reset(): void {
    this.size = 1;
  }
  off(name: string): number {
    if (name === '') return 0;
    const need = this.size + name.length * 3 + 1;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.size));
      this.buf = grown;
    }
    const at = this.size;
    this.size = encodeNameInto(name, this.buf, at);
    this.buf[this.size++] = 0;
    return at;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }
}

/**
 * Records of objects: a decoded or in-memory graph, or types made when
 * asked (a relocated module). The record keeps the object's `id`. A record
 * placed by `place` stays valid across one `placeHeadById` (two buffers).
 */
export class ObjectRecords implements TypeRecords {
  private readonly own = new RecordEncoder();
  private readonly other = new RecordEncoder();
  constructor(
    readonly count: number,
    private readonly typeAt: (index: number) => BtfType,
    private readonly typeById: (id: number) => BtfType | undefined,
  ) {}
  place(index: number, r: TypeRecord): void {
    this.own.place(this.typeAt(index), r);
  }
  /** As `place`, for an object given rather than found by index (one line of a report). */
  placeObject(t: BtfType, r: TypeRecord): void {
    this.own.place(t, r);
  }
  placeHeadById(id: number, r: TypeRecord): boolean {
    const t = this.typeById(id);
    if (t === undefined) return false;
    this.other.placeHead(t, r);
    return true;
  }
}
