/**
 * The package root as another program imports it (`import ... from
 * 'btfparity'`, resolved through package.json "exports" to dist/index.js):
 * the reader, the diff and the reports work without the CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, PROBES } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-lib-'));
let lib: typeof import('../src/index.js');

beforeAll(async () => {
  ensureBuilt();
  lib = (await import('btfparity' as string)) as typeof import('../src/index.js');
  const src = join(PROBES, '05-floats.c');
  execFileSync('gcc', ['-g', '-gbtf', '-c', src, '-o', join(work, 'p.o')]);
  execFileSync('pahole', [`--btf_encode_detached=${join(work, 'p.btf')}`, join(work, 'p.o')]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('library API from the package root', () => {
  test('reads BTF exactly as bpftool prints it', () => {
    const btf = lib.loadBtf(readFileSync(join(work, 'p.o'))).blobs[0];
    expect(lib.dumpBpftool(btf)).toBe(execFileSync('bpftool', ['btf', 'dump', 'file', join(work, 'p.o')], { encoding: 'utf8' }));
  });

  test('diffs and classifies two avenues, and renders the same facts', () => {
    const left = lib.loadBtf(readFileSync(join(work, 'p.btf'))).blobs[0];
    const right = lib.loadBtf(readFileSync(join(work, 'p.o'))).blobs[0];
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
});
