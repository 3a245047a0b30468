/**
 * `triage` end to end with the real toolchain: the report carries the
 * reduced reproducer, both sides' records, and DWARF's verdict on the
 * enum's signedness.
 */
import { describe, expect, it } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { renderTriageMarkdown } from '../src/triage/report-md.js';
import { reductionTargets, runTriage } from '../src/triage/triage.js';
import { dwarfVerdict, parseDwarfDump } from '../src/triage/dwarf.js';

describe('triage report', () => {
  it('contains the reproducer, the side-by-side records and the DWARF verdict', async () => {
    const settings = resolveCheckSettings({}, {}, '/nonexistent-config-dir');
    const source = { display: 'wide-unit.c', arg: 'test/fixtures/triage/wide-unit.c', cwd: process.cwd() };
    // No rules: every non-equivalent finding is unexplained, so the order is the check's own.
    const report = await runTriage({ sources: [source], config: settings.config, timeoutSeconds: 60, rules: [], maxReduce: 10, jobs: 2 });
    const repro = report.reproducers.find((p) => p.target.entity === 'enum wire_status');
    expect(repro).toBeDefined();
    expect(repro?.text).toMatch(/enum wire_status/);
    const md = renderTriageMarkdown(report);
    expect(md).toContain(`### signedness \`enum wire_status\` — \`${repro?.file}\``);
    expect(md).toContain(repro?.text.trimEnd());
    expect(md).toContain(`gcc -g -gbtf -c ${repro?.file}`);
    // Both sides' bpftool-style records (pahole: SIGNED, gcc 12: UNSIGNED; see corpus probe 07).
    expect(md).toMatch(/ENUM 'wire_status' encoding=SIGNED size=4 vlen=4/);
    expect(md).toMatch(/ENUM 'wire_status' encoding=UNSIGNED size=4 vlen=4/);
    // gcc's DWARF gives the enumeration DW_AT_type "int" (llvm-dwarfdump prints it), so the left (pahole) side agrees.
    expect(md).toContain("DWARF says the enumeration's underlying type is int (signed); left matches, right departs");
    expect(md).toMatch(/gcc \(Debian 12\.2\.0/);
    expect(md).toMatch(/pahole: .* — v1\.24/);
  }, 300_000);

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
