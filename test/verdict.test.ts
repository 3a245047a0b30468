/**
 * The DWARF verdict (src/verdict): facts read from llvm-dwarfdump-16 text
 * (a fixture printed for corpus probe 54 compiled by gcc 12 -g), the
 * verdict per category, the normalisations the DWARF revokes, and each
 * side's own defects (rejected by the kernel's verifier, inconsistent with
 * its own object). Pure: no toolchain.
 */
import { readFileSync } from 'node:fs';
import { lintBlob } from '../src/lint/verify.js';
import { describe, expect, it } from 'vitest';
import type { ElfSymbol } from '../src/artifact/elf.js';
import { encodeBtf } from '../src/btf/encode.js';
import { classifyFindings } from '../src/findings/classify.js';
import { type Finding, findingKey } from '../src/findings/finding.js';
import { constValue, type DwarfFacts, parseDwarfFacts } from '../src/verdict/dwarf-facts.js';
import { dwarfVerdict } from '../src/verdict/dwarf-verdict.js';
import { judgeFindings } from '../src/verdict/judge.js';
import { lengthDefect, rejectedFindings, selfFindings } from '../src/verdict/own-defects.js';
import { makeBtf } from './helpers/btf-transform.js';

const P54 = parseDwarfFacts(readFileSync('test/fixtures/dwarf/54-array-dims-order.dwarfdump.txt', 'utf8'));

const INT = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 } as const;
const f = (entity: string, category: Finding['category'], left: string, right: string, path = ''): Finding => ({ entity, path, category, left, right });

/** Facts written by hand for the categories the probe 54 dump lacks. */
const HAND: DwarfFacts = {
  types: {
    char: { tag: 'DW_TAG_base_type', size: 1, encoding: 'DW_ATE_signed_char' },
    'unsigned char': { tag: 'DW_TAG_base_type', size: 1, encoding: 'DW_ATE_unsigned_char' },
    double: { tag: 'DW_TAG_base_type', size: 8, encoding: 'DW_ATE_float' },
    'enum e': { tag: 'DW_TAG_enumeration_type', size: 4, type: 'int', encoding: 'DW_ATE_signed', enumerators: [['NEG', '-1']] },
    'enum big': {
      tag: 'DW_TAG_enumeration_type',
      size: 8,
      type: 'long unsigned int',
      enumerators: [
        ['A', '1'],
        ['B', '4294967296'],
      ],
    },
    'struct s': { tag: 'DW_TAG_structure_type', size: 8, members: [{ name: 'x', type: '_Atomic int', bitOffset: 32, bitSize: 3 }] },
  },
  funcs: { f: { external: true, declaration: false, type: 'int', params: [{ name: 'p', type: '_Atomic int *' }] } },
  vars: {},
};

