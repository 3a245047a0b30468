/**
 * `btfparity diff A B` on real artifacts (gcc 12, pahole 1.24, the
 * running kernel's BTF), as a subprocess from dist/ (built in beforeAll
 * when older than src/, as in check-cli.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/report/run-result.js';
import { type CliRun, ensureBuilt, PROBES, runCli } from './helpers/cli.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const work = mkdtempSync(join(tmpdir(), 'btfparity-test-diff-'));

beforeAll(() => {
  ensureBuilt();
  // Both avenues for probe 21, made by hand exactly as the recipes do.
  const src = join(PROBES, '21-multidim-array.c');
  must('gcc', ['-g', '-c', src, '-o', 'p21.dwarf.o']);
  must('pahole', ['--btf_encode_detached=p21.pahole.btf', 'p21.dwarf.o']);
  must('gcc', ['-gbtf', '-c', src, '-o', 'p21.gcc-btf.o']);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function must(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function btfparity(args: string[]): CliRun {
  return runCli(args, { cwd: work });
}

describe('diff', () => {
  it('a file against itself: no difference, exit 0 (raw BTF); a blob the kernel refuses is rejected on both sides (ELF object)', () => {
    const r = btfparity(['diff', 'p21.pahole.btf', 'p21.pahole.btf', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout) as RunResult;
    expect(res.units).toEqual([{ source: 'p21.pahole.btf vs p21.pahole.btf', commands: [], findings: [] }]);
    expect(res.toolchain).toEqual([]);
    // gcc 12's char (SIGNED|CHAR) and its size-0 DATASECs: each side's own defect, never a difference.
    const g = btfparity(['diff', 'p21.gcc-btf.o', 'p21.gcc-btf.o', '--format', 'json']);
    expect(g.status).toBe(1);
    const found = (JSON.parse(g.stdout) as RunResult).units[0].findings;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.category === 'rejected' && f.status === 'unexplained')).toBe(true);
    expect(found.filter((f) => f.left === 'n/a').length).toBe(found.filter((f) => f.right === 'n/a').length);
    expect(found.map((f) => `${f.entity}: ${f.right}`)).toContain('char: kernel refuses: Unsupported encoding');
  });

  it("the two avenues' files give the findings `check` gives for the same probe", () => {
    const d = btfparity(['diff', 'p21.pahole.btf', 'p21.gcc-btf.o', '--format', 'json', '--left-recipe', 'pahole', '--right-recipe', 'gcc-btf']);
    const c = btfparity(['check', join(PROBES, '21-multidim-array.c'), '--format', 'json', '--no-single-compile']);
    expect(d.status).toBe(1);
    const dr = JSON.parse(d.stdout) as RunResult;
    const cr = JSON.parse(c.stdout) as RunResult;
    expect(dr.units[0].source).toBe('p21.pahole.btf vs p21.gcc-btf.o');
    // Compared: the structural finding. Not compared: raw ids (gcc 12 -gbtf
    // VAR order follows a pointer hash, so ids differ between two gcc runs)
    // and classification (diff knows no tool versions, so rules conditioned
    // on e.g. cc < 13 cannot match there; check knows them).
    // Nor what only check has: the DWARF of the compile (a variable's reversed array: an array finding against an absent left).
    const structural = (f: RunResult['units'][number]['findings'][number]) => !(f.category === 'array' && f.left === 'absent');
    const noIds = (r: RunResult) => r.units[0].findings.filter(structural).map((f) => [f.entity, f.path, f.category, f.left, f.right, f.normalisation ?? '']);
    expect(noIds(dr).length).toBeGreaterThan(0);
    expect(noIds(dr)).toEqual(noIds(cr));
  });

  it('split BTF over a base: a module-style blob against itself with --base-left/--base-right is clean', () => {
    // pahole encodes the probe's types as split BTF continuing vmlinux's ids.
    must('pahole', [`--btf_base=${VMLINUX}`, '--btf_encode_detached=p21.split.btf', 'p21.dwarf.o']);
    const r = btfparity(['diff', 'p21.split.btf', 'p21.split.btf', '--base-left', VMLINUX, '--base-right', VMLINUX, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as RunResult).summary.findings).toBe(0);
  });

  it('bad input is one line and exit 2: missing file, a file without BTF', () => {
    const missing = btfparity(['diff', 'nope.o', 'p21.gcc-btf.o']);
    expect([missing.status, missing.stderr]).toEqual([2, 'btfparity: nope.o: no such file\n']);
    const noBtf = btfparity(['diff', 'p21.dwarf.o', 'p21.gcc-btf.o']);
    expect([noBtf.status, noBtf.stderr]).toEqual([2, 'btfparity: p21.dwarf.o: ELF file has no .BTF section\n']);
    expect(noBtf.stdout).toBe('');
  });
});
