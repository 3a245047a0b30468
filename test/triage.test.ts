/**
 * `triage` end to end with the real toolchain: the report carries the
 * reduced reproducer, both sides' records, and DWARF's verdict on the
 * enum's signedness. Its pure parts (target order, DWARF text) are in
 * triage-parts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { renderTriageMarkdown } from '../src/triage/report-md.js';
import { renderTriageEmail } from '../src/triage/report-txt.js';
import { runTriage } from '../src/triage/triage.js';
import { triageVerdict, verdictSentence } from '../src/triage/dwarf.js';

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
    // Prose wraps at 100 columns, a list item's continuation lines indented by two spaces: join them to read the sentence.
    const prose = md.replace(/\n {2}(?=\S)/g, ' ');
    expect(prose).toMatch(/DWARF says DW_TAG_enumeration_type wire_status DW_AT_type int[^;]*; left matches, right departs/);
    expect(md).toMatch(/gcc \(Debian 12\.2\.0/);
    expect(md).toMatch(/pahole: .* — v1\.24/);
    // Mail-ready (issue 12): no inline HTML, no tab, prose within 100 columns (the real unit has DATASECs of 42 variables).
    expect(md).not.toMatch(/<(pre|br)>/);
    expect(md).not.toContain('\t');
    let fenced = false;
    for (const l of md.split('\n')) {
      if (l.startsWith('```')) fenced = !fenced;
      else if (!fenced) expect(l.length, l).toBeLessThanOrEqual(100);
    }
    // report.txt: the email report with the reproducer as a 4-space block.
    const txt = renderTriageEmail(report);
    expect(txt).toMatch(/^[\x20-\x7e\n]*$/);
    for (const l of txt.split('\n')) expect(l.length, l).toBeLessThanOrEqual(78);
    expect(txt).toContain(`\n    ${repro?.text.split('\n')[0]}\n`);
  }, 300_000);

  it("words the check's own verdict, so an equivalent finding never shows a departure", () => {
    const base = { entity: 'struct matrix', path: 'm', category: 'array' as const, left: 'double[16]', right: 'double[4][4]' };
    const dwarf = 'DW_TAG_subrange_type upper_bound 3, upper_bound 3 (double[4][4])';
    const flat = triageVerdict({ ...base, status: 'equivalent', reason: 'flattened-array', verdict: { departs: 'neither', dwarf } });
    expect(flat && verdictSentence(flat)).toBe(`DWARF says ${dwarf}; left matches, right matches`);
    const reversed = triageVerdict({ ...base, right: 'double[2][8]', status: 'unexplained', verdict: { departs: 'right', dwarf } });
    expect(reversed).toEqual({ says: dwarf, left: 'matches', right: 'departs' });
    expect(triageVerdict({ ...base, status: 'unexplained' })).toBeUndefined();
  });
});
