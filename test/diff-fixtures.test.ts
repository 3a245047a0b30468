/**
 * diffBtf between two committed avenues' blobs (test/fixtures/btf), without
 * any toolchain. The expected findings are the cases of
 * helpers/avenue-findings.ts, checked against bpftool dumps of both sides
 * and pinned on fresh compiles by diff-avenues.test.ts (toolchain): the
 * same lists must hold on the fixtures scripts/make-fixtures made with that
 * toolchain. Beyond those cases only oracle-free invariants are asserted
 * (renumbering, duplication, byte order and container change nothing).
 */
import { describe, expect, it } from 'vitest';
import { diffBtf, dumpCanonical, canonicalize, encodeBtf, decodeBtf } from '../src/index.js';
import { AGREEING_PROBES, AVENUE_CASES, expectAvenueCase, RENUMBERED_PROBES } from './helpers/avenue-findings.js';
import { duplicateAll, renumber, seededPermutation } from './helpers/btf-transform.js';
import { fixtureBtf, oracleText, probeFixture } from './helpers/fixtures.js';

const sides = (probe: string) => ({ pahole: fixtureBtf(probeFixture(probe, 'pahole')), gcc: fixtureBtf(probeFixture(probe, 'gcc-btf')) });

describe('diffBtf: pahole fixture (left) vs gcc -gbtf fixture (right)', () => {
  it.each(AVENUE_CASES.map((c) => [`${c.probe}: ${c.title}`, c] as const))('%s', (_, c) => {
    const { pahole, gcc } = sides(c.probe);
    expectAvenueCase(c, pahole, gcc);
  });

  it.each(AGREEING_PROBES)('%s: the avenues agree (no findings at all)', (probe) => {
    const { pahole, gcc } = sides(probe);
    // The committed bpftool dumps differ only in numbering: same lines once the ids are gone.
    const idFree = (file: string) => oracleText(file).replace(/\d+/g, 'N').split('\n').sort();
    expect(idFree(probeFixture(probe, 'pahole'))).toEqual(idFree(probeFixture(probe, 'gcc-btf')));
    expect(diffBtf(pahole, gcc)).toEqual([]);
    expect(diffBtf(gcc, pahole)).toEqual([]);
  });

  it.each(RENUMBERED_PROBES)('%s: nothing between an avenue and a renumbering or duplication of itself', (probe) => {
    const { pahole, gcc } = sides(probe);
    for (const btf of [pahole, gcc]) {
      for (const seed of [7, 0x5eed]) expect(diffBtf(btf, renumber(btf, seededPermutation(btf.types.length, seed)))).toEqual([]);
      expect(diffBtf(btf, duplicateAll(btf))).toEqual([]);
    }
  });
});

describe('diffBtf across byte orders and containers', () => {
  it.each(['07-enum-negative', '09-enum64', '24-restrict', '35-funcs-linkage', '38-decl-tag', '39-type-tag'])(
    '%s: clang bpf vs bpfeb objects (bpftool prints the same dump for both) give no findings',
    (probe) => {
      const le = probeFixture(probe, 'clang-bpf');
      const be = probeFixture(probe, 'clang-bpfeb');
      expect(oracleText(be)).toBe(oracleText(le));
      expect(diffBtf(fixtureBtf(le), fixtureBtf(be))).toEqual([]);
    },
  );

  it('a gcc -gbtf object against its .BTF re-encoded big-endian, and against its ELF32 copy: no findings', () => {
    const file = probeFixture('11-bitfields-basic', 'gcc-btf');
    const btf = fixtureBtf(file);
    expect(diffBtf(btf, decodeBtf(encodeBtf(btf, { byteOrder: 'big' })))).toEqual([]);
    expect(diffBtf(btf, fixtureBtf('11-bitfields-basic.gcc-btf.elf32.o'))).toEqual([]);
    expect(dumpCanonical(canonicalize(fixtureBtf('11-bitfields-basic.bpf-gcc-be.elf32.o')))).toBe(
      dumpCanonical(canonicalize(fixtureBtf('11-bitfields-basic.bpf-gcc-be.o'))),
    );
  });
});
