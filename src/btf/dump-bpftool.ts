/**
 * Render a BTF exactly as `bpftool btf dump file F` (bpftool 7.x, plain
 * output) does: one `[id] KIND 'name' fields...` line per type, with
 * members, enumerators, parameters and datasec entries on tab-indented
 * continuation lines. For split BTF only the split types are printed, as
 * bpftool does with `-B base`.
 *
 * One renderer, `writeType`, and it reads raw type records (record.ts), as
 * bpftool reads the mapped blob: a LazyBtf places the cursor on the input's
 * own bytes (no object per type, names copied as bytes from the string
 * section), and every graph of objects (decoded, built in memory, a
 * relocated module; `bpftoolLine` for reports) is encoded one type at a
 * time by the encoder (encode.ts, ObjectRecords) and read the same way. So
 * the format's rules are in one place, and a graph prints exactly as bpftool
 * prints its encoding (a hand-built value wider than its field, or a
 * bitfield size in a composite without kind_flag, prints as encoded, not as
 * given). The object path costs an encoding per type, which only a
 * vmlinux-size dump would notice, and that one reads bytes. (Rejected: an accessor interface with one
 * implementation over bytes and one over objects. It would be a second
 * reading of every field beside the decoder's, and the object side would
 * have to answer for raw bits the objects do not keep.)
 *
 * The text is written as bytes straight into fixed-size chunks (numbers as
 * digits, names as their bytes) instead of building JS strings and joining
 * them: for vmlinux (126k types, 12 MB of text) string building and its
 * garbage were most of the dump time. One writer serves the streaming form
 * (the CLI), the whole-string form and single lines.
 *
 * The tests compare whole outputs against the installed bpftool, so any
 * formatting rule here is pinned by the oracle, not by memory.
 */
import { assertNever } from '../lang.js';
import { decodeName } from '../artifact/name-bytes.js';
import {
  ANON,
  ByteSink,
  BITFIELD_SIZE,
  BITS_OFFSET,
  COMMA_LINKAGE,
  COMPONENT_IDX,
  ENCODING,
  ENTRY_TYPE_ID,
  FWD_KIND,
  INDEX_TYPE_ID,
  LINKAGE,
  NR_BITS,
  NR_ELEMS,
  OFFSET,
  RET_TYPE_ID,
  SIZE,
  TYPE_ID,
  VAL,
  VLEN,
} from './byte-sink.js';
import { LazyBtf, type LazyTypes } from './decode.js';
import { ObjectRecords } from './encode.js';
import { KINDS } from './kinds.js';
import {
  enum32Of,
  enum64Of,
  fwdKindOf,
  intBitsOf,
  intBitsOffsetOf,
  intEncodingBitsOf,
  memberBitfieldSizeOf,
  memberBitsOffsetOf,
  TYPE_HEADER,
  TypeRecord,
  type TypeRecords,
} from './record.js';
import type { Btf, BtfType } from './types.js';
import { typeById } from './types.js';
import { enumSignWord, intEncodingOf, intEncodingWords, linkageOf, linkageText } from './words.js';

/** bpftool names single encoding flags only; other bit combinations are UNKN. */
const encodingText = (bits: number): string => (bits === 0 || bits === 1 || bits === 2 || bits === 4 ? intEncodingWords(intEncodingOf(bits)) : 'UNKN');

/** bpftool has no word for a linkage code it does not know. */
const unknownLinkage = (): string => '(unknown)';

/** The linkage word of a code (FUNC's vlen, VAR's linkage word). */
const linkageWord = (code: number): string => linkageText(linkageOf(code), unknownLinkage);

/**
 * One type, without the trailing newline. `records` finds DATASEC entries'
 * types (bpftool names their kind and name), placing `other` on them.
 */
