/**
 * Minimal ELF reader: section headers, section bytes and the symbol table.
 * Handles ELF32/ELF64 in either byte order and any object type (relocatable,
 * executable, shared object, vmlinux). Pure: takes bytes, returns a view.
 *
 * Every failure is an InputError with the byte offset where the file broke;
 * sizes and offsets are checked before any slice so a hostile header can
 * neither read past the end nor make us allocate more than the input size.
 * 64-bit header fields are checked as bigints and printed exactly (a
 * Number would round 0xffffffffffffffff to 18446744073709552000).
 */
import { InputError } from '../errors.js';
import { decodeName } from './name-bytes.js';

/** EI_DATA: the byte order of the file (and of the BTF inside it). The same union as btf/types.ts ByteOrder. */
export type ByteOrder = 'little' | 'big';

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  /** sh_info: for a relocation section, the index of the section it applies to. */
  readonly info: number;
  readonly entsize: number;
  /** Section contents (empty for SHT_NOBITS). A view into the input bytes. */
  readonly data: Uint8Array;
}

export type SymbolBinding = 'local' | 'global' | 'weak' | number;
export type SymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | number;

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  readonly binding: SymbolBinding;
  readonly type: SymbolType;
  /** Section index; 0 (SHN_UNDEF) means only declared here (extern). */
  readonly shndx: number;
  /** Name of the section the symbol is defined in, '' when undefined or special. */
  readonly section: string;
}

export interface ElfFile {
  readonly class: 32 | 64;
  readonly byteOrder: ByteOrder;
  readonly type: number;
  readonly machine: number;
  readonly sections: readonly ElfSection[];
}

export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
const SHF_COMPRESSED = 0x800n;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_XINDEX = 0xffff;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Bounds-checked reader over the input, in one byte order. */
class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly little: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(offset: number | bigint, len: number | bigint, what: string, reportAt?: number): void {
    const o = BigInt(offset);
    const l = BigInt(len);
    if (o < 0n || l < 0n || o + l > BigInt(this.bytes.length)) {
      throw new InputError(`${what} (${l} bytes at ${o}) runs past the end of the file (${this.bytes.length} bytes)`, {
        offset: reportAt ?? (o < BigInt(this.bytes.length) ? Number(o) : this.bytes.length),
      });
    }
  }
  u8(o: number): number {
    return this.view.getUint8(o);
  }
  u16(o: number): number {
    return this.view.getUint16(o, this.little);
  }
  u32(o: number): number {
    return this.view.getUint32(o, this.little);
  }
  u64(o: number): bigint {
    return this.view.getBigUint64(o, this.little);
  }
  /** An address-sized field: 4 bytes on ELF32, 8 on ELF64. */
  addr(o: number, is64: boolean): bigint {
    return is64 ? this.u64(o) : BigInt(this.u32(o));
  }
}

/** Field offsets that differ between ELF32 and ELF64. */
const LAYOUT = {
  32: { ehdrSize: 52, shoff: 0x20, shentsize: 0x2e, shnum: 0x30, shstrndx: 0x32, shdrSize: 40, symSize: 16 },
  64: { ehdrSize: 64, shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, shstrndx: 0x3e, shdrSize: 64, symSize: 24 },
} as const;

export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) throw new InputError('not an ELF file (bad magic)', { offset: 0 });
  if (bytes.length < 16) throw new InputError('ELF identification truncated', { offset: bytes.length });
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) throw new InputError(`unknown ELF class ${cls}`, { offset: 4 });
  if (data !== 1 && data !== 2) throw new InputError(`unknown ELF data encoding ${data}`, { offset: 5 });
  const is64 = cls === 2;
  const lay = LAYOUT[is64 ? 64 : 32];
  const r = new Reader(bytes, data === 1);
  r.need(0, lay.ehdrSize, 'ELF header');

  const shoffRaw = r.addr(lay.shoff, is64);
  const shentsize = r.u16(lay.shentsize);
  let shnumRaw = BigInt(r.u16(lay.shnum));
  let shstrndx = r.u16(lay.shstrndx);
  if (shoffRaw === 0n) return { class: is64 ? 64 : 32, byteOrder: r.little ? 'little' : 'big', type: r.u16(16), machine: r.u16(18), sections: [] };
  if (shentsize < lay.shdrSize) throw new InputError(`section header size ${shentsize} is smaller than ${lay.shdrSize}`, { offset: lay.shentsize });
  r.need(shoffRaw, shentsize, 'section header table');
  const shoff = Number(shoffRaw); // within the file now
  // Large section counts live in section 0 (ELF gABI extended numbering).
  if (shnumRaw === 0n) shnumRaw = readShdr(r, shoff, is64).size;
  if (shstrndx === SHN_XINDEX) shstrndx = readShdr(r, shoff, is64).link;
  r.need(shoffRaw, shnumRaw * BigInt(shentsize), 'section header table');
  const shnum = Number(shnumRaw);

  const raw = Array.from({ length: shnum }, (_, i) => readShdr(r, shoff + i * shentsize, is64));
  if (shstrndx >= shnum) throw new InputError(`section name table index ${shstrndx} out of range (${shnum} sections)`, { offset: lay.shstrndx });
  const shstr = sectionBytes(r, raw[shstrndx], shoff + shstrndx * shentsize);
  const sections = raw.map((s, index) => ({
    index,
    name: cString(shstr, s.name),
    type: s.type,
    flags: s.flags,
    offset: Number(s.offset),
    size: Number(s.size),
    link: s.link,
    info: s.info,
    entsize: Number(s.entsize),
    data: sectionBytes(r, s, shoff + index * shentsize),
  }));
  return { class: is64 ? 64 : 32, byteOrder: r.little ? 'little' : 'big', type: r.u16(16), machine: r.u16(18), sections };
}

