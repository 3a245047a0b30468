/**
 * The package root as another program imports it (`import ... from
 * 'btfparity'`, resolved through package.json "exports" to dist/index.js):
 * the reader, the diff and the reports work without the CLI. Inputs are
 * the committed probe-05 fixtures of both avenues (test/fixtures/btf) and
 * their bpftool dumps; no toolchain.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt } from './helpers/cli.js';
import { fixturePath, oracleText, probeFixture } from './helpers/fixtures.js';

let lib: typeof import('../src/index.js');
const gccObj = probeFixture('05-floats', 'gcc-btf');
const paholeBtf = probeFixture('05-floats', 'pahole');

beforeAll(async () => {
  ensureBuilt();
  lib = (await import('btfparity' as string)) as typeof import('../src/index.js');
});

describe('library API from the package root', () => {
  test('reads BTF exactly as bpftool prints it', () => {
    const btf = lib.loadBtf(readFileSync(fixturePath(gccObj))).blobs[0];
    expect(lib.dumpBpftool(btf)).toBe(oracleText(gccObj));
  });

  test('diffs and classifies two avenues, and renders the same facts', () => {
    const left = lib.loadBtf(readFileSync(fixturePath(paholeBtf))).blobs[0];
    const right = lib.loadBtf(readFileSync(fixturePath(gccObj))).blobs[0];
    const findings = lib.diffBtf(left, right);
    // pahole 1.24 writes double as INT without --btf_gen_floats; gcc -gbtf writes FLOAT (bpftool dumps of both).
    const dbl = findings.find((f) => f.entity === 'double' && f.category === 'kind');
    expect(dbl).toMatchObject({ left: "INT 'double' size=8 (none)", right: "FLOAT 'double' size=8" });
    const classified = lib.classifyFindings(findings, { leftRecipe: 'pahole', rightRecipe: 'gcc-btf', tools: [] });
    const units = [{ source: 'p.c', commands: [], findings: classified }];
    const json = lib.renderReport({ schemaVersion: lib.REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: lib.buildSummary(units) }, 'json');
    expect(JSON.parse(json).units[0].findings.some((f: { entity: string }) => f.entity === 'double')).toBe(true);
    expect(lib.diffBtf(right, right)).toEqual([]);
  });

  test('tabulates runs of several pairs as a matrix', () => {
    // Two pairs over one unit that fails its left encode with the second only: one failure row, absent then present.
    const units = (error: boolean) => [
      { source: 'a.c', commands: [], findings: [], ...(error ? { error: { step: 'left encode (sid:pahole)', message: 'x' } } : {}) },
    ];
    const run = (error: boolean) => ({
      schemaVersion: lib.REPORT_SCHEMA_VERSION,
      toolchain: [],
      recipes: [],
      units: units(error),
      summary: lib.buildSummary(units(error)),
    });
    const m = lib.buildMatrix([
      { name: 'old', result: run(false) },
      { name: 'new', result: run(true) },
    ]);
    expect(m.rows.map((r) => [r.key, r.cells.map((c) => c.state), r.first, r.last])).toEqual([
      ['failure | left encode | a.c', ['absent', 'present'], 'new', 'new'],
    ]);
    expect(lib.renderMatrix(m, 'markdown')).toContain('| unit failed · left encode · a.c | - | fails | `new` | `new` |');
  });
});
