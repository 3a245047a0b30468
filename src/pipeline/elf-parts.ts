/**
 * Reading only some sections of a large ELF file. The linked object of a
 * whole binary (`ld -r` of hundreds of objects) is mostly DWARF and its
 * relocations — 200 MB for fs/ + kernel/ + mm/ — of which btfparity needs
 * the symbol table and a section or two. Reading the file whole made peak
 * memory grow with the number of objects (docs/KERNEL.md, "Scale").
 *
 * The parts are read into a zero-filled buffer of the file's size: the
 * ELF parser then works unchanged (its section views are offsets into the
 * file), and the pages never written are never made resident (a large
 * zero-filled allocation is mapped lazily by the kernel), so what counts
 * against memory is what was read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type ElfFile, parseElf, SHT_NOBITS, SHT_SYMTAB, sectionHeaderRange } from '../artifact/elf.js';

const SHT_STRTAB = 3;

/** The ELF at `path` with the header, section table, symbol and string tables, and the sections named `names` read. */
export function readElfParts(path: string, names: readonly string[]): ElfFile {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(size);
    const read = (offset: number, length: number): void => {
      const end = Math.min(size, offset + length);
      for (let at = offset; at < end; ) {
        const n = readSync(fd, bytes, at, end - at, at);
        if (n === 0) break;
        at += n;
      }
    };
    read(0, 64);
    // Twice at most: with extended numbering the first range is section 0 only.
    let table = { offset: -1, size: -1 };
    for (let next = sectionHeaderRange(bytes); next.offset !== table.offset || next.size !== table.size; next = sectionHeaderRange(bytes)) {
      table = next;
      read(table.offset, table.size);
    }
    // Names live in a string table: read those (and the symbols) before choosing sections by name.
    const tables = parseElf(bytes).sections.filter((s) => s.type === SHT_SYMTAB || s.type === SHT_STRTAB);
    for (const s of tables) read(s.offset, s.size);
    const elf = parseElf(bytes);
    for (const s of elf.sections) if (s.type !== SHT_NOBITS && names.includes(s.name)) read(s.offset, s.size);
    return elf;
  } finally {
    closeSync(fd);
  }
}
