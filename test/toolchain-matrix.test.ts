/**
 * `btfparity matrix` for real: three probes, three pairs that differ only
 * in the pahole encoding the left side (host 1.24, trixie 1.30, sid 1.32;
 * gcc 12.2 and `gcc -gbtf` on the right throughout), through the CLI.
 *
 * The oracle is what these paholes do on these probes, observed with
 * `btfparity check --pahole P` on each (2026-12-02):
 * - probe 40 (`_Atomic`): 1.24 encodes it; 1.30 exits 1 ("Error while
 *   encoding BTF.") and 1.32 exits 0 without writing the file ("error
 *   encoding atomic_type"): a left encode failure with both, not with 1.24;
 * - probe 07: gcc -gbtf writes VARs `last_err` and `neg_var`, pahole only
 *   per-CPU ones (without --btf_features=global_var, which the pahole
 *   recipe never passes) with every version: known by
 *   `pahole-vars-percpu-only` with all three;
 * - probe 35: `func ext_call` refused by the kernel's verifier on the
 *   right ("Invalid arg#1") whatever the pahole: one class in all three.
 * Needs the trixie and sid roots; skipped with the reason when absent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, type TestContext, test } from 'vitest';
import type { Matrix, MatrixRow } from '../src/report/matrix.js';
import { readRoot, rootsDir } from '../src/toolchain/roots.js';
import { ensureBuilt, PROBES, runCliAsync } from './helpers/cli.js';

const missing = ['trixie', 'sid'].filter((r) => !readRoot(r, rootsDir()));
const work = mkdtempSync(join(tmpdir(), 'btfparity-test-matrix-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function needRoots(ctx: TestContext): void {
  if (missing.length === 0) return;
  process.stderr.write(`toolchain-matrix: skipped, no toolchain root ${missing.join(', ')} in ${rootsDir()} (make it with: scripts/setup --toolchains)\n`);
  ctx.skip();
}

const PAIRS = {
  pairs: [
    { name: 'pahole-1.24', left: { recipe: 'pahole', pahole: 'pahole' }, right: { recipe: 'gcc-btf' } },
    { name: 'pahole-1.30', left: { recipe: 'pahole', pahole: 'trixie:pahole' }, right: { recipe: 'gcc-btf' } },
    { name: 'pahole-1.32', left: { recipe: 'pahole', pahole: 'sid:pahole' }, right: { recipe: 'gcc-btf' } },
  ],
};
const SRCS = ['40-atomic.c', '07-enum-negative.c', '35-funcs-linkage.c'].map((p) => join(PROBES, p));

describe('matrix over three paholes', () => {
  test('classes that differ between pairs, and the pairs table with each pahole version', async (ctx) => {
    needRoots(ctx);
    ensureBuilt();
    const pairs = join(work, 'pairs.json');
    writeFileSync(pairs, JSON.stringify(PAIRS));
    const out = join(work, 'matrix.json');
    const r = await runCliAsync(['matrix', '--pairs', pairs, '--format', 'json', '--output', out, '-q', '-j', '2', '--no-cache', ...SRCS]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const m = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
    expect(m.pairs.map((p) => [p.name, p.toolchain.find((t) => t.role === 'pahole')?.version, p.summary.units, p.summary.failedUnits])).toEqual([
      ['pahole-1.24', 'v1.24', 3, 0],
      ['pahole-1.30', 'v1.30', 3, 1],
      ['pahole-1.32', 'v1.32', 3, 1],
    ]);
    const row = (key: string): MatrixRow => {
      const found = m.rows.find((x) => x.key === key);
      if (!found) throw new Error(`no class ${key} among ${m.rows.map((x) => x.key).join('; ')}`);
      return found;
    };
    // Units are named relative to the repository (the default --root).
    const failure = row('failure | left encode | corpus/probes/40-atomic.c');
    expect(failure.cells.map((c) => c.state)).toEqual(['absent', 'present', 'present']);
    expect([failure.first, failure.last]).toEqual(['pahole-1.30', 'pahole-1.32']);
    // Known with every pahole: with 1.24 probe 07's two and probe 40's six (atomic_counter,
    // atomic_long_var, atomic_ptr, va_uint, ca_short, rc_var); with 1.30/1.32 probe 07's two, probe 40 failed.
    expect(m.rows.some((x) => x.key === 'unexplained | only-right | var')).toBe(false);
    expect(row('known | only-right | pahole-vars-percpu-only').cells).toEqual([
      { state: 'present', count: 8, units: 2, failed: 0 },
      { state: 'present', count: 2, units: 1, failed: 1 },
      { state: 'present', count: 2, units: 1, failed: 1 },
    ]);
    expect(row('unexplained | rejected | func: n/a → kernel refuses: Invalid arg#1').cells.map((c) => c.state)).toEqual(['present', 'present', 'present']);
  });

  test('markdown and html name the same cells (the second run from the cache of the first)', async (ctx) => {
    needRoots(ctx);
    ensureBuilt();
    const pairs = join(work, 'pairs2.json');
    writeFileSync(pairs, JSON.stringify({ pairs: PAIRS.pairs.slice(0, 2) }));
    const cache = join(work, 'cache');
    const md = await runCliAsync(['matrix', '--pairs', pairs, '-q', '--cache-dir', cache, SRCS[0]]);
    expect([md.status, md.stderr]).toEqual([0, '']);
    expect(md.stdout).toContain('| unit failed · left encode · corpus/probes/40-atomic.c | - | fails | `pahole-1.30` | `pahole-1.30` |');
    const html = await runCliAsync(['matrix', '--pairs', pairs, '-q', '--cache-dir', cache, '--format', 'html', SRCS[0]]);
    expect(html.status).toBe(0);
    expect(html.stdout).toContain('<td class="count present failure">fails</td>');
    expect(html.stdout).not.toMatch(/https?:\/\//);
  });

  test('a pair whose root is missing is exit 3 before any unit runs', async () => {
    ensureBuilt();
    const pairs = join(work, 'pairs3.json');
    writeFileSync(pairs, JSON.stringify({ pairs: [PAIRS.pairs[0], { ...PAIRS.pairs[1], left: { recipe: 'pahole', pahole: 'nosuchroot:pahole' } }] }));
    const r = await runCliAsync(['matrix', '--pairs', pairs, '-q', '--no-cache', ...SRCS]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^btfparity: pahole 'nosuchroot:pahole': no toolchain root 'nosuchroot' in .*\n$/);
  });
});
