/**
 * diffBtf on real BTF from both avenues, built here with the installed
 * toolchain: (A) `gcc -g -c` + `pahole --btf_encode_detached`, (B)
 * `gcc -gbtf -c`. Each expected finding was checked against
 * `bpftool btf dump file` of both sides (gcc 12.2, pahole 1.24); the
 * cases (in helpers/avenue-findings.ts) say what the dumps show.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { canonicalize, dumpCanonical } from '../src/canonical/graph.js';
import { diffBtf } from '../src/findings/diff.js';
import { AGREEING_PROBES, AVENUE_CASES, expectAvenueCase, RENUMBERED_PROBES } from './helpers/avenue-findings.js';
import { renumber, seededPermutation } from './helpers/btf-transform.js';

const PROBES = join(import.meta.dirname, '..', 'corpus', 'probes');
const have = (tool: string): boolean => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const toolchain = have('gcc') && have('pahole');
if (!toolchain) console.warn('skipping avenue diff tests: gcc or pahole not installed');

const dir = mkdtempSync(join(tmpdir(), 'btfparity-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Both avenues' BTF for one probe. */
function avenues(probe: string): { pahole: Btf; gcc: Btf } {
  const src = join(PROBES, `${probe}.c`);
  const dwarf = join(dir, `${probe}.dwarf.o`);
  const detached = join(dir, `${probe}.pahole.btf`);
  const gccObj = join(dir, `${probe}.gcc-btf.o`);
  execFileSync('gcc', ['-g', '-c', src, '-o', dwarf]);
  execFileSync('pahole', [`--btf_encode_detached=${detached}`, dwarf]);
  execFileSync('gcc', ['-gbtf', '-c', src, '-o', gccObj]);
  return { pahole: loadBtf(readFileSync(detached)).blobs[0], gcc: loadBtf(readFileSync(gccObj)).blobs[0] };
}

describe.skipIf(!toolchain)('diffBtf: pahole avenue (left) vs gcc -gbtf (right)', () => {
  // The expected lists live in helpers/avenue-findings.ts, shared with the
  // pure twin diff-fixtures.test.ts (same cases on the committed fixtures).
  it.each(AVENUE_CASES.map((c) => [`${c.probe}: ${c.title}`, c] as const))('%s', (_, c) => {
    const { pahole, gcc } = avenues(c.probe);
    expectAvenueCase(c, pahole, gcc);
  });

  it.each(AGREEING_PROBES)('%s: the avenues agree (no findings at all)', (probe) => {
    const { pahole, gcc } = avenues(probe);
    expect(diffBtf(pahole, gcc)).toEqual([]);
    expect(dumpCanonical(canonicalize(pahole))).toBe(dumpCanonical(canonicalize(gcc)));
  });

  it('finds nothing between an avenue and a renumbering of itself', () => {
    for (const probe of RENUMBERED_PROBES) {
      const { pahole, gcc } = avenues(probe);
      for (const btf of [pahole, gcc]) {
        const r = renumber(btf, seededPermutation(btf.types.length, 7));
        expect(diffBtf(btf, r)).toEqual([]);
        expect(dumpCanonical(canonicalize(r))).toBe(dumpCanonical(canonicalize(btf)));
      }
    }
  });
});