/**
 * Where the section header table lies, from the ELF header alone: for a
 * reader that fetches only some parts of a large file (the header, this
 * table, then the sections it needs). With extended numbering the count is
 * in section 0, so the range covers only that entry until it has been read:
 * call again after reading a range until the answer stops growing.
 */
export function sectionHeaderRange(bytes: Uint8Array): { readonly offset: number; readonly size: number } {
  if (!isElf(bytes) || bytes.length < 16 || (bytes[4] !== 1 && bytes[4] !== 2)) throw new InputError('not an ELF file (bad magic)', { offset: 0 });
  const is64 = bytes[4] === 2;
  const lay = LAYOUT[is64 ? 64 : 32];
  const r = new Reader(bytes, bytes[5] === 1);
  r.need(0, lay.ehdrSize, 'ELF header');
  const offset = Number(r.addr(lay.shoff, is64));
  const entsize = r.u16(lay.shentsize);
  let count = r.u16(lay.shnum);
  if (offset === 0) return { offset: 0, size: 0 };
  if (count === 0 && offset + lay.shdrSize <= bytes.length) count = Math.max(1, Number(readShdr(r, offset, is64).size));
  return { offset, size: Math.max(1, count) * entsize };
}

interface RawShdr {
  name: number;
  type: number;
  flags: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  entsize: bigint;
}

function readShdr(r: Reader, at: number, is64: boolean): RawShdr {
  if (is64) {
    return {
      name: r.u32(at),
      type: r.u32(at + 4),
      flags: r.u64(at + 8),
      offset: r.u64(at + 24),
      size: r.u64(at + 32),
      link: r.u32(at + 40),
      info: r.u32(at + 44),
      entsize: r.u64(at + 56),
    };
  }
  return {
    name: r.u32(at),
    type: r.u32(at + 4),
    flags: BigInt(r.u32(at + 8)),
    offset: BigInt(r.u32(at + 16)),
    size: BigInt(r.u32(at + 20)),
    link: r.u32(at + 24),
    info: r.u32(at + 28),
    entsize: BigInt(r.u32(at + 36)),
  };
}

function sectionBytes(r: Reader, s: RawShdr, hdrAt: number): Uint8Array {
  if (s.type === SHT_NOBITS || s.size === 0n) return new Uint8Array(0);
  r.need(s.offset, s.size, 'section data', hdrAt);
  return r.bytes.subarray(Number(s.offset), Number(s.offset + s.size));
}

function cString(table: Uint8Array, off: number): string {
  if (off >= table.length) return '';
  let end = off;
  while (end < table.length && table[end] !== 0) end++;
  return decodeName(table.subarray(off, end));
}

/** Sections named `name` (usually zero or one). */
export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

export function isCompressed(section: ElfSection): boolean {
  return (section.flags & SHF_COMPRESSED) !== 0n;
}

const BINDINGS: readonly SymbolBinding[] = ['local', 'global', 'weak'];
const SYMTYPES: readonly SymbolType[] = ['notype', 'object', 'func', 'section', 'file'];

/** The static symbol table (.symtab), decoded; [] when the file has none. */
export function readSymbols(elf: ElfFile): ElfSymbol[] {
  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const strtab = elf.sections[symtab.link]?.data ?? new Uint8Array(0);
  const is64 = elf.class === 64;
  const size = LAYOUT[elf.class].symSize;
  const r = new Reader(symtab.data, elf.byteOrder === 'little');
  const out: ElfSymbol[] = [];
  for (let at = size; at + size <= symtab.data.length; at += size) {
    const nameOff = r.u32(at);
    const info = is64 ? r.u8(at + 4) : r.u8(at + 12);
    const shndx = is64 ? r.u16(at + 6) : r.u16(at + 14);
    const value = is64 ? r.u64(at + 8) : BigInt(r.u32(at + 4));
    const symSize = is64 ? r.u64(at + 16) : BigInt(r.u32(at + 8));
    const bind = info >> 4;
    const type = info & 0xf;
    const inSection = shndx !== SHN_UNDEF && shndx < SHN_LORESERVE;
    out.push({
      name: cString(strtab, nameOff),
      value,
      size: symSize,
      binding: BINDINGS[bind] ?? bind,
      type: SYMTYPES[type] ?? type,
      shndx,
      section: inSection ? (elf.sections[shndx]?.name ?? '') : '',
    });
  }
  return out;
}
