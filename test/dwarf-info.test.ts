/**
 * The in-process DWARF reader without a toolchain: committed clang BPF
 * objects (REL relocations, both byte orders) read to the facts their probe
 * sources say, hand-made DWARF for what compilers do not write (DWARF64,
 * deep nesting, reference cycles, strx, implicit_const), declines for what
 * it does not handle, and seeded mutations of a real object, each of which
 * must come out as facts or a decline (never a throw). The facts of real
 * compilers' output are checked against llvm-dwarfdump in
 * test/dwarf-info-compilers.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MAX_DIE_DEPTH, readDwarfDies } from '../src/artifact/dwarf-info.js';
import { parseElf } from '../src/artifact/elf.js';
import { dwarfFacts } from '../src/verdict/dwarf-facts.js';
import { buildElf, SHT_SYMTAB } from './helpers/elf-build.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'btf');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

function factsOf(bytes: Uint8Array) {
  const read = readDwarfDies(parseElf(bytes));
  if (read.kind !== 'dies') throw new Error(`declined: ${read.reason}`);
  return dwarfFacts(read.tree);
}

function declineOf(bytes: Uint8Array): string {
  const read = readDwarfDies(parseElf(bytes));
  return read.kind === 'declined' ? read.reason : 'read';
}

describe('real objects (clang -target bpf / bpfeb -g, committed)', () => {
  test('07-enum-negative: enumerators as the source writes them, sign-extended', () => {
    const f = factsOf(fixture('07-enum-negative.clang-bpf.o'));
    // corpus/probes/07-enum-negative.c: enum errcode { E_FAIL = -1, E_OK = 0, E_AGAIN = -11, E_MAX = 100 }.
    expect(f.types['enum errcode']).toMatchObject({
      tag: 'DW_TAG_enumeration_type',
      size: 4,
      enumerators: [
        ['E_FAIL', '-1'],
        ['E_OK', '0'],
        ['E_AGAIN', '-11'],
        ['E_MAX', '100'],
      ],
    });
    expect(f.types.int).toEqual({ tag: 'DW_TAG_base_type', size: 4, encoding: 'DW_ATE_signed' });
  });

  test('either byte order gives the same facts', () => {
    for (const probe of ['07-enum-negative', '09-enum64', '24-restrict', '35-funcs-linkage', '38-decl-tag', '39-type-tag']) {
      const le = factsOf(fixture(`${probe}.clang-bpf.o`));
      expect(factsOf(fixture(`${probe}.clang-bpfeb.o`)), probe).toEqual(le);
      expect(Object.keys(le.types).length + Object.keys(le.funcs).length + Object.keys(le.vars).length, probe).toBeGreaterThan(1);
    }
  });

  test('09-enum64: 64-bit enumerators stay exact', () => {
    const f = factsOf(fixture('09-enum64.clang-bpf.o'));
    const values = Object.fromEntries(Object.values(f.types).flatMap((t) => t.enumerators ?? []));
    // corpus/probes/09-enum64.c, in decimal (not rounded through a double): 0xfedcba9876543210, -0x100000000, 0x7fffffffffffffff.
    expect([values.B_HUGE, values.S_NEG, values.S_POS]).toEqual(['18364758544493064720', '-4294967296', '9223372036854775807']);
  });
});

/** Sections of a hand-made object, name to bytes. */
type Sections = Record<string, Uint8Array>;

/**
 * An ELF64 ET_REL object (test/helpers/elf-build.ts) holding `sections`
 * as SHT_PROGBITS, `.symtab` as SHT_SYMTAB, and `.rela.X` as SHT_RELA
 * applying to X with `.symtab` as its symbols; `flags` by section name.
 */
function elf(sections: Sections, machine = 62, flags: Readonly<Record<string, bigint>> = {}): Uint8Array {
  const names = Object.keys(sections);
  const index = (name: string): number => names.indexOf(name) + 1; // after the null section
  return buildElf({
    machine,
    sections: names.map((name) => ({
      name,
      data: sections[name],
      ...(flags[name] !== undefined ? { flags: flags[name] } : {}),
      ...(name === '.symtab' ? { type: SHT_SYMTAB } : {}),
      ...(name.startsWith('.rela.') ? { type: SHT_RELA, link: index('.symtab'), info: index(name.slice(5)) } : {}),
    })),
  });
}

