/**
 * Triage's pure parts: which findings are reduced, in what order, and
 * reading llvm-dwarfdump text. The end-to-end run is triage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dwarfVerdict, parseDwarfDump } from '../src/triage/dwarf.js';
import { reductionTargets } from '../src/triage/triage.js';

describe('triage report', () => {
  it('orders reduction targets unexplained first and skips equivalent and anonymous ones', () => {
    const base = { path: '', left: 'a', right: 'b' };
    const units = [
      {
        unit: {
          source: 'u.c',
          findings: [
            { ...base, entity: 'struct a', category: 'array' as const, status: 'equivalent' as const },
            { ...base, entity: 'char', category: 'encoding' as const, status: 'known' as const },
            { ...base, entity: 'func (anon)', category: 'only-right' as const, status: 'unexplained' as const },
            { ...base, entity: 'enum e', category: 'signedness' as const, status: 'unexplained' as const },
            { ...base, entity: 'enum e', category: 'signedness' as const, status: 'unexplained' as const, path: 'x' },
          ],
        },
      },
    ];
    expect(reductionTargets(units).map((t) => `${t.target.category} ${t.target.entity}`)).toEqual(['signedness enum e', 'encoding char']);
  });

  it('reads array shapes from llvm-dwarfdump text', () => {
    // Excerpt in llvm-dwarfdump-16 format (as printed for corpus probe 21 compiled by gcc 12 -g).
    const text = [
      '0x0000000c: DW_TAG_compile_unit',
      '0x000000a0:   DW_TAG_structure_type',
      '                DW_AT_name\t("matrix")',
      '                DW_AT_byte_size\t(0x90)',
      '0x000000a9:     DW_TAG_member',
      '                  DW_AT_name\t("m")',
      '                  DW_AT_type\t(0x000000c8 "double[4][4]")',
      '0x000000b5:     NULL',
    ].join('\n');
    const v = dwarfVerdict(parseDwarfDump(text), { entity: 'struct matrix', path: 'm', category: 'array', left: 'double[16]', right: 'double[4][4]' });
    expect(v).toEqual({ says: 'member m has type double[4][4] (2 subrange(s))', left: 'departs', right: 'matches' });
  });
});
