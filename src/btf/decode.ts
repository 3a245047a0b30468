/**
 * Decode one raw BTF blob (header, type section, string section) into the
 * graph of src/btf/types.ts. Pure: bytes in, objects out.
 *
 * Layout rules follow the kernel's Documentation/bpf/btf.rst. Checks are
 * the ones libbpf makes when parsing, plus reference checks, so that a
 * malformed blob fails here with an offset instead of later with nonsense.
 * Offsets in errors are relative to the start of `bytes`.
 *
 * The parts: header.ts (header), strings.ts (string section), reader.ts
 * (type section: the scan that checks it, then objects), validate.ts
 * (references). Two results share every check: `decodeBtf` makes the whole
 * graph; `decodeBtfLazy` keeps the scanned table and makes a type's object
 * when asked (the json dump, which needs each type once), or places a
 * record cursor on the type's bytes (the bpftool-format dump, no object).
 */
import { BtfIndex } from './btf-index.js';
import { decodeHeader } from './header.js';
import { readTypes, scanTypes, TypeDecoder, type TypeTable } from './reader.js';
import type { TypeRecord, TypeRecords } from './record.js';
import { checkStringSection, SectionStrings, type StringLookup, stringsOf } from './strings.js';
import type { Btf, BtfHeader, BtfType, ByteOrder } from './types.js';
import { typeCount } from './types.js';
import { checkReferences } from './validate.js';

export { BTF_MAGIC, BTF_MIN_HEADER, btfByteOrderAt, decodeHeader } from './header.js';

export interface DecodeOptions {
  /**
   * Base BTF for split BTF: ids and string offsets continue from it. A
   * decoded or hand-built Btf, or its index (whose string lookups are then
   * reused instead of rebuilt).
   */
  base?: Btf | BtfIndex;
}

/** What both decoders read before the types: header, string section, where ids start. */
interface BlobParts {
  readonly header: BtfHeader;
  readonly byteOrder: ByteOrder;
  readonly byteLength: number;
  readonly strData: Uint8Array;
  readonly strings: SectionStrings;
  readonly startId: number;
  /** Offset of the type section in the blob, and the section. */
  readonly typeAt: number;
  readonly typeSec: Uint8Array;
}

function blobParts(bytes: Uint8Array, baseStrings: StringLookup | undefined, baseCount: number | undefined): BlobParts {
  const { header, byteOrder, byteLength } = decodeHeader(bytes);
  const strAt = header.hdrLen + header.strOff;
  const strData = bytes.subarray(strAt, strAt + header.strLen);
  checkStringSection(strData, strAt, baseCount !== undefined);
  const strings = new SectionStrings(strData, baseStrings ? baseStrings.end : 0, baseStrings);
  const typeAt = header.hdrLen + header.typeOff;
  const typeSec = bytes.subarray(typeAt, typeAt + header.typeLen);
  return { header, byteOrder, byteLength, strData, strings, startId: (baseCount ?? 0) + 1, typeAt, typeSec };
}

/**
 * Decode one BTF blob. `bytes` may extend past the blob (archives); only
 * the blob's own extent is read and `byteLength` says where it ended.
 */
export function decodeBtf(bytes: Uint8Array, options: DecodeOptions = {}): Btf {
  const given = options.base;
  const baseIndex = given instanceof BtfIndex ? given : undefined;
  const base = given instanceof BtfIndex ? given.btf : given;
  const baseStrings = baseIndex ? baseIndex.strings : base ? stringsOf(base) : undefined;
  const p = blobParts(bytes, baseStrings, base ? typeCount(base) : undefined);
  const { types, table } = readTypes(p.typeSec, p.typeAt, p.byteOrder, p.startId, p.strings);
  const btf: Btf = { header: p.header, byteOrder: p.byteOrder, startId: p.startId, types, base, byteLength: p.byteLength, stringSection: p.strData };
  // The scan tracked the largest id referred to; only when it is out of
  // range do we walk the types again to say which reference is bad.
  if (table.maxRef > typeCount(btf)) checkReferences(btf, p.typeAt);
  return btf;
}

