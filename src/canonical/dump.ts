/**
 * The canonical dump's text: one line per class, `[cid] KIND 'name' fields
 * { parts }`, bpftool's field names with canonical ids in place of raw ids
 * (graph.ts, dumpCanonical, says what it is for).
 *
 * Written as bytes into chunks (ByteSink, as the bpftool-format dump is) instead
 * of a string per line joined into one 12 MB string: for vmlinux that string
 * building and its garbage were a third of the dump's time. Names are the
 * decoded graph's strings, written in the caller's NameEncoding: the CLI's
 * 'utf8' gives the bytes that writing the old text gave, and dumpCanonical's
 * 'original' gives back the old string (names as they were decoded).
 */
import { BTF_KIND, type BtfKind, isRef } from '../btf/kinds.js';
import {
  BITFIELD_SIZE,
  BITS_OFFSET,
  ByteSink,
  COMMA_LINKAGE,
  COMPONENT_IDX,
  ENCODING,
  FWD_KIND,
  INDEX_TYPE_ID,
  LINKAGE,
  label,
  type NameEncoding,
  NR_BITS,
  NR_ELEMS,
  OFFSET,
  RET_TYPE_ID,
  SIZE,
  TYPE_ID,
  VLEN,
} from '../btf/byte-sink.js';
import type { BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { enumSignWord, intEncodingOf, intEncodingWords, linkageText, shownName } from '../btf/words.js';
import { assertNever } from '../lang.js';
import type { CanonicalGraph } from './graph.js';

/** Encoding bits by name when they are flags with at most one of CHAR and BOOL (0 to 5), else in hex. */
const encodingText = (bits: number): string => (bits >= 0 && bits <= 5 ? intEncodingWords(intEncodingOf(bits)) : `0x${bits.toString(16)}`);

/** A linkage code without a word, in parentheses. */
const codeInParens = (code: number): string => `(${code})`;

const KIND_FLAG = ' kind_flag=1';

/** Stream the canonical dump of `g` (every line newline-terminated); chunks are valid only during `write`. */
export function writeCanonical(g: CanonicalGraph, write: (chunk: Uint8Array) => void, names: NameEncoding): void {
  const w = new LineWriter(new ByteSink(write), g.classOf, names);
  // Indexed, not for-of: a typed array's iterator is slow before the JIT has optimised this loop, and it runs once.
  const { classes, representative } = g;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    w.line(c, typeById(g.btf, representative[c])!);
  }
  w.o.flush();
}

/** One class's line at a time; references are written as their canonical ids. */
class LineWriter {
  constructor(
    readonly o: ByteSink,
    private readonly classOf: Int32Array,
    private readonly names: NameEncoding,
  ) {}

  /** A number as `String(n)` writes it: the sink's digits for the int32/uint32 range, text otherwise (hand-built graphs). */
  private num(label: Uint8Array, n: number): void {
    // The range test as int32/uint32 conversions: cheaper than Number.isInteger before the JIT has optimised this.
    if ((n | 0) === n ? n !== -0x80000000 : n >>> 0 === n) this.o.field(label, n);
    else this.o.word(label, String(n));
  }

  // Through num's range test: a DATASEC entry's id is not range-checked, and one past the graph has no canonical id.
  private ref(label: Uint8Array, id: number): void {
    this.num(label, this.classOf[id]);
  }

  /** `'name'`, the empty name as `'(anon)'`. */
  private quoted(name: string): void {
    const o = this.o;
    o.byte(0x27);
    o.name(shownName(name), this.names);
    o.byte(0x27);
  }

  line(c: number, t: BtfType): void {
    const o = this.o;
    o.byte(0x5b); // '['
    o.num(c);
    o.label(KIND_LABEL[t.kind]);
    this.quoted(t.name);
    this.body(t);
    o.byte(0x0a);
  }