describe('DWARF facts from llvm-dwarfdump text', () => {
  it('reads array dimensions in source order from the subranges, member offsets, variables and functions', () => {
    expect(P54.types['struct grid'].members?.map((m) => [m.name, m.type, m.bitOffset])).toEqual([
      ['m', 'int[2][3]', 0],
      ['pix', 'unsigned char[4][2][3]', 192],
      ['tail', 'long int', 384],
    ]);
    expect(P54.types['struct grid'].members?.[0].dims).toEqual({ element: 'int', counts: [2, 3], bounds: 'upper_bound 1, upper_bound 2' });
    expect(P54.vars.table).toMatchObject({ external: true, declaration: false, type: 'short int[5][7]', dims: { counts: [5, 7] } });
    expect(P54.funcs.grid_cell.params).toEqual([
      { name: 'g', type: 'struct grid *' },
      { name: 'r', type: 'int' },
      { name: 'c', type: 'int' },
    ]);
    expect(P54.types.int).toEqual({ tag: 'DW_TAG_base_type', size: 4, encoding: 'DW_ATE_signed' });
  });
  it('reads DW_FORM_dataN constants by their width, sign-extended for a signed enumeration', () => {
    expect(constValue('0xffffffff', true)).toBe('-1');
    expect(constValue('0xffffffff', false)).toBe('4294967295');
    expect(constValue('0x80', true)).toBe('-128');
    expect(constValue('0x0000000100000000', false)).toBe('4294967296');
    expect(constValue('-5', true)).toBe('-5');
  });
  it("reads the line grammar: a value runs to the last parenthesis, NULL ends a DIE's attributes, CRLF reads the same", () => {
    const dump = [
      '0x00000000: Compile Unit: length = 0x00000040, format = DWARF32, version = 0x0005',
      '',
      '0x0000000c: DW_TAG_compile_unit',
      '              DW_AT_name\t("a.c")',
      '',
      '0x0000002e:   DW_TAG_base_type',
      '                DW_AT_byte_size\t(0x04)',
      '                DW_AT_encoding\t(DW_ATE_signed)',
      '                DW_AT_name\t("int")',
      '',
      '0x00000035:   DW_TAG_typedef',
      '                DW_AT_type\t(0x0000002e "int")',
      '                DW_AT_name\t("pair (x)")  ',
      '                DW_AT_byte_size(0x02)',
      '',
      '0x0000003c:   NULL',
      '                DW_AT_byte_size\t(0x08)',
    ].join('\n');
    const facts = parseDwarfFacts(dump);
    expect(facts.types).toEqual({
      int: { tag: 'DW_TAG_base_type', size: 4, encoding: 'DW_ATE_signed' },
      'typedef pair (x)': { tag: 'DW_TAG_typedef', type: 'int' },
    });
    expect(parseDwarfFacts(dump.replaceAll('\n', '\r\n'))).toEqual(facts);
  });
});

describe('the verdict on a finding', () => {
  const w = { dwarf: P54 };
  it('array: the side that reverses the dimensions departs; a flattened side keeps the layout', () => {
    expect(dwarfVerdict(f('struct grid', 'array', 'int[6]', 'int[3][2]', 'm'), w)).toEqual({
      departs: 'right',
      dwarf: 'DW_TAG_subrange_type upper_bound 1, upper_bound 2 (int[2][3])',
    });
    expect(dwarfVerdict(f('struct grid', 'array', 'int[6]', 'int[2][3]', 'm'), w)?.departs).toBe('neither');
    expect(dwarfVerdict(f('struct grid', 'array', 'int[2][3]', 'int[3][2]', 'm'), w)?.departs).toBe('right');
    expect(dwarfVerdict(f('var table', 'array', 'absent', 'short int[7][5]'), w)).toBeUndefined(); // absent: no verdict on that side
    // An index-type finding says nothing DWARF's C type carries.
    expect(dwarfVerdict(f('struct grid', 'array', 'int', 'long unsigned int', 'm'), w)).toBeUndefined();
  });
  it('encoding, kind, signedness, enumerators, offsets, bitfields and types', () => {
    const h = { dwarf: HAND };
    expect(dwarfVerdict(f('char', 'encoding', "INT 'char' size=1 SIGNED", "INT 'char' size=1 SIGNED|CHAR"), h)?.departs).toBe('right');
    expect(dwarfVerdict(f('unsigned char', 'encoding', "INT 'unsigned char' size=1 (none)", "INT 'unsigned char' size=1 CHAR"), h)?.departs).toBe('neither');
    expect(dwarfVerdict(f('double', 'kind', "INT 'double' size=8 (none)", "FLOAT 'double' size=8"), h)?.departs).toBe('left');
    expect(dwarfVerdict(f('enum e', 'signedness', 'enum e encoding=SIGNED', 'enum e encoding=UNSIGNED'), h)?.departs).toBe('right');
    // gcc < 13 keeps -1 but writes it unsigned: the kept value departs.
    expect(dwarfVerdict(f('enum e', 'enum-value', 'NEG = -1', 'NEG = 4294967295', 'enumerator NEG'), h)).toEqual({
      departs: 'right',
      dwarf: 'DW_TAG_enumerator NEG DW_AT_const_value -1',
    });
    expect(dwarfVerdict(f('enum big', 'kind', "ENUM64 'big' size=8 vlen=2", "ENUM 'big' size=8 vlen=1"), h)?.departs).toBe('right');
    expect(dwarfVerdict(f('struct s', 'offset', 'bits_offset=32', 'bits_offset=0', 'x'), h)?.departs).toBe('right');
    expect(dwarfVerdict(f('struct s', 'bitfield', 'bitfield_size=3', 'not a bitfield', 'x'), h)?.departs).toBe('right');
    // BTF has no _Atomic: the side that keeps the pointee agrees.
    expect(dwarfVerdict(f('struct s', 'member-type', 'void', 'int', 'x'), h)?.departs).toBe('left');
    expect(dwarfVerdict(f('func f', 'proto', 'void *', 'int *', 'param 1'), h)?.departs).toBe('left');
    expect(dwarfVerdict(f('func (anon)', 'only-right', 'absent', 'int (int)'), h)?.departs).toBe('right');
    expect(dwarfVerdict(f('func f', 'only-right', 'absent', 'int f(int)'), h)?.departs).toBe('left');
  });
  it('DATASEC placement from the symbol table and the section size', () => {
    const sym: ElfSymbol = { name: 'v', value: 64n, size: 16n, binding: 'global', type: 'object', shndx: 3, section: '.data..percpu' };
    const w2 = { dwarf: HAND, symbols: [sym], sectionSizes: { '.data..percpu': 80 } };
    expect(dwarfVerdict(f('datasec .data..percpu', 'datasec', 'offset=64 size=16', 'offset=0 size=16', 'v'), w2)?.departs).toBe('right');
    expect(dwarfVerdict(f('datasec .data..percpu', 'datasec', 'size=80', 'size=0'), w2)).toEqual({
      departs: 'right',
      dwarf: 'ELF section .data..percpu sh_size 80',
    });
  });
  it('is not part of the baseline key', () => {
    const a = f('struct grid', 'array', 'int[6]', 'int[3][2]', 'm');
    expect(findingKey('u', { ...a, verdict: { departs: 'right', dwarf: 'x' } })).toBe(findingKey('u', a));
  });
});

