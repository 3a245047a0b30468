/**
 * Render a BTF exactly as `bpftool btf dump file F` (bpftool 7.x, plain
 * output) does: one `[id] KIND 'name' fields...` line per type, with
 * members, enumerators, parameters and datasec entries on tab-indented
 * continuation lines. For split BTF only the split types are printed, as
 * bpftool does with `-B base`.
 *
 * The text is written as UTF-8 bytes straight into fixed-size chunks
 * (numbers as digits, ASCII names char by char) instead of building JS
 * strings and joining them: for vmlinux (126k types, 12 MB of text) string
 * building and its garbage were most of the dump time. One writer serves
 * the streaming form (the CLI), the whole-string form and single lines.
 *
 * The tests compare whole outputs against the installed bpftool, so any
 * formatting rule here is pinned by the oracle, not by memory.
 */
import { assertNever } from '../lang.js';
import { decodeName, encodeNameInto } from '../artifact/name-bytes.js';
import type { LazyTypes } from './decode.js';
import type { Btf, BtfType } from './types.js';
import { typeById } from './types.js';
import { enumSignWord, intEncodingOf, intEncodingWords, linkageText, shownName } from './words.js';

const CHUNK = 1 << 20;

/**
 * Byte output in chunks. `flush` receives a view that is only valid during
 * the call (the buffer is reused), so consumers write or copy it at once.
 */
class ByteSink {
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
  /** Any string (names may be non-ASCII): fast path for ASCII; otherwise the name's own bytes, as bpftool prints them (name-bytes.ts). */
  text(s: string): void {
    this.room(s.length * 3);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p = encodeNameInto(s, b, this.pos);
        break;
      }
      b[p++] = c;
    }
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
  /** `'name'`, or `'(anon)'` for the empty name, as bpftool quotes names. */
  quoted(name: string): void {
    this.byte(0x27);
    this.text(shownName(name));
    this.byte(0x27);
  }
  /** ` label=N`: a field and its decimal value (one room check for both: this runs ~1.5M times for vmlinux). */
  field(label: string, n: number): void {
    this.room(label.length + 11);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < label.length; i++) b[p++] = label.charCodeAt(i);
    this.pos = p;
    this.digits(n);
  }
  /** ` label=word`: a field and its ASCII value. */
  word(label: string, w: string): void {
    this.ascii(label);
    this.ascii(w);
  }
  /** The start of a continuation line: tab and the quoted name of a member, enumerator or parameter. */
  entry(name: string): void {
    this.ascii('\n\t');
    this.quoted(name);
  }
}

/** bpftool names single encoding flags only; other bit combinations are UNKN. */
const encodingText = (bits: number): string => (bits === 0 || bits === 1 || bits === 2 || bits === 4 ? intEncodingWords(intEncodingOf(bits)) : 'UNKN');

/** bpftool has no word for a linkage code it does not know. */
const unknownLinkage = (): string => '(unknown)';

/** Finds a type by id across the split chain (DATASEC entries name the kind and name of theirs). */
type TypeLookup = (id: number) => BtfType | undefined;

