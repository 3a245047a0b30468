/**
 * A tolerant view of one BTF blob's bytes for the lint: the header as the
 * kernel copies it, the string section, and the type records the kernel's
 * first pass would walk. Nothing here throws on malformed input; the
 * checks in verify.ts decide what is wrong.
 */

import { BTF_MAGIC, BTF_MIN_HEADER } from '../btf/header.js';
import { BTF_KIND, extraBytes, KIND_BY_CODE, KIND_NAMES } from '../btf/kinds.js';
import type { BtfHeader } from '../btf/types.js';

export { BTF_MAGIC };
export const BTF_HEADER_SIZE = BTF_MIN_HEADER;
export const BTF_MAX_TYPE = 0xfffff;
export const BTF_MAX_NAME_OFFSET = 0xffffff;
/** Longest identifier the kernel accepts, counted as in __btf_name_valid (KSYM_NAME_LEN). */
const KSYM_NAME_LEN = 512;

/** Numeric kind codes from the one kind table (btf/kinds.ts), with 0 as VOID. */
export const K = { VOID: 0, ...BTF_KIND } as const;
export const MAX_KIND = KIND_NAMES.length - 1;

/** Multi-byte reads in one byte order over the whole blob. */
export class Bytes {
  readonly view: DataView;
  constructor(
    readonly data: Uint8Array,
    readonly le: boolean,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  u32(o: number): number {
    return this.view.getUint32(o, this.le);
  }
  i32(o: number): number {
    return this.view.getInt32(o, this.le);
  }
}

/** The header fields as the kernel sees them: min(hdr_len, 24) bytes copied over zeros. */
export type KernelHeader = BtfHeader;

export function copiedHeader(b: Bytes, rawHdrLen: number): KernelHeader {
  const copy = new Uint8Array(BTF_HEADER_SIZE);
  copy.set(b.data.subarray(0, Math.min(rawHdrLen, BTF_HEADER_SIZE)));
  const c = new Bytes(copy, b.le);
  return {
    magic: c.view.getUint16(0, b.le),
    version: copy[2],
    flags: copy[3],
    hdrLen: c.u32(4),
    typeOff: c.u32(8),
    typeLen: c.u32(12),
    strOff: c.u32(16),
    strLen: c.u32(20),
  };
}

/** One type record, as found by the first pass. `data` is where its kind-specific part starts. */
export interface Rec {
  readonly id: number;
  /** Offset of the record in its blob. */
  readonly at: number;
  readonly nameOff: number;
  readonly info: number;
  readonly kind: number;
  readonly vlen: number;
  readonly kflag: boolean;
  /** The size_or_type word. */
  readonly sot: number;
  readonly data: number;
  /** The blob the record lives in (the base's for base types). */
  readonly bytes: Bytes;
}

/** The void type (id 0): kind 0, no size. */
export const VOID: Rec = {
  id: 0,
  at: -1,
  nameOff: 0,
  info: 0,
  kind: K.VOID,
  vlen: 0,
  kflag: false,
  sot: 0,
  data: -1,
  bytes: new Bytes(new Uint8Array(4), true),
};

export function recordFields(b: Bytes, at: number, id: number): Rec {
  const info = b.u32(at + 4);
  return {
    id,
    at,
    nameOff: b.u32(at),
    info,
    kind: (info >>> 24) & 0x1f,
    vlen: info & 0xffff,
    kflag: info >>> 31 === 1,
    sot: b.u32(at + 8),
    data: at + 12,
    bytes: b,
  };
}

/** Bytes after the 12-byte record header, by kind code (btf/kinds.ts); undefined for an unknown kind. */
export function extraSize(kind: number, vlen: number): number | undefined {
  const k = KIND_BY_CODE[kind];
  return k === undefined ? undefined : extraBytes(k, vlen);
}

// The kernel's ctype table (lib/ctype.c) classifies Latin-1 letters as
// letters too; names are checked byte by byte against it.
const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
const PUNCT = 8;
const SPACE_CHAR = 16;
const CTYPE = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (c >= 0x41 && c <= 0x5a) t[c] = UPPER;
    else if (c >= 0x61 && c <= 0x7a) t[c] = LOWER;
    else if (c >= 0x30 && c <= 0x39) t[c] = DIGIT;
    else if (c === 0x20 || c === 0xa0) t[c] = SPACE_CHAR;
    else if ((c >= 0x21 && c <= 0x7e) || (c >= 0xa1 && c <= 0xbf) || c === 0xd7 || c === 0xf7) t[c] = PUNCT;
    else if (c >= 0xc0 && c <= 0xde) t[c] = UPPER;
    else if (c >= 0xdf && c <= 0xff) t[c] = LOWER;
  }
  return t;
})();
const isAlpha = (c: number) => (CTYPE[c] & (UPPER | LOWER)) !== 0;
const isAlnum = (c: number) => (CTYPE[c] & (UPPER | LOWER | DIGIT)) !== 0;
const isPrint = (c: number) => (CTYPE[c] & (UPPER | LOWER | DIGIT | PUNCT | SPACE_CHAR)) !== 0;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;

/** A string section, continuing a base's offsets for split BTF. */
export class Strings {
  constructor(
    private readonly sec: Uint8Array,
    /** First offset this section holds (the base's total for split BTF). */
    readonly start: number,
    private readonly base?: Strings,
  ) {}

  /** btf_name_offset_valid: within the maximum and inside the section (or the base's). */
  valid(off: number): boolean {
    if (off > BTF_MAX_NAME_OFFSET) return false;
    if (off < this.start) return this.base ? this.base.valid(off) : false;
    return off - this.start < this.sec.length;
  }

  /** The section and index holding `off`; off must be valid. */
  private locate(off: number): [Uint8Array, number] {
    if (off < this.start && this.base) return this.base.locate(off);
    return [this.sec, off - this.start];
  }

  /** Byte i of the string at `off` (0 past the section's end). */
  private at(sec: Uint8Array, i: number): number {
    return i < sec.length ? sec[i] : 0;
  }

  /** The string at a valid offset (Latin-1, as bytes are). */
  text(off: number): string {
    const [sec, i] = this.locate(off);
    let end = i;
    while (end < sec.length && sec[end] !== 0) end++;
    let s = '';
    for (let j = i; j < end; j++) s += String.fromCharCode(sec[j]);
    return s;
  }

  /** Whether the string at a valid offset is non-empty. */
  nonEmpty(off: number): boolean {
    const [sec, i] = this.locate(off);
    return this.at(sec, i) !== 0;
  }

  /** btf_name_valid_identifier (6.18): a C identifier, dots allowed, shorter than the limit. */
  identifier(off: number): boolean {
    const [sec, i] = this.locate(off);
    const first = this.at(sec, i);
    if (!isAlpha(first) && first !== UNDERSCORE && first !== DOT) return false;
    let k = 1;
    for (; this.at(sec, i + k) !== 0 && k < KSYM_NAME_LEN; k++) {
      const c = this.at(sec, i + k);
      if (!isAlnum(c) && c !== UNDERSCORE && c !== DOT) return false;
    }
    return this.at(sec, i + k) === 0;
  }

  /** btf_name_valid_section (6.18): non-empty, printable, shorter than the limit. */
  section(off: number): boolean {
    const [sec, i] = this.locate(off);
    if (this.at(sec, i) === 0) return false;
    let k = 0;
    for (; this.at(sec, i + k) !== 0 && k < KSYM_NAME_LEN; k++) if (!isPrint(this.at(sec, i + k))) return false;
    return this.at(sec, i + k) === 0;
  }
}