describe('judging findings', () => {
  const btf = { left: makeBtf([INT]), right: makeBtf([INT]) };
  it('revokes flattened-array when the nested side departs from the DWARF, keeps it when it agrees', () => {
    const reversed = { ...f('struct grid', 'array', 'int[6]', 'int[3][2]', 'm'), normalisation: 'flattened-array' };
    const right = { ...f('struct grid', 'array', 'int[6]', 'int[2][3]', 'm'), normalisation: 'flattened-array' };
    const [r, k] = classifyFindings(judgeFindings([reversed, right], btf, { dwarf: P54 }), { leftRecipe: 'pahole', rightRecipe: 'gcc-btf' });
    expect(r).toMatchObject({ category: 'array', status: 'unexplained', verdict: { departs: 'right' } });
    expect(r.normalisation).toBeUndefined();
    expect(k).toMatchObject({ status: 'equivalent', reason: 'flattened-array', verdict: { departs: 'neither' } });
  });
  it('shows a variable whose dimensions one side reverses though no diff finding compares it', () => {
    const right = makeBtf([
      { kind: 'INT', name: 'short int', size: 2, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 16 },
      { kind: 'ARRAY', name: '', type: 1, indexType: 1, nelems: 5 },
      { kind: 'ARRAY', name: '', type: 2, indexType: 1, nelems: 7 },
      { kind: 'VAR', name: 'table', type: 3, linkage: 'global' },
    ]);
    const out = judgeFindings([], { left: makeBtf([INT]), right }, { dwarf: P54 });
    expect(out).toEqual([
      {
        entity: 'var table',
        path: '',
        category: 'array',
        left: 'absent',
        right: 'short int[7][5]',
        rightId: 4,
        verdict: { departs: 'right', dwarf: 'DW_TAG_variable table: DW_TAG_subrange_type upper_bound 4, upper_bound 6 (short int[5][7])' },
      },
    ]);
  });
});