/** One type, without the trailing newline. */
function writeType(o: ByteSink, lookup: TypeLookup, t: BtfType): void {
  o.byte(0x5b); // '['
  o.num(t.id);
  o.ascii('] ');
  o.ascii(t.kind);
  o.byte(0x20);
  o.quoted(t.name);
  // One switch, no isRef call: this runs once per type of vmlinux.
  switch (t.kind) {
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      o.field(' type_id=', t.type);
      return;
    case 'INT':
      o.field(' size=', t.size);
      o.field(' bits_offset=', t.bitsOffset);
      o.field(' nr_bits=', t.bits);
      o.word(' encoding=', encodingText(t.encodingBits));
      return;
    case 'ARRAY':
      o.field(' type_id=', t.type);
      o.field(' index_type_id=', t.indexType);
      o.field(' nr_elems=', t.nelems);
      return;
    case 'STRUCT':
    case 'UNION':
      o.field(' size=', t.size);
      o.field(' vlen=', t.members.length);
      for (let i = 0; i < t.members.length; i++) {
        const m = t.members[i];
        o.entry(m.name);
        o.field(' type_id=', m.type);
        o.field(' bits_offset=', m.bitsOffset);
        if (m.bitfieldSize) o.field(' bitfield_size=', m.bitfieldSize);
      }
      return;
    case 'ENUM':
    case 'ENUM64': {
      o.word(' encoding=', enumSignWord(t.signed));
      o.field(' size=', t.size);
      o.field(' vlen=', t.values.length);
      // ENUM64 values carry a C literal suffix in bpftool; ENUM values do not.
      const suffix = t.kind === 'ENUM64' ? (t.signed ? 'LL' : 'ULL') : '';
      for (let i = 0; i < t.values.length; i++) {
        const v = t.values[i];
        o.entry(v.name);
        o.word(' val=', v.value.toString());
        o.ascii(suffix);
      }
      return;
    }
    case 'FWD':
      o.word(' fwd_kind=', t.fwdKind);
      return;
    case 'FUNC':
    case 'VAR':
      o.field(' type_id=', t.type);
      // bpftool puts a comma before VAR's linkage, not before FUNC's.
      o.word(t.kind === 'VAR' ? ', linkage=' : ' linkage=', linkageText(t.linkage, unknownLinkage));
      return;
    case 'FUNC_PROTO':
      o.field(' ret_type_id=', t.returnType);
      o.field(' vlen=', t.params.length);
      for (let i = 0; i < t.params.length; i++) {
        const p = t.params[i];
        o.entry(p.name);
        o.field(' type_id=', p.type);
      }
      return;
    case 'DATASEC':
      o.field(' size=', t.size);
      o.field(' vlen=', t.vars.length);
      for (let i = 0; i < t.vars.length; i++) {
        const v = t.vars[i];
        o.field('\n\ttype_id=', v.type);
        o.field(' offset=', v.offset);
        o.field(' size=', v.size);
        // bpftool names the entry's type whenever the id exists; id 0 is void, kind 0, which bpftool calls UNKNOWN.
        if (v.type === 0) o.ascii(` (UNKNOWN '(anon)')`);
        const vt = lookup(v.type);
        if (vt) {
          o.ascii(' (');
          o.ascii(vt.kind);
          o.byte(0x20);
          o.quoted(vt.name);
          o.byte(0x29);
        }
      }
      return;
    case 'FLOAT':
      o.field(' size=', t.size);
      return;
    case 'DECL_TAG':
      o.field(' type_id=', t.type);
      o.field(' component_idx=', t.componentIdx);
      return;
  }
  assertNever(t);
}

/**
 * Stream the whole dump as UTF-8 bytes. `write` gets chunks of up to 1 MiB
 * that are only valid during the call (write them out or copy them).
 */
export function writeBpftool(btf: Btf, write: (chunk: Uint8Array) => void): void {
  const o = new ByteSink(write);
  // Indexed loops throughout: for-of allocates iterator results until the
  // JIT optimises the loop, and that garbage forced scavenges of the whole
  // (still young) decoded graph.
  const types = btf.types;
  const lookup = (id: number) => typeById(btf, id);
  for (let i = 0; i < types.length; i++) {
    writeType(o, lookup, types[i]);
    o.byte(0x0a);
  }
  o.flush();
}

/**
 * The same dump of a LazyBtf: each type's object is made, written and
 * dropped, so nothing but the input's bytes outlives a line (no graph for
 * the garbage collector to copy).
 */
export function writeBpftoolLazy(btf: LazyTypes, write: (chunk: Uint8Array) => void): void {
  const o = new ByteSink(write);
  const lookup = (id: number) => btf.typeById(id);
  for (let i = 0; i < btf.count; i++) {
    writeType(o, lookup, btf.typeAt(i));
    o.byte(0x0a);
  }
  o.flush();
}

/** The whole dump, as bpftool prints it (every line newline-terminated). */
export function dumpBpftool(btf: Btf): string {
  const chunks: Buffer[] = [];
  writeBpftool(btf, (c) => chunks.push(Buffer.from(c)));
  return decodeName(Buffer.concat(chunks));
}

/** The text of one type, without the trailing newline. */
export function bpftoolLine(btf: Btf, t: BtfType): string {
  lineText = '';
  try {
    writeType(lineSink, (id) => typeById(btf, id), t);
  } finally {
    // Also after a throw: the next line must not start with this one's bytes.
    lineSink.flush();
  }
  const line = lineText;
  lineText = '';
  return line;
}

/** bpftoolLine's one sink, reused: reports ask for a line per record, tens of thousands per kernel run. */
let lineText = '';
const lineSink = new ByteSink((c) => {
  lineText += decodeName(c);
}, 4096);
