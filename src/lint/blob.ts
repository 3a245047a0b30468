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

/**
 * The type records of one id space as columns indexed by type id, as
 * found by the first pass: a type is its id, with no object per type
 * (vmlinux has ~130k). Id 0 is void (kind 0, every column 0). Split
 * BTF's columns start with the base's ids, whose `at` is 0: only their
 * kind, size_or_type and name are ever asked for (module BTF is not
 * resolved).
 */
export class TypeColumns {
  /** Offset of the record in its blob; its kind-specific part starts 12 bytes later. */
  readonly at: Uint32Array;
  readonly nameOff: Uint32Array;
  readonly info: Uint32Array;
  /** The kind code, info bits 24..28. */
  readonly kind: Uint8Array;
  /** The size_or_type word. */
  readonly sot: Uint32Array;
  /** Ids 0..count-1 are filled in. */
  count = 1;

  /** Room for `capacity` ids, void included; a record past it is a bug of the caller. */
  constructor(readonly capacity: number) {
    this.at = new Uint32Array(capacity);
    this.nameOff = new Uint32Array(capacity);
    this.info = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.sot = new Uint32Array(capacity);
  }

  /** Fill in id `count` from the record at `at` (without counting it: the caller decides whether it stays). */
  read(b: Bytes, at: number): number {
    const id = this.count;
    const info = b.u32(at + 4);
    this.at[id] = at;
    this.nameOff[id] = b.u32(at);
    this.info[id] = info;
    this.kind[id] = (info >>> 24) & 0x1f;
    this.sot[id] = b.u32(at + 8);
    return id;
  }

  /** Take over the first `n` ids of `from` (a base's), without their offsets. */
  copyFrom(from: TypeColumns, n: number): void {
    this.nameOff.set(from.nameOff.subarray(0, n));
    this.info.set(from.info.subarray(0, n));
    this.kind.set(from.kind.subarray(0, n));
    this.sot.set(from.sot.subarray(0, n));
    this.count = n;
  }
}

// extraBytes of each kind code as fixed part and bytes per entry, looked
// up by code: asked for every record, without a lookup by kind name.
const FIXED = new Int32Array(32).fill(-1);
const STRIDE = new Int32Array(32);
for (let code = 0; code < KIND_BY_CODE.length; code++) {
  const k = KIND_BY_CODE[code];
  if (k === undefined) continue;
  FIXED[code] = extraBytes(k, 0);
  STRIDE[code] = extraBytes(k, 1) - FIXED[code];
}

/** Bytes after the 12-byte record header, by kind code (btf/kinds.ts); undefined for an unknown kind. */
export function extraSize(kind: number, vlen: number): number | undefined {
  const fixed = FIXED[kind & 31];
  return fixed < 0 ? undefined : fixed + STRIDE[kind & 31] * vlen;
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

  // Each question below goes to the section holding `off` (which must be
  // valid), then reads it by index: no pair of section and index is made
  // per question, as the verifier asks one or more per type and member.

  /** The string at a valid offset (Latin-1, as bytes are). */
  text(off: number): string {
    if (off < this.start && this.base) return this.base.text(off);
    const sec = this.sec;
    const i = off - this.start;
    let end = i;
    while (end < sec.length && sec[end] !== 0) end++;
    let s = '';
    for (let j = i; j < end; j++) s += String.fromCharCode(sec[j]);
    return s;
  }

  /** Whether the string at a valid offset is non-empty. */
  nonEmpty(off: number): boolean {
    if (off < this.start && this.base) return this.base.nonEmpty(off);
    return byteAt(this.sec, off - this.start) !== 0;
  }

  /** btf_name_valid_identifier (6.18): a C identifier, dots allowed, shorter than the limit. */
  identifier(off: number): boolean {
    if (off < this.start && this.base) return this.base.identifier(off);
    const sec = this.sec;
    const i = off - this.start;
    const first = byteAt(sec, i);
    if (!isAlpha(first) && first !== UNDERSCORE && first !== DOT) return false;
    let k = 1;
    for (; byteAt(sec, i + k) !== 0 && k < KSYM_NAME_LEN; k++) {
      const c = byteAt(sec, i + k);
      if (!isAlnum(c) && c !== UNDERSCORE && c !== DOT) return false;
    }
    return byteAt(sec, i + k) === 0;
  }

  /** btf_name_valid_section (6.18): non-empty, printable, shorter than the limit. */
  section(off: number): boolean {
    if (off < this.start && this.base) return this.base.section(off);
    const sec = this.sec;
    const i = off - this.start;
    if (byteAt(sec, i) === 0) return false;
    let k = 0;
    for (; byteAt(sec, i + k) !== 0 && k < KSYM_NAME_LEN; k++) if (!isPrint(byteAt(sec, i + k))) return false;
    return byteAt(sec, i + k) === 0;
  }
}

/** Byte i of a string section (0 past its end). */
function byteAt(sec: Uint8Array, i: number): number {
  return i < sec.length ? sec[i] : 0;
}