  private body(t: BtfType): void {
    const o = this.o;
    // A tag's kind_flag (an attribute) is written only when set, as STRUCT's is: plain tags print as before.
    if (isRef(t)) {
      this.ref(TYPE_ID, t.type);
      if (t.kindFlag) o.ascii(KIND_FLAG);
      return;
    }
    switch (t.kind) {
      case 'INT':
        this.num(SIZE, t.size);
        this.num(BITS_OFFSET, t.bitsOffset);
        this.num(NR_BITS, t.bits);
        o.word(ENCODING, encodingText(t.encodingBits));
        return;
      case 'ARRAY':
        this.ref(TYPE_ID, t.type);
        this.ref(INDEX_TYPE_ID, t.indexType);
        this.num(NR_ELEMS, t.nelems);
        return;
      case 'STRUCT':
      case 'UNION': {
        this.num(SIZE, t.size);
        if (t.kindFlag) o.ascii(KIND_FLAG);
        this.num(VLEN, t.members.length);
        this.open();
        for (let i = 0; i < t.members.length; i++) {
          const m = t.members[i];
          this.sep(i);
          this.quoted(m.name);
          this.ref(TYPE_ID, m.type);
          this.num(BITS_OFFSET, m.bitsOffset);
          if (m.bitfieldSize) this.num(BITFIELD_SIZE, m.bitfieldSize);
        }
        this.close();
        return;
      }
      case 'ENUM':
      case 'ENUM64':
        o.word(ENCODING, enumSignWord(t.signed));
        this.num(SIZE, t.size);
        this.num(VLEN, t.values.length);
        this.open();
        for (let i = 0; i < t.values.length; i++) {
          const v = t.values[i];
          this.sep(i);
          this.quoted(v.name);
          o.ascii(` val=${v.value}`);
        }
        this.close();
        return;
      case 'FWD':
        o.word(FWD_KIND, t.fwdKind);
        return;
      case 'FUNC':
        this.ref(TYPE_ID, t.type);
        o.word(LINKAGE, linkageText(t.linkage, codeInParens));
        return;
      case 'FUNC_PROTO':
        this.ref(RET_TYPE_ID, t.returnType);
        this.num(VLEN, t.params.length);
        this.open();
        for (let i = 0; i < t.params.length; i++) {
          const p = t.params[i];
          this.sep(i);
          this.quoted(p.name);
          this.ref(TYPE_ID, p.type);
        }
        this.close();
        return;
      case 'VAR':
        this.ref(TYPE_ID, t.type);
        o.word(COMMA_LINKAGE, linkageText(t.linkage, codeInParens));
        return;
      case 'DATASEC':
        this.num(SIZE, t.size);
        this.num(VLEN, t.vars.length);
        this.open();
        for (let i = 0; i < t.vars.length; i++) {
          const v = t.vars[i];
          this.sep(i);
          // The first field of an entry has no space before it.
          this.ref(TYPE_ID_BARE, v.type);
          this.num(OFFSET, v.offset);
          this.num(SIZE, v.size);
        }
        this.close();
        return;
      case 'FLOAT':
        this.num(SIZE, t.size);
        return;
      case 'DECL_TAG':
        this.ref(TYPE_ID, t.type);
        this.num(COMPONENT_IDX, t.componentIdx);
        if (t.kindFlag) o.ascii(KIND_FLAG);
        return;
    }
    assertNever(t);
  }

  /** ` { `, the parts, ` }`: an empty list is `{  }`, as joining no parts wrote it. */
  private open(): void {
    this.o.ascii(' { ');
  }
  private sep(i: number): void {
    if (i > 0) this.o.ascii('; ');
  }
  private close(): void {
    this.o.ascii(' }');
  }
}

const TYPE_ID_BARE = label('type_id=');

/** `] KIND ` per kind, as bytes: the text between a line's id and its name. */
const KIND_LABEL = Object.fromEntries((Object.keys(BTF_KIND) as BtfKind[]).map((k) => [k, label(`] ${k} `)])) as Record<BtfKind, Uint8Array>;