/**
 * What a dump that visits each type once reads of a blob: a LazyBtf, or a
 * module relocated from its distilled base (distilled.ts, RelocatedLazy).
 */
export interface LazyTypes {
  readonly header: BtfHeader;
  readonly byteOrder: ByteOrder;
  readonly startId: number;
  readonly byteLength: number;
  /** This blob's own types. */
  readonly count: number;
  readonly base: LazyTypes | undefined;
  /** Ids defined, base chain included. */
  readonly typeCount: number;
  /** This blob's type number `index` (0-based), as a fresh object. */
  typeAt(index: number): BtfType;
  /** The type of this id across the split chain; undefined for void (0) or out of range. */
  typeById(id: number): BtfType | undefined;
}

/**
 * A blob checked exactly as `decodeBtf` checks it, whose types are made
 * when asked and not kept: for a consumer that visits each type once in
 * order (a dump), memory stays at the input's bytes plus 4 bytes a type.
 */
export class LazyBtf implements LazyTypes, TypeRecords {
  readonly header: BtfHeader;
  readonly byteOrder: ByteOrder;
  readonly startId: number;
  readonly byteLength: number;
  /** This blob's own types. */
  readonly count: number;
  readonly strings: SectionStrings;
  private readonly decoder: TypeDecoder;
  private readonly table: TypeTable;
  private readonly view: DataView;

  constructor(
    parts: BlobParts,
    table: TypeTable,
    readonly base: LazyBtf | undefined,
  ) {
    this.header = parts.header;
    this.byteOrder = parts.byteOrder;
    this.startId = parts.startId;
    this.byteLength = parts.byteLength;
    this.count = table.count;
    this.strings = parts.strings;
    this.decoder = new TypeDecoder(table, parts.strings, parts.typeAt);
    this.table = table;
    this.view = new DataView(table.sec.buffer, table.sec.byteOffset, table.sec.byteLength);
  }

  /** Place `r` on the record of this blob's type number `index`: no object, the input's own bytes. */
  place(index: number, r: TypeRecord): void {
    r.place(this.view, this.table.le, this.table.offsets[index], this.startId + index, this.strings);
  }

  /** As typeById, placing `r` on the (whole) record instead of making an object. */
  placeHeadById(id: number, r: TypeRecord): boolean {
    if (id <= 0) return false;
    if (id < this.startId) return this.base?.placeHeadById(id, r) === true;
    if (id - this.startId >= this.count) return false;
    this.place(id - this.startId, r);
    return true;
  }

  /** Ids defined, base chain included. */
  get typeCount(): number {
    return this.startId - 1 + this.count;
  }

  /** This blob's type number `index` (0-based), as a fresh object. */
  typeAt(index: number): BtfType {
    return this.decoder.decode(index);
  }

  /** The type of this id across the split chain, as a fresh object; undefined for void (0) or out of range. */
  typeById(id: number): BtfType | undefined {
    if (id <= 0) return undefined;
    if (id < this.startId) return this.base?.typeById(id);
    return id - this.startId < this.count ? this.typeAt(id - this.startId) : undefined;
  }
}

/** As decodeBtf, without keeping objects; split BTF continues from a lazy base. */
export function decodeBtfLazy(bytes: Uint8Array, options: { base?: LazyBtf } = {}): LazyBtf {
  const base = options.base;
  const p = blobParts(bytes, base?.strings, base?.typeCount);
  const table = scanTypes(p.typeSec, p.typeAt, p.byteOrder, p.startId, p.strings);
  const lazy = new LazyBtf(p, table, base);
  if (table.maxRef > lazy.typeCount) {
    // Rare (a malformed blob): make the objects so the one reference check names the bad id.
    const types = Array.from({ length: table.count }, (_, i) => lazy.typeAt(i));
    checkReferences({ header: p.header, byteOrder: p.byteOrder, startId: p.startId, types, byteLength: p.byteLength }, p.typeAt);
  }
  return lazy;
}