const SHT_RELA = 4;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const u16 = (n: number): number[] => [n & 0xff, n >>> 8];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const cstr = (s: string): number[] => [...new TextEncoder().encode(s), 0];

const DW = { name: 0x03, type: 0x49, byte_size: 0x0b, encoding: 0x3e, const_value: 0x1c, str_offsets_base: 0x72 };
const FORM = { string: 0x08, data1: 0x0b, ref4: 0x13, strp: 0x0e, strx1: 0x25, sec_offset: 0x17, implicit_const: 0x21, sdata: 0x0d };
const TAG = {
  compile_unit: 0x11,
  base_type: 0x24,
  pointer_type: 0x0f,
  typedef: 0x16,
  array_type: 0x01,
  variable: 0x34,
  enumeration_type: 0x04,
  enumerator: 0x28,
};

/** One abbreviation: code, tag, children?, then [attribute, form(, implicit value)] pairs. */
function abbrev(code: number, tag: number, children: boolean, attrs: readonly (readonly number[])[]): number[] {
  return [...uleb(code), ...uleb(tag), children ? 1 : 0, ...attrs.flatMap(([a, f, ...k]) => [...uleb(a), ...uleb(f), ...k]), 0, 0];
}

/** A DWARF 5 compile unit (32-bit): header, then `dies` (unit-relative offsets start at 12). */
function unit5(dies: readonly number[], version = 5): number[] {
  const header = version === 5 ? [...u16(5), 1, 8, ...u32(0)] : [...u16(version), ...u32(0), 8];
  return [...u32(header.length + dies.length), ...header, ...dies];
}

const bytes = (a: readonly number[]): Uint8Array => Uint8Array.from(a);