describe("each side's own defects", () => {
  const sym = (name: string, shndx: number, section: string): ElfSymbol => ({ name, value: 0n, size: 4n, binding: 'global', type: 'object', shndx, section });
  it('rejected: the kernel verifier refuses gcc 12 char (SIGNED|CHAR), at the INT, on that side', () => {
    const bad = makeBtf([{ kind: 'INT', name: 'char', size: 1, encoding: { signed: true, char: true, bool: false }, encodingBits: 3, bitsOffset: 0, bits: 8 }]);
    const bytes = encodeBtf(bad);
    expect(rejectedFindings('right', bytes, bad)).toEqual([
      { entity: 'char', path: '', category: 'rejected', left: 'n/a', right: 'kernel refuses: Unsupported encoding', rightId: 1 },
    ]);
    expect(rejectedFindings('left', encodeBtf(makeBtf([INT])), makeBtf([INT]))).toEqual([]);
  });
  it("rejected: a result the caller verified already is used as it is, not the bytes' own (diff verifies before decoding)", () => {
    const bad = makeBtf([{ kind: 'INT', name: 'char', size: 1, encoding: { signed: true, char: true, bool: false }, encodingBits: 3, bitsOffset: 0, bits: 8 }]);
    const good = encodeBtf(makeBtf([INT]));
    // The refusal of bad's blob, handed in with good's bytes: the finding comes from the result given.
    const refused = lintBlob(encodeBtf(bad));
    expect(refused.accepted).toBe(false);
    expect(rejectedFindings('right', good, bad, undefined, refused).map((f) => f.right)).toEqual(['kernel refuses: Unsupported encoding']);
    expect(rejectedFindings('right', encodeBtf(bad), bad, undefined, lintBlob(good))).toEqual([]);
  });
  it('self-inconsistent: duplicate VARs, ARRAY indexed by void, DATASECs of externs or of a missing section, VARs without storage', () => {
    const btf = makeBtf([
      INT,
      { kind: 'ARRAY', name: '', type: 1, indexType: 0, nelems: 0 },
      { kind: 'VAR', name: 'ext', type: 2, linkage: 'global' },
      { kind: 'VAR', name: 'ext', type: 1, linkage: 'global' },
      { kind: 'VAR', name: 'here', type: 1, linkage: 'global' },
      { kind: 'DATASEC', name: '.rodata', size: 0, vars: [{ type: 3, offset: 0, size: 0 }] },
      { kind: 'DATASEC', name: '.bss', size: 0, vars: [{ type: 5, offset: 0, size: 4 }] },
    ]);
    const out = selfFindings('right', btf, { symbols: [sym('ext', 0, ''), sym('here', 2, '.bss')], sections: ['.text', '.bss'] });
    expect(out.map((x) => `${x.entity} | ${x.path} | ${x.right}`)).toEqual([
      "var ext |  | 2 VARs 'ext' (global), ids 3, 4",
      'var ext |  | ARRAY #2 index_type_id=0 (void)',
      'datasec .rodata |  | DATASEC .rodata: the object has no section .rodata',
      'datasec .rodata | ext | DATASEC .rodata lists ext: ext is undefined in the object (extern)',
      'var ext |  | VAR ext (global): the object defines no symbol ext',
    ]);
    expect(out.every((x) => x.category === 'self-inconsistent' && x.left === 'n/a')).toBe(true);
  });
  it('section lengths: a header claiming more type bytes than the blob holds', () => {
    const bytes = encodeBtf(makeBtf([INT]));
    expect(lengthDefect(bytes)).toBeUndefined();
    const cut = bytes.slice(0, bytes.length - 4);
    expect(lengthDefect(cut)).toMatch(/^header: (type|string) section \d+\+\d+ bytes, but only \d+ bytes follow the header$/);
  });
});