function writeType(o: ByteSink, r: TypeRecord, records: TypeRecords, other: TypeRecord): void {
  const kind = r.kind;
  o.byte(0x5b); // '['
  o.num(r.id);
  o.ascii('] ');
  o.ascii(kind);
  o.byte(0x20);
  o.quoted(r.names, r.nameOff);
  const d = TYPE_HEADER; // kind data, then the entries (no kind with entries has fixed data before them)
  // One switch, no isRef call: this runs once per type of vmlinux.
  switch (kind) {
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      o.field(TYPE_ID, r.sizeOrType);
      return;
    case 'INT': {
      const word = r.u32(d);
      o.field(SIZE, r.sizeOrType);
      o.field(BITS_OFFSET, intBitsOffsetOf(word));
      o.field(NR_BITS, intBitsOf(word));
      o.word(ENCODING, encodingText(intEncodingBitsOf(word)));
      return;
    }
    case 'ARRAY':
      o.field(TYPE_ID, r.u32(d));
      o.field(INDEX_TYPE_ID, r.u32(d + 4));
      o.field(NR_ELEMS, r.u32(d + 8));
      return;
    case 'STRUCT':
    case 'UNION': {
      const n = r.vlen;
      const kflag = r.kindFlag;
      const stride = KINDS[kind].stride;
      o.field(SIZE, r.sizeOrType);
      o.field(VLEN, n);
      for (let i = 0, e = d; i < n; i++, e += stride) {
        const raw = r.u32(e + 8);
        o.entry(r.names, r.u32(e));
        o.field(TYPE_ID, r.u32(e + 4));
        o.field(BITS_OFFSET, memberBitsOffsetOf(raw, kflag));
        const bitfield = memberBitfieldSizeOf(raw, kflag);
        if (bitfield) o.field(BITFIELD_SIZE, bitfield);
      }
      return;
    }
    case 'ENUM':
    case 'ENUM64': {
      const n = r.vlen;
      const signed = r.kindFlag;
      const stride = KINDS[kind].stride;
      o.word(ENCODING, enumSignWord(signed));
      o.field(SIZE, r.sizeOrType);
      o.field(VLEN, n);
      for (let i = 0, e = d; i < n; i++, e += stride) {
        o.entry(r.names, r.u32(e));
        // ENUM64 values carry a C literal suffix in bpftool; ENUM values do not.
        if (kind === 'ENUM') o.field(VAL, enum32Of(r.u32(e + 4), signed));
        else {
          o.word(VAL, enum64Of(r.u32(e + 4), r.u32(e + 8), signed).toString());
          o.ascii(signed ? 'LL' : 'ULL');
        }
      }
      return;
    }
    case 'FWD':
      o.word(FWD_KIND, fwdKindOf(r.kindFlag));
      return;
    case 'FUNC':
      o.field(TYPE_ID, r.sizeOrType);
      o.word(LINKAGE, linkageWord(r.vlen));
      return;
    case 'VAR':
      o.field(TYPE_ID, r.sizeOrType);
      // bpftool puts a comma before VAR's linkage, not before FUNC's.
      o.word(COMMA_LINKAGE, linkageWord(r.u32(d)));
      return;
    case 'FUNC_PROTO': {
      const n = r.vlen;
      const stride = KINDS[kind].stride;
      o.field(RET_TYPE_ID, r.sizeOrType);
      o.field(VLEN, n);
      for (let i = 0, e = d; i < n; i++, e += stride) {
        o.entry(r.names, r.u32(e));
        o.field(TYPE_ID, r.u32(e + 4));
      }
      return;
    }
    case 'DATASEC': {
      const n = r.vlen;
      const stride = KINDS[kind].stride;
      o.field(SIZE, r.sizeOrType);
      o.field(VLEN, n);
      for (let i = 0, e = d; i < n; i++, e += stride) {
        const type = r.u32(e);
        o.field(ENTRY_TYPE_ID, type);
        o.field(OFFSET, r.u32(e + 4));
        o.field(SIZE, r.u32(e + 8));
        // bpftool names the entry's type whenever the id exists; id 0 is void, kind 0, which bpftool calls UNKNOWN.
        if (type === 0) o.ascii(` (UNKNOWN ${ANON})`);
        if (records.placeHeadById(type, other)) {
          o.ascii(' (');
          o.ascii(other.kind);
          o.byte(0x20);
          o.quoted(other.names, other.nameOff);
          o.byte(0x29);
        }
      }
      return;
    }
    case 'FLOAT':
      o.field(SIZE, r.sizeOrType);
      return;
    case 'DECL_TAG':
      o.field(TYPE_ID, r.sizeOrType);
      o.field(COMPONENT_IDX, r.i32(d));
      return;
  }
  assertNever(kind);
}

/** Every type of `records`, one line each. */
function writeRecords(records: TypeRecords, write: (chunk: Uint8Array) => void): void {
  const o = new ByteSink(write);
  const r = new TypeRecord();
  const other = new TypeRecord();
  for (let i = 0; i < records.count; i++) {
    records.place(i, r);
    writeType(o, r, records, other);
    o.byte(0x0a);
  }
  o.flush();
}

/** The records of a graph's types, the split chain's for lookups. */
const graphRecords = (btf: Btf): ObjectRecords =>
  new ObjectRecords(
    btf.types.length,
    (i) => btf.types[i],
    (id) => typeById(btf, id),
  );

/**
 * Stream the whole dump as UTF-8 bytes. `write` gets chunks of up to 64 KiB
 * that are only valid during the call (write them out or copy them).
 */
export function writeBpftool(btf: Btf, write: (chunk: Uint8Array) => void): void {
  writeRecords(graphRecords(btf), write);
}

/**
 * The same dump of a LazyBtf, read from its bytes: no object per type, so
 * nothing but the input outlives a line. A relocated module (distilled.ts)
 * makes its types' objects (relocation rewrites ids), encoded one by one.
 */
export function writeBpftoolLazy(btf: LazyTypes, write: (chunk: Uint8Array) => void): void {
  const records =
    btf instanceof LazyBtf
      ? btf
      : new ObjectRecords(
          btf.count,
          (i) => btf.typeAt(i),
          (id) => btf.typeById(id),
        );
  writeRecords(records, write);
}

/** The whole dump, as bpftool prints it (every line newline-terminated). */
export function dumpBpftool(btf: Btf): string {
  const chunks: Buffer[] = [];
  writeBpftool(btf, (c) => chunks.push(Buffer.from(c)));
  return decodeName(Buffer.concat(chunks));
}

/** The text of one type, without the trailing newline. */
export function bpftoolLine(btf: Btf, t: BtfType): string {
  let records = lineRecords.get(btf);
  if (records === undefined) {
    records = graphRecords(btf);
    lineRecords.set(btf, records);
  }
  records.placeObject(t, lineRecord);
  lineText = '';
  try {
    writeType(lineSink, lineRecord, records, lineOther);
  } finally {
    // Also after a throw: the next line must not start with this one's bytes.
    lineSink.flush();
  }
  const line = lineText;
  lineText = '';
  return line;
}

/** bpftoolLine's records per graph and its two cursors, reused like its sink (one line at a time, synchronously). */
const lineRecords = new WeakMap<Btf, ObjectRecords>();
const lineRecord = new TypeRecord();
const lineOther = new TypeRecord();

/** bpftoolLine's one sink, reused: reports ask for a line per record, tens of thousands per kernel run. */
let lineText = '';
const lineSink = new ByteSink((c) => {
  lineText += decodeName(c);
}, 4096);
