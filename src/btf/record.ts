/**
 * One type's raw record (Documentation/bpf/btf.rst layout) as a cursor, and
 * the bit fields packed into its words, each defined once: the decoder
 * (reader.ts) makes objects from them, the bpftool-format writer prints
 * from them without making any.
 *
 * A cursor is placed on a record by a `TypeRecords` source: a scanned type
 * table (LazyBtf, zero-copy over the input) or the encoder's scratch for an
 * object (encode.ts, RecordEncoder). Names stay bytes (`StringBytes`), so a
 * writer copies them as bpftool does instead of making a JS string.
 */
import { type BtfKind, KIND_BY_CODE } from './kinds.js';

/** Header bytes of every type record (name_off, info, size_or_type). */
export const TYPE_HEADER = 12;

/** A string section's bytes and where its offsets start; offsets below `startOff` are the base's. */
export interface StringBytes {
  readonly data: Uint8Array;
  readonly startOff: number;
  readonly baseBytes: StringBytes | undefined;
}

/** The section of a split chain holding string offset `off` (checked by the scan, so it exists). */
export function sectionOf(s: StringBytes, off: number): StringBytes {
  let at = s;
  while (off < at.startOff && at.baseBytes !== undefined) at = at.baseBytes;
  return at;
}

/** A position on one type record. Reused: sources re-place it instead of making a new one per type. */
export class TypeRecord {
  private v: DataView = new DataView(new ArrayBuffer(TYPE_HEADER));
  private le = true;
  private pos = 0;
  /** Type id in the (split) id space. */
  id = 0;
  /** Where the record's string offsets point. */
  names: StringBytes = { data: new Uint8Array(1), startOff: 0, baseBytes: undefined };

  /** The info word, read once at `place`: kind, vlen and kind_flag are each asked for per type. */
  private info = 0;

  place(v: DataView, le: boolean, pos: number, id: number, names: StringBytes): void {
    this.v = v;
    this.le = le;
    this.pos = pos;
    this.id = id;
    this.names = names;
    this.info = v.getUint32(pos + 4, le);
  }
  /** Word at byte `o` of the record (0: name_off, 4: info, 8: size_or_type, 12...: kind data and entries). */
  u32(o: number): number {
    return this.v.getUint32(this.pos + o, this.le);
  }
  i32(o: number): number {
    return this.v.getInt32(this.pos + o, this.le);
  }
  get nameOff(): number {
    return this.u32(0);
  }
  /** Checked by the scan (or made by the encoder), so always a known kind. */
  get kind(): BtfKind {
    return KIND_BY_CODE[(this.info >>> 24) & 0x1f] as BtfKind;
  }
  get vlen(): number {
    return this.info & 0xffff;
  }
  get kindFlag(): boolean {
    return this.info >>> 31 === 1;
  }
  get sizeOrType(): number {
    return this.u32(8);
  }
}

/** Where a writer reads records from: this blob's types by index, and any type of the split chain by id. */
export interface TypeRecords {
  /** This blob's own types. */
  readonly count: number;
  /** Place `r` on this blob's type number `index` (0-based). */
  place(index: number, r: TypeRecord): void;
  /**
   * Place `r` on the type of `id` across the split chain, for its name and
   * kind only (a source may leave the rest of the record out: a DATASEC
   * entry may name a type of 65535 members, and only its header is
   * printed); false for void (0) or an id out of range.
   */
  placeHeadById(id: number, r: TypeRecord): boolean;
}

/** INT's encoding word: encoding bits 24..27, bit offset 16..23, bit count 0..7. */
export const intEncodingBitsOf = (word: number): number => (word >>> 24) & 0x0f;
export const intBitsOffsetOf = (word: number): number => (word >>> 16) & 0xff;
export const intBitsOf = (word: number): number => word & 0xff;

/** A member's offset word: with the composite's kind_flag, bitfield size in bits 24..31 and the offset below. */
export const memberBitsOffsetOf = (raw: number, kindFlag: boolean): number => (kindFlag ? raw & 0xffffff : raw);
export const memberBitfieldSizeOf = (raw: number, kindFlag: boolean): number => (kindFlag ? raw >>> 24 : 0);

/** FWD's kind_flag: a forward union, else struct. */
export const fwdKindOf = (kindFlag: boolean): 'struct' | 'union' => (kindFlag ? 'union' : 'struct');

/** ENUM's value word: signed (kind_flag) or unsigned 32 bits. */
export const enum32Of = (word: number, signed: boolean): number => (signed ? word | 0 : word);

/** ENUM64's value from its two words, signed (kind_flag) or unsigned. */
export function enum64Of(lo: number, hi: number, signed: boolean): bigint {
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  return signed ? BigInt.asIntN(64, u) : u;
}
