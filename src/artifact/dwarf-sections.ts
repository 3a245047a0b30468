/**
 * The bytes of an object's debug sections as a DWARF reader needs them:
 * inflated when zlib-compressed (SHF_COMPRESSED) and with the section's
 * relocations applied (an ET_REL object's `.debug_info` holds 0 where a
 * string or abbreviation offset goes; `.rela.debug_info` carries it). Only
 * absolute 32/64-bit relocation types of known machines are applied
 * (dwarf-tables.ts ABS_RELOCS); anything else is a DwarfDecline, never a
 * guess. Pure.
 */
import { inflateSync } from 'node:zlib';
import { ABS_RELOCS, UNREAD_RELOCS } from './dwarf-tables.js';
import { type ElfFile, type ElfSection, isCompressed } from './elf.js';

/** Why the in-process reader gave the object up (the caller falls back to llvm-dwarfdump). */
export class DwarfDecline extends Error {}

const SHT_RELA = 4;
const SHT_REL = 9;
const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;
/** Largest inflated section accepted (a kernel unit's .debug_info is a few MiB). */
const MAX_INFLATED = 512 * 1024 * 1024;
const TWO_32 = 4294967296;

/** A debug section ready to decode. */
export interface DebugSection {
  readonly bytes: Uint8Array;
  /** Offsets of fields whose relocation was left unapplied (UNREAD_RELOCS); undefined when none. */
  readonly unread: ReadonlySet<number> | undefined;
}

/** Section `name`'s contents ready to decode, or undefined when the object has none. */
export function debugSection(elf: ElfFile, name: string): DebugSection | undefined {
  const named = elf.sections.filter((s) => s.name === name);
  // Several (COMDAT groups: gcc's -fdebug-types-section) would need every one read and their order kept.
  if (named.length > 1) throw new DwarfDecline(`${name}: ${named.length} sections of that name`);
  const section = named[0];
  if (!section) return undefined;
  const bytes = isCompressed(section) ? inflated(elf, section) : section.data;
  const relocs = elf.sections.filter((s) => (s.type === SHT_RELA || s.type === SHT_REL) && s.info === section.index && s.size > 0);
  if (relocs.length === 0) return { bytes, unread: undefined };
  const out = Uint8Array.from(bytes); // a copy: the input bytes stay as read
  const unread = new Set<number>();
  for (const r of relocs) applyRelocations(elf, r, out, name, unread);
  return { bytes: out, unread: unread.size > 0 ? unread : undefined };
}

/** An SHF_COMPRESSED section's contents (ELF compression header, then a zlib stream). */
function inflated(elf: ElfFile, s: ElfSection): Uint8Array {
  const is64 = elf.class === 64;
  const headerSize = is64 ? 24 : 12;
  if (s.data.length < headerSize) throw new DwarfDecline(`${s.name}: compression header truncated (${s.data.length} bytes)`);
  const view = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  const little = elf.byteOrder === 'little';
  const type = view.getUint32(0, little);
  const size = is64 ? Number(view.getBigUint64(8, little)) : view.getUint32(4, little);
  if (type === ELFCOMPRESS_ZSTD) throw new DwarfDecline(`${s.name}: zstd-compressed (this Node has no zstd)`);
  if (type !== ELFCOMPRESS_ZLIB) throw new DwarfDecline(`${s.name}: unknown compression type ${type}`);
  if (size > MAX_INFLATED) throw new DwarfDecline(`${s.name}: inflated size ${size} is too large`);
  let out: Uint8Array;
  try {
    out = inflateSync(s.data.subarray(headerSize), { maxOutputLength: Math.max(1, size) });
  } catch {
    throw new DwarfDecline(`${s.name}: the zlib stream does not inflate to ${size} bytes`);
  }
  if (out.length !== size) throw new DwarfDecline(`${s.name}: inflated to ${out.length} bytes, header says ${size}`);
  return out;
}

