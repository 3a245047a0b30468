/**
 * The canonical form on real BTF from the committed fixtures, without any
 * toolchain: invariant under renumbering and duplication for every
 * fixture, equal across byte orders, and equal between the two avenues
 * where bpftool shows they hold the same types (41, 42). The vmlinux
 * variants of the same properties are in canonical.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { canonicalizeJoint } from '../src/canonical/graph.js';
import { canonicalize, dumpCanonical } from '../src/index.js';
import { AGREEING_PROBES } from './helpers/avenue-findings.js';
import { duplicateAll, renumber, seededPermutation } from './helpers/btf-transform.js';
import { fixtureBtf, oracleText, probeFixture, readableFixtures } from './helpers/fixtures.js';

const plain = readableFixtures().filter((f) => f.blobs === undefined && f.base === undefined);
const canonical = (btf: Parameters<typeof canonicalize>[0]) => dumpCanonical(canonicalize(btf));

describe('canonical form of every fixture', () => {
  it.each(plain.map((f) => [f.file]))('%s: same under renumbering and duplication; the joint classes follow the permutation', (file) => {
    const btf = fixtureBtf(file);
    const base = canonical(btf);
    // One line per class; a compiler's or pahole's output of one unit holds few duplicates.
    expect(base.split('\n').length - 1).toBeLessThanOrEqual(btf.types.length);
    for (const seed of [1, 42, 0x5eed]) {
      const perm = seededPermutation(btf.types.length, seed);
      const r = renumber(btf, perm);
      expect(canonical(r)).toBe(base);
      // renumber: old id i is new id perm[i - 1] + 1; the joint canonical classes must agree type by type.
      const [a, b] = canonicalizeJoint([btf, r]);
      for (const t of btf.types) expect(b.classOf[perm[t.id - 1] + 1], `${t.kind} '${t.name}' [${t.id}]`).toBe(a.classOf[t.id]);
    }
    expect(canonical(duplicateAll(btf))).toBe(base);
  });

  it('is ID-free: the renumbered copy is a different graph to bpftool (other ids), the same canonical text', () => {
    const file = probeFixture('30-recursive', 'gcc-btf');
    const btf = fixtureBtf(file);
    const r = renumber(btf, seededPermutation(btf.types.length, 7));
    expect(r.types.map((t) => t.kind)).not.toEqual(btf.types.map((t) => t.kind));
    expect(canonical(r)).toBe(canonical(btf));
    expect(canonical(btf)).toContain("STRUCT 'list'");
  });
});

describe('canonical form across avenues and byte orders', () => {
  it.each(AGREEING_PROBES)('%s: pahole and gcc -gbtf give the same canonical text', (probe) => {
    expect(canonical(fixtureBtf(probeFixture(probe, 'pahole')))).toBe(canonical(fixtureBtf(probeFixture(probe, 'gcc-btf'))));
  });

  it.each(['07-enum-negative', '09-enum64', '24-restrict', '35-funcs-linkage', '38-decl-tag', '39-type-tag'])(
    '%s: clang bpf and bpfeb give the same canonical text',
    (probe) => {
      expect(oracleText(probeFixture(probe, 'clang-bpfeb'))).toBe(oracleText(probeFixture(probe, 'clang-bpf')));
      expect(canonical(fixtureBtf(probeFixture(probe, 'clang-bpfeb')))).toBe(canonical(fixtureBtf(probeFixture(probe, 'clang-bpf'))));
    },
  );

  it('a gcc BTF and the same graph from another compiler differ where bpftool shows they do', () => {
    // 09-enum64: gcc 12 -gbtf has no ENUM64 (bpftool: ENUM 'big64' ...), clang writes ENUM64.
    expect(oracleText(probeFixture('09-enum64', 'gcc-btf'))).not.toContain('ENUM64');
    expect(oracleText(probeFixture('09-enum64', 'clang-bpf'))).toContain("ENUM64 'big64'");
    expect(canonical(fixtureBtf(probeFixture('09-enum64', 'gcc-btf')))).not.toBe(canonical(fixtureBtf(probeFixture('09-enum64', 'clang-bpf'))));
  });
});
