/**
 * ELF files built by hand for tests: ELF32 or ELF64, either byte order,
 * any list of sections (names go into a generated .shstrtab), and hooks to
 * break the header or a section header afterwards. Not a linker: no
 * segments, and relocation sections only as given bytes; enough for
 * parseElf/loadBtf, bpftool and the DWARF reader.
 *
 * Layout: ELF header, section contents back to back (8-aligned), then the
 * section header table (8-aligned), index 0 the null section and the last
 * one .shstrtab.
 */

export interface SectionSpec {
  readonly name: string;
  readonly type?: number; // default SHT_PROGBITS (1)
  readonly flags?: bigint;
  readonly data?: Uint8Array;
  readonly link?: number;
  /** sh_info (a relocation section's target section index). */
  readonly info?: number;
  readonly entsize?: number;
  /** Override the header's sh_offset / sh_size (as written, after layout). */
  readonly offset?: bigint;
  readonly size?: bigint;
}

export interface ElfSpec {
  readonly class?: 32 | 64;
  /** e_machine; default EM_BPF (247). */
  readonly machine?: number;
  readonly little?: boolean;
  readonly sections: readonly SectionSpec[];
  /** Override e_shoff, e_shnum, e_shstrndx, e_shentsize as written. */
  readonly shoff?: bigint;
  readonly shnum?: number;
  readonly shstrndx?: number;
  readonly shentsize?: number;
}

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

export function buildElf(spec: ElfSpec): Uint8Array {
  const is64 = (spec.class ?? 64) === 64;
  const le = spec.little ?? true;
  const ehdr = is64 ? 64 : 52;
  const shdrSize = is64 ? 64 : 40;
  // Section names: one string table, .shstrtab last.
  const names: number[] = [];
  let strtab = '\0';
  const all: SectionSpec[] = [...spec.sections, { name: '.shstrtab', type: SHT_STRTAB }];
  for (const s of all) {
    names.push(strtab.length);
    strtab += `${s.name}\0`;
  }
  const shstr = new TextEncoder().encode(strtab);
  const datas = all.map((s, i) => (i === all.length - 1 ? shstr : (s.data ?? new Uint8Array(0))));
  let at = ehdr;
  const offsets: number[] = [];
  for (let i = 0; i < all.length; i++) {
    at = align(at, 8);
    offsets.push(at);
    if (all[i].type !== SHT_NOBITS) at += datas[i].length;
  }
  const shoff = align(at, 8);
  const count = all.length + 1;
  const out = new Uint8Array(shoff + count * shdrSize);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  v.setUint16(16, 1, le); // ET_REL
  v.setUint16(18, spec.machine ?? 247, le); // default EM_BPF
  v.setUint32(20, 1, le);
  if (is64) {
    v.setBigUint64(0x28, spec.shoff ?? BigInt(shoff), le);
    v.setUint16(0x34, ehdr, le);
    v.setUint16(0x3a, spec.shentsize ?? shdrSize, le);
    v.setUint16(0x3c, spec.shnum ?? count, le);
    v.setUint16(0x3e, spec.shstrndx ?? count - 1, le);
  } else {
    v.setUint32(0x20, Number(spec.shoff ?? BigInt(shoff)), le);
    v.setUint16(0x28, ehdr, le);
    v.setUint16(0x2e, spec.shentsize ?? shdrSize, le);
    v.setUint16(0x30, spec.shnum ?? count, le);
    v.setUint16(0x32, spec.shstrndx ?? count - 1, le);
  }
  for (let i = 0; i < all.length; i++) {
    if (all[i].type !== SHT_NOBITS) out.set(datas[i], offsets[i]);
    const h = shoff + (i + 1) * shdrSize;
    const s = all[i];
    const off = s.offset ?? BigInt(offsets[i]);
    const size = s.size ?? BigInt(datas[i].length);
    v.setUint32(h, names[i], le);
    v.setUint32(h + 4, s.type ?? SHT_PROGBITS, le);
    if (is64) {
      v.setBigUint64(h + 8, s.flags ?? 0n, le);
      v.setBigUint64(h + 24, off, le);
      v.setBigUint64(h + 32, size, le);
      v.setUint32(h + 40, s.link ?? 0, le);
      v.setUint32(h + 44, s.info ?? 0, le);
      v.setBigUint64(h + 48, 1n, le);
      v.setBigUint64(h + 56, BigInt(s.entsize ?? 0), le);
    } else {
      v.setUint32(h + 8, Number(s.flags ?? 0n), le);
      v.setUint32(h + 16, Number(off), le);
      v.setUint32(h + 20, Number(size), le);
      v.setUint32(h + 24, s.link ?? 0, le);
      v.setUint32(h + 28, s.info ?? 0, le);
      v.setUint32(h + 32, 1, le);
      v.setUint32(h + 36, s.entsize ?? 0, le);
    }
  }
  return out;
}
