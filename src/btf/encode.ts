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
 */
import { encodeName } from './name-bytes.js';
import { BTF_KIND, type Btf, type BtfType, type ByteOrder } from './types.js';

export const BTF_HEADER_LEN = 24;

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

/** Kind codes from the format (types.ts); every decoded kind has one. */
const KIND_CODE: Record<BtfType['kind'], number> = BTF_KIND;

/** Total string-section bytes of a BTF and its base chain: where a split blob's offsets start. */
export function stringSpaceEnd(btf: Btf): number {
  return (btf.base ? stringSpaceEnd(btf.base) : 0) + btf.header.strLen;
}

/** Interns strings into a growing section; offsets are absolute (split-aware). */
class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  constructor(
    private readonly startOff: number,
    split: boolean,
  ) {
    // Base BTF must start with the empty string; split BTF reuses the base's.
    if (split) this.offsets.set('', 0);
    else this.add('');
  }
  off(s: string): number {
    return this.offsets.get(s) ?? this.add(s);
  }
  private add(s: string): number {
    const off = this.startOff + this.size;
    const bytes = encodeName(`${s}\0`); // name bytes back as decoded (name-bytes.ts), not UTF-8-sanitised
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.offsets.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Byte size of one encoded type (header + kind data); equals its size in the decoded blob. */
export function encodedTypeSize(t: BtfType): number {
  switch (t.kind) {
    case 'INT':
    case 'VAR':
    case 'DECL_TAG':
      return 16;
    case 'ARRAY':
      return 24;
    case 'STRUCT':
    case 'UNION':
      return 12 + 12 * t.members.length;
    case 'DATASEC':
      return 12 + 12 * t.vars.length;
    case 'ENUM64':
      return 12 + 12 * t.values.length;
    case 'ENUM':
      return 12 + 8 * t.values.length;
    case 'FUNC_PROTO':
      return 12 + 8 * t.params.length;
    default:
      return 12;
  }
}

function linkageCode(l: string | number): number {
  if (typeof l === 'number') return l;
  return l === 'static' ? 0 : l === 'global' ? 1 : 2;
}

/** Writes types into a preallocated section. */
class TypeWriter {
  private readonly v: DataView;
  pos = 0;
  constructor(
    bytes: Uint8Array,
    private readonly le: boolean,
    private readonly strings: StringTable,
  ) {
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private u32(x: number): void {
    this.v.setUint32(this.pos, x >>> 0, this.le);
    this.pos += 4;
  }
  private head(t: BtfType, vlen: number, kflag: boolean, sizeOrType: number): void {
    this.u32(this.strings.off(t.name));
    this.u32(((kflag ? 1 : 0) << 31) | (KIND_CODE[t.kind] << 24) | (vlen & 0xffff));
    this.u32(sizeOrType);
  }

  write(t: BtfType): void {
    switch (t.kind) {
      case 'INT':
        this.head(t, 0, false, t.size);
        this.u32(((t.encodingBits & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.bits & 0xff));
        return;
      case 'PTR':
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        this.head(t, 0, false, t.type);
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
        this.head(t, 0, false, t.type);
        this.u32(t.componentIdx);
        return;
    }
  }
}

/** Encode `btf.types` (split over `btf.base`/`options.base` when given) into one raw BTF blob. */
export function encodeBtf(btf: EncodableBtf, options: EncodeOptions = {}): Uint8Array {
  const base = options.base ?? btf.base;
  const hdrLen = options.headerLength ?? BTF_HEADER_LEN;
  if (hdrLen < BTF_HEADER_LEN || hdrLen % 4 !== 0) throw new RangeError(`header length ${hdrLen}: must be >= 24 and a multiple of 4`);
  const le = (options.byteOrder ?? 'little') === 'little';
  const strings = new StringTable(base ? stringSpaceEnd(base) : 0, base !== undefined);
  let typeLen = 0;
  for (const t of btf.types) typeLen += encodedTypeSize(t);
  const typeSec = new Uint8Array(typeLen);
  const w = new TypeWriter(typeSec, le, strings);
  for (const t of btf.types) w.write(t);
  const strSec = strings.bytes();

  const out = new Uint8Array(hdrLen + typeLen + strSec.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xeb9f, le);
  out[2] = 1; // version
  out[3] = 0; // flags
  v.setUint32(4, hdrLen, le);
  v.setUint32(8, 0, le); // type_off
  v.setUint32(12, typeLen, le);
  v.setUint32(16, typeLen, le); // str_off
  v.setUint32(20, strSec.length, le);
  out.set(typeSec, hdrLen);
  out.set(strSec, hdrLen + typeLen);
  return out;
}