describe('hand-made DWARF', () => {
  test('strx names through DW_AT_str_offsets_base given after the name, implicit_const sizes, sdata enumerators', () => {
    const str = cstr('cu.c').concat(cstr('int'), cstr('e'), cstr('A'));
    // Offsets of the four strings in .debug_str: 0, 5, 9, 11. The contribution header (8 bytes) precedes the entries.
    const strOffsets = [...u32(20), ...u16(5), 0, 0, ...u32(0), ...u32(5), ...u32(9), ...u32(11)];
    const ab = [
      ...abbrev(1, TAG.compile_unit, true, [
        [DW.name, FORM.strx1],
        [DW.str_offsets_base, FORM.sec_offset],
      ]),
      ...abbrev(2, TAG.base_type, false, [
        [DW.name, FORM.strx1],
        [DW.byte_size, FORM.implicit_const, 4],
        [DW.encoding, FORM.data1],
      ]),
      ...abbrev(3, TAG.enumeration_type, true, [
        [DW.name, FORM.strx1],
        [DW.type, FORM.ref4],
        [DW.byte_size, FORM.data1],
      ]),
      ...abbrev(4, TAG.enumerator, false, [
        [DW.name, FORM.strx1],
        [DW.const_value, FORM.sdata],
      ]),
      0,
    ];
    // DIE offsets (the unit is at 0, so unit-relative is absolute): CU 12 (6 bytes), int 18 (3 bytes), enum 21.
    const dies = [1, 0, ...u32(8), 2, 1, 0x05, 3, 2, ...u32(18), 4, 4, 3, 0x7f, 0, 0];
    const f = factsOf(
      elf({ '.debug_abbrev': bytes(ab), '.debug_info': bytes(unit5(dies)), '.debug_str': bytes(str), '.debug_str_offsets': bytes(strOffsets) }),
    );
    expect(f.types).toEqual({
      int: { tag: 'DW_TAG_base_type', size: 4, encoding: 'DW_ATE_signed' },
      'enum e': { tag: 'DW_TAG_enumeration_type', size: 4, type: 'int', enumerators: [['A', '-1']] },
    });
  });

  const typedefCycle = (tag: number): Uint8Array => {
    const ab = [
      ...abbrev(1, TAG.compile_unit, true, []),
      ...abbrev(2, tag, false, [
        [DW.name, FORM.string],
        [DW.type, FORM.ref4],
      ]),
      ...abbrev(3, TAG.variable, false, [
        [DW.name, FORM.string],
        [DW.type, FORM.ref4],
      ]),
      0,
    ];
    // The CU at 12 (1 byte), then two DIEs naming each other: at 13 (code, `a`, ref: 7 bytes) and at 20; a variable `v` of type `a`.
    const dies = [1, 2, ...cstr('a'), ...u32(20), 2, ...cstr('b'), ...u32(13), 3, ...cstr('v'), ...u32(13), 0];
    return elf({ '.debug_abbrev': bytes(ab), '.debug_info': bytes(unit5(dies)) });
  };

  test('a DW_AT_type cycle of typedefs, pointers or arrays ends in a bounded name', () => {
    const typedefs = factsOf(typedefCycle(TAG.typedef));
    expect([typedefs.types['typedef a'], typedefs.vars.v.type]).toEqual([{ tag: 'DW_TAG_typedef', type: 'b' }, 'a']);
    // typeName's bound: 17 levels (depth 0 to 16) each add ` *`, then `...`.
    expect(factsOf(typedefCycle(TAG.pointer_type)).vars.v.type).toBe(`...${' *'.repeat(17)}`);
    // Arrays naming each other: each level names its element through dimsOf; the one depth bound holds across both.
    expect(factsOf(typedefCycle(TAG.array_type)).vars.v.type).toBe('...');
  });

  test(`DIEs nested deeper than ${MAX_DIE_DEPTH} decline`, () => {
    const ab = [...abbrev(1, TAG.compile_unit, true, []), 0];
    const deep = Array.from({ length: MAX_DIE_DEPTH + 1 }, () => 1);
    expect(declineOf(elf({ '.debug_abbrev': bytes(ab), '.debug_info': bytes(unit5(deep)) }))).toMatch(/nests deeper than 256/);
    const ok = Array.from({ length: 20 }, () => 1);
    expect(declineOf(elf({ '.debug_abbrev': bytes(ab), '.debug_info': bytes(unit5(ok)) }))).toBe('read');
  });

  const cu = [...abbrev(1, TAG.compile_unit, false, [[DW.name, FORM.strp]]), 0];

  test('DWARF64, type units, bad versions and unknown forms decline', () => {
    const dwarf64 = [0xff, 0xff, 0xff, 0xff, ...Array(20).fill(0)];
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(dwarf64) }))).toMatch(/DWARF64/);
    const typeUnit = [...u32(8), ...u16(5), 2, 8, ...u32(0)];
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(typeUnit) }))).toMatch(/unit type 2/);
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(unit5([0], 6)) }))).toMatch(/version 6/);
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(unit5([0])), '.debug_types': bytes([1]) }))).toMatch(/type units/);
    // Two sections of one name (gcc -fdebug-types-section puts type units in COMDAT .debug_info sections).
    const twice = buildElf({
      machine: 62,
      sections: [
        { name: '.debug_abbrev', data: bytes(cu) },
        { name: '.debug_info', data: bytes(unit5([0])) },
        { name: '.debug_info', data: bytes(unit5([0])) },
      ],
    });
    expect(declineOf(twice)).toBe('.debug_info: 2 sections of that name');
    const unknownForm = [...abbrev(1, TAG.compile_unit, false, [[0x3a, 0x7f]]), 0];
    expect(declineOf(elf({ '.debug_abbrev': bytes(unknownForm), '.debug_info': bytes(unit5([1, 0])) }))).toMatch(/unknown form 0x7f/);
  });

  test('truncated sections and out-of-range offsets decline, naming section and offset', () => {
    const str = bytes(cstr('cu.c'));
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(unit5([1, ...u32(0)])).subarray(0, 14), '.debug_str': str }))).toMatch(
      /^\.debug_info: unit at 0 \(length 13\) runs past the section \(14 bytes\)$/,
    );
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(unit5([1, ...u32(99)])), '.debug_str': str }))).toBe(
      '.debug_str: no string at offset 99 (section is 5 bytes)',
    );
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu).subarray(0, 3), '.debug_info': bytes(unit5([1, ...u32(0)])), '.debug_str': str }))).toMatch(
      /^\.debug_abbrev: 1 bytes at 3 run past the section \(3 bytes\)$/,
    );
    expect(declineOf(elf({ '.debug_abbrev': bytes(cu), '.debug_info': bytes(unit5([2])) }))).toMatch(/abbreviation 2, which its table lacks/);
  });

  test('relocations: R_X86_64_32 against .debug_str applied; an unknown type or machine declines', () => {
    const str = bytes(cstr('x').concat(cstr('cu.c')));
    // .symtab: the null symbol, then a section symbol of .debug_str (section 3 below; value 0).
    const symtab = new Uint8Array(48);
    symtab[24 + 4] = 3; // STT_SECTION
    symtab[24 + 6] = 3; // st_shndx
    const rela = (type: number, addend: number) => {
      const r = new Uint8Array(24);
      const v = new DataView(r.buffer);
      v.setBigUint64(0, 13n, true); // the strp field: after the 12-byte header and the abbreviation code
      v.setBigUint64(8, (1n << 32n) | BigInt(type), true);
      v.setBigInt64(16, BigInt(addend), true);
      return r;
    };
    const sections = (type: number): Sections => ({
      '.debug_abbrev': bytes(cu),
      '.debug_info': bytes(unit5([1, ...u32(0)])),
      '.debug_str': str,
      '.symtab': symtab,
      '.rela.debug_info': rela(type, 2),
    });
    const read = readDwarfDies(parseElf(elf(sections(10))));
    expect(read.kind === 'dies' ? read.tree.roots[0].attrs.name : read.reason).toBe('cu.c');
    expect(declineOf(elf(sections(2)))).toMatch(/relocation type 2 \(ELF machine 62\)/); // R_X86_64_PC32
    expect(declineOf(elf(sections(10), 0x1234))).toMatch(/ELF machine 4660 are not known/);
  });

  test('a compressed section: zlib inflates, zstd declines', async () => {
    const { deflateSync } = await import('node:zlib');
    const info = bytes(unit5([1, ...u32(0)]));
    const chdr = (type: number, size: number, body: Uint8Array): Uint8Array => {
      const h = new Uint8Array(24 + body.length);
      const v = new DataView(h.buffer);
      v.setUint32(0, type, true);
      v.setBigUint64(8, BigInt(size), true);
      h.set(body, 24);
      return h;
    };
    const compressed = (type: number): Uint8Array =>
      elf({ '.debug_abbrev': bytes(cu), '.debug_info': chdr(type, info.length, deflateSync(info)), '.debug_str': bytes(cstr('cu.c')) }, 62, {
        '.debug_info': 0x800n,
      }); // SHF_COMPRESSED
    const read = readDwarfDies(parseElf(compressed(1)));
    expect(read.kind === 'dies' ? read.tree.roots[0].attrs.name : read.reason).toBe('cu.c');
    expect(declineOf(compressed(2))).toMatch(/zstd/);
  });
});