/** Apply one SHT_RELA/SHT_REL section to `out` (the target section's bytes): S + A written at each offset. */
function applyRelocations(elf: ElfFile, rel: ElfSection, out: Uint8Array, target: string, unread: Set<number>): void {
  const widths = ABS_RELOCS.get(elf.machine);
  if (!widths) throw new DwarfDecline(`${rel.name}: relocations of ELF machine ${elf.machine} are not known to this reader`);
  if (isCompressed(rel)) throw new DwarfDecline(`${rel.name}: a compressed relocation section`);
  const is64 = elf.class === 64;
  const rela = rel.type === SHT_RELA;
  const entSize = (is64 ? 16 : 8) + (rela ? (is64 ? 8 : 4) : 0);
  if (rel.data.length % entSize !== 0) throw new DwarfDecline(`${rel.name}: size ${rel.data.length} is not a multiple of ${entSize}`);
  const little = elf.byteOrder === 'little';
  const symbols = symbolValues(elf, rel);
  const v = new DataView(rel.data.buffer, rel.data.byteOffset, rel.data.byteLength);
  const o = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let at = 0; at < rel.data.length; at += entSize) {
    const offset = is64 ? u64(v, at, little) : v.getUint32(at, little);
    const info = is64 ? u64(v, at + 8, little) : v.getUint32(at + 4, little);
    const type = is64 ? info % TWO_32 : info & 0xff;
    const sym = is64 ? Math.floor(info / TWO_32) : info >>> 8;
    const width = widths.get(type);
    const unreadWidth = width === undefined ? UNREAD_RELOCS.get(elf.machine)?.get(type) : undefined;
    if (unreadWidth !== undefined) {
      // Any 4- or 8-byte read starting inside the field hits one of its offsets.
      for (let i = 0; i < unreadWidth; i++) unread.add(offset + i);
      continue;
    }
    if (width === undefined) throw new DwarfDecline(`${rel.name}: relocation type ${type} (ELF machine ${elf.machine}) at entry offset ${at}`);
    if (width === 0) continue;
    if (offset + width > out.length) throw new DwarfDecline(`${rel.name}: relocation at ${target} offset ${offset} runs past the section`);
    const addend = rela ? (is64 ? s64(v, at + 16, little) : v.getInt32(at + 8, little)) : width === 8 ? u64(o, offset, little) : o.getUint32(offset, little);
    const value = symbols(sym, at) + addend;
    if (!Number.isSafeInteger(value) || value < 0 || (width === 4 && value >= TWO_32)) {
      throw new DwarfDecline(`${rel.name}: relocated value at ${target} offset ${offset} does not fit ${width} bytes`);
    }
    if (width === 4) o.setUint32(offset, value, little);
    else {
      const lo = value % TWO_32;
      const hi = Math.floor(value / TWO_32);
      o.setUint32(offset + (little ? 0 : 4), lo, little);
      o.setUint32(offset + (little ? 4 : 0), hi, little);
    }
  }
}

/** st_value of symbol `index` of the relocation section's symbol table (0 for index 0, which is no symbol). */
function symbolValues(elf: ElfFile, rel: ElfSection): (index: number, entryAt: number) => number {
  const symtab = elf.sections[rel.link];
  const is64 = elf.class === 64;
  const size = is64 ? 24 : 16;
  const little = elf.byteOrder === 'little';
  const data = symtab?.data ?? new Uint8Array(0);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return (index, entryAt) => {
    if (index === 0) return 0;
    const at = index * size;
    if (at + size > data.length) throw new DwarfDecline(`${rel.name}: entry at ${entryAt} names symbol ${index}, past the symbol table`);
    const value = is64 ? u64(v, at + 8, little) : v.getUint32(at + 4, little);
    if (!Number.isSafeInteger(value)) throw new DwarfDecline(`${rel.name}: symbol ${index}'s value is too large`);
    return value;
  };
}

/** An unsigned 64-bit field as a number (exact below 2^53; larger ones fail the callers' safe-integer checks). */
function u64(v: DataView, at: number, little: boolean): number {
  const lo = v.getUint32(at + (little ? 0 : 4), little);
  const hi = v.getUint32(at + (little ? 4 : 0), little);
  return hi * TWO_32 + lo;
}

function s64(v: DataView, at: number, little: boolean): number {
  const lo = v.getUint32(at + (little ? 0 : 4), little);
  const hi = v.getInt32(at + (little ? 4 : 0), little);
  return hi * TWO_32 + lo;
}
