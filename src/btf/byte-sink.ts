/**
 * Dump text as bytes, written straight into fixed-size chunks: numbers as
 * digits, names as their bytes. For vmlinux (126k types, 12 MB of text)
 * building JS strings and joining them was most of a dump's time and
 * garbage. The writer of the bpftool-format dump (dump-bpftool.ts) and of
 * the canonical dump (canonical/dump.ts), with the field labels they share.
 */
import { decodeName, encodeName } from '../artifact/name-bytes.js';
import { type StringBytes, sectionOf } from './record.js';
import { shownName } from './words.js';

// 64 KiB: a 1 MiB chunk was ~1 MiB of vmlinux's peak RSS for no measurable CPU (190 writes instead of 12).
const CHUNK = 1 << 16;

/** How bpftool quotes the empty name. */
export const ANON = `'${shownName('')}'`;

/**
 * Byte output in chunks. `flush` receives a view that is only valid during
 * the call (the buffer is reused), so consumers write or copy it at once.
 */
export class ByteSink {
  private buf: Uint8Array;
  private pos = 0;
  constructor(
    private readonly flushTo: (chunk: Uint8Array) => void,
    size = CHUNK,
  ) {
    this.buf = new Uint8Array(size);
  }
  /** Make room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }
  flush(): void {
    if (this.pos > 0) this.flushTo(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
  /** ASCII text (literals, keywords, bigint digits). */
  ascii(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }
  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }
  /** Bytes as they are (a name's encoding). */
  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
  /**
   * A name held as a decoded string (artifact/name-bytes.ts): 'original'
   * writes the bytes it was decoded from; 'utf8' writes UTF-8, each byte that
   * was not UTF-8 as U+FFFD, which is what writing the string to a stream
   * gives. ASCII names (nearly all) are copied without an encoder call.
   */
  name(s: string, encoding: NameEncoding): void {
    // One pass: copy code units while they are ASCII; `pos` moves only when all were, so a non-ASCII name's partial copy is overwritten.
    this.room(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.bytes(encoding === 'original' ? encodeName(s) : Buffer.from(s, 'utf8'));
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }
  /** Bytes of a label (a few ASCII bytes): copied by element, cheaper than `set` for so few. */
  label(l: Uint8Array): void {
    this.room(l.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < l.length; i++) b[p++] = l[i];
    this.pos = p;
  }
  /** A decimal integer in the int32/uint32 range (ids, sizes, offsets, component_idx). */
  num(n: number): void {
    this.room(11);
    this.digits(n);
  }
  /** `num` without the room check (the caller made room for 11 bytes). */
  private digits(n: number): void {
    const b = this.buf;
    if (n < 0) {
      b[this.pos++] = 0x2d; // '-'
      n = -n;
    }
    // Most numbers here are ids and offsets of 1-6 digits: compare, do not divide, to count.
    const digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      b[--p] = 0x30 + (n - q * 10);
      n = q;
    } while (n > 0);
  }
  /**
   * `'name'` for the string at `off`, its bytes copied as they are (bpftool
   * prints name bytes unchanged, UTF-8 or not); `'(anon)'` for the empty name.
   */
  quoted(names: StringBytes, off: number): void {
    const s = sectionOf(names, off);
    const data = s.data;
    const start = off - s.startOff;
    let end = start;
    while (end < data.length && data[end] !== 0) end++;
    if (end === start) {
      this.ascii(ANON);
      return;
    }
    this.room(end - start + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x27;
    for (let i = start; i < end; i++) b[p++] = data[i];
    b[p++] = 0x27;
    this.pos = p;
  }
  /** ` label=N`: a field and its decimal value (one room check for both: this runs ~1.5M times for vmlinux). */
  field(label: Uint8Array, n: number): void {
    this.room(label.length + 11);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < label.length; i++) b[p++] = label[i];
    this.pos = p;
    this.digits(n);
  }
  /** ` label=word`: a field and its ASCII value. */
  word(label: Uint8Array, w: string): void {
    this.room(label.length);
    this.buf.set(label, this.pos);
    this.pos += label.length;
    this.ascii(w);
  }
  /** The start of a continuation line: tab and the quoted name of a member, enumerator or parameter. */
  entry(names: StringBytes, off: number): void {
    this.ascii('\n\t');
    this.quoted(names, off);
  }
}

/** How ByteSink.name writes a decoded name. */
export type NameEncoding = 'original' | 'utf8';

/** The text `fill` writes through a sink's flush, as a string: decoded losslessly, so 'original' names come back as they were. */
export function textOf(fill: (write: (chunk: Uint8Array) => void) => void): string {
  const chunks: Buffer[] = [];
  fill((chunk) => chunks.push(Buffer.from(chunk)));
  return decodeName(Buffer.concat(chunks));
}

/** The labels of fields, as bytes: copying them is element loads, not a charCodeAt call per character (most of the dump runs before the JIT has optimised it). */
export const label = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const BITFIELD_SIZE = label(' bitfield_size=');
export const BITS_OFFSET = label(' bits_offset=');
export const COMMA_LINKAGE = label(', linkage=');
export const COMPONENT_IDX = label(' component_idx=');
export const ENCODING = label(' encoding=');
export const ENTRY_TYPE_ID = label('\n\ttype_id=');
export const FWD_KIND = label(' fwd_kind=');
export const INDEX_TYPE_ID = label(' index_type_id=');
export const LINKAGE = label(' linkage=');
export const NR_BITS = label(' nr_bits=');
export const NR_ELEMS = label(' nr_elems=');
export const OFFSET = label(' offset=');
export const RET_TYPE_ID = label(' ret_type_id=');
export const SIZE = label(' size=');
export const TYPE_ID = label(' type_id=');
export const VAL = label(' val=');
export const VLEN = label(' vlen=');