describe('mutations of a real object', () => {
  test('every mutant of the debug sections reads to facts or declines, never throws', () => {
    const base = fixture('24-restrict.clang-bpf.o');
    const elfFile = parseElf(base);
    const debug = elfFile.sections.filter((s) => /^\.(rel\.)?debug_(info|abbrev|str|str_offsets)$/.test(s.name));
    expect(debug.length).toBeGreaterThanOrEqual(4);
    let seed = 13;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const outcome = { facts: 0, declined: 0 };
    for (let i = 0; i < 3000; i++) {
      const m = Uint8Array.from(base);
      for (let k = 1 + rand(4); k > 0; k--) {
        const s = debug[rand(debug.length)];
        if (s.size === 0) continue;
        m[s.offset + rand(s.size)] = rand(3) === 0 ? 0xff : rand(256);
      }
      const read = readDwarfDies(parseElf(m));
      if (read.kind === 'declined') {
        expect(read.reason).not.toMatch(/\n/);
        outcome.declined++;
      } else {
        dwarfFacts(read.tree);
        outcome.facts++;
      }
    }
    // Both outcomes happen: the mutations reach the decoder's checks and also leave readable objects.
    expect(outcome.facts).toBeGreaterThan(100);
    expect(outcome.declined).toBeGreaterThan(100);
  });
});
