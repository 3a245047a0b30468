/**
 * The string section, read and written. Offsets are absolute over a split
 * chain: split BTF's offsets continue after its base's section.
 *
 * A decoded graph keeps its section (`Btf.stringSection`), so split BTF
 * decoded over it resolves offsets byte for byte. A graph built in memory
 * has no section: its strings are the names its types and entries hold at
 * their offsets, with the empty string at 0.
 */
import { isAscii as bufferIsAscii } from 'node:buffer';
import { InputError } from '../errors.js';
import { decodeName, encodeName } from '../artifact/name-bytes.js';
import { forEachName } from './refs.js';
import type { StringBytes } from './record.js';
import type { Btf } from './types.js';

/** Where a lookup was asked from, for the error (asked only when it fails). */
export interface LookupSite {
  readonly offset: number;
  readonly typeId: number;
}

/** String lookups over a split chain; `end` is one past the last offset this blob's section covers. */
export interface StringLookup {
  readonly end: number;
  lookup(off: number, at: LookupSite): string;
  /** Throws as `lookup` would, without making the string (the decoder's scan checks every name this way). */
  check(off: number, at: LookupSite): void;
}

/** The strings of `btf` (and its base chain). */
export function stringsOf(btf: Btf): StringLookup {
  const base = btf.base ? stringsOf(btf.base) : undefined;
  const start = base ? base.end : 0;
  return btf.stringSection ? new SectionStrings(btf.stringSection, start, base) : new NameStrings(btf, start, base);
}

/**
 * Total string bytes of a BTF and its base chain: where a split blob's
 * offsets start. A base always has the empty string, so a graph built in
 * memory with `strLen` 0 still covers offset 0.
 */
export function stringSpaceEnd(btf: Btf): number {
  return btf.base ? stringSpaceEnd(btf.base) + btf.header.strLen : Math.max(1, btf.header.strLen);
}

/** Libbpf's checks of a section: a base starts with the empty string; every section is NUL-terminated. */
export function checkStringSection(data: Uint8Array, at: number, split: boolean): void {
  if (data.length === 0) {
    if (split) return;
    throw new InputError('BTF string section is empty (it must at least hold the empty string)', { offset: at });
  }
  if (!split && data[0] !== 0) throw new InputError('BTF string section does not start with the empty string', { offset: at });
  if (data[data.length - 1] !== 0) throw new InputError('BTF string section is not NUL-terminated', { offset: at + data.length - 1 });
}

function pastTheEnd(off: number, end: number, at: LookupSite): never {
  throw new InputError(`string offset ${off} is past the end of the string section (${end} bytes)`, { offset: at.offset, typeId: at.typeId });
}

/** Lookups in a section's bytes; the bytes themselves for writers that copy names (record.ts). */
export class SectionStrings implements StringLookup, StringBytes {
  private readonly cache = new Map<number, string>();
  /** The section as one latin1 string when it is ASCII (made at the first lookup: a dump that copies bytes never needs it), or null when it is not. */
  private ascii: string | null | undefined;
  constructor(
    readonly data: Uint8Array,
    readonly startOff: number,
    private readonly base: StringLookup | undefined,
  ) {}
  get end(): number {
    return this.startOff + this.data.length;
  }
  /** The base's bytes, when the base is a section too (a graph built in memory has none). */
  get baseBytes(): StringBytes | undefined {
    return this.base instanceof SectionStrings ? this.base : undefined;
  }
  check(off: number, at: LookupSite): void {
    if (off < this.startOff || off >= this.end) {
      if (off < this.startOff && this.base) this.base.check(off, at);
      else pastTheEnd(off, this.end, at);
    }
  }
  lookup(off: number, at: LookupSite): string {
    if (off < this.startOff || off >= this.end) {
      if (off < this.startOff && this.base) return this.base.lookup(off, at);
      pastTheEnd(off, this.end, at);
    }
    const rel = off - this.startOff;
    // Identifiers are ASCII in practice; one latin1 decode of the whole
    // section then makes every lookup a slice. Otherwise decode per string.
    if (this.ascii === undefined) this.ascii = isAscii(this.data) ? new TextDecoder('latin1').decode(this.data) : null;
    if (this.ascii !== null) {
      const nul = this.ascii.indexOf('\0', rel);
      return this.ascii.slice(rel, nul < 0 ? undefined : nul);
    }
    let s = this.cache.get(rel);
    if (s === undefined) {
      let end = rel;
      while (end < this.data.length && this.data[end] !== 0) end++;
      s = decodeName(this.data.subarray(rel, end)); // lossless: bytes that are not UTF-8 survive (name-bytes.ts)
      this.cache.set(rel, s);
    }
    return s;
  }
}

/** Node's native check (one pass in C++); the JS byte loop cost ~25 ms on vmlinux. */
function isAscii(data: Uint8Array): boolean {
  return data.length === 0 || bufferIsAscii(data);
}

/** Lookups in a graph built in memory: the names it holds, by their offsets (the first name wins an offset). */
class NameStrings implements StringLookup {
  private readonly byOff = new Map<number, string>();
  readonly end: number;
  constructor(
    btf: Btf,
    private readonly startOff: number,
    private readonly base: StringLookup | undefined,
  ) {
    this.end = btf.base ? startOff + btf.header.strLen : stringSpaceEnd(btf);
    if (!btf.base) this.byOff.set(0, '');
    for (const t of btf.types) {
      forEachName(t, (off, name) => {
        if (off >= startOff && off < this.end && !this.byOff.has(off)) this.byOff.set(off, name);
      });
    }
  }
  check(off: number, at: LookupSite): void {
    this.lookup(off, at);
  }
  lookup(off: number, at: LookupSite): string {
    if (off < this.startOff && this.base) return this.base.lookup(off, at);
    if (off < this.startOff || off >= this.end) pastTheEnd(off, this.end, at);
    const s = this.byOff.get(off);
    if (s === undefined) {
      throw new InputError(`string offset ${off} is not where a name of the base BTF starts (it was built in memory, without a string section)`, {
        offset: at.offset,
        typeId: at.typeId,
      });
    }
    return s;
  }
}

/** Interns strings into a growing section (the encoder's); offsets are absolute (split-aware). */
export class StringWriter {
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
