/**
 * Fuzzing the pure reader: mutated real BTF blobs and ELF objects must
 * either load or fail with InputError — never another exception (a
 * RangeError from a DataView, a TypeError from an undefined lookup), never
 * a hang. Whatever loads must also render (both dumps).
 *
 * Seeds: the committed corpus test/fixtures/fuzz-seeds (written by
 * scripts/make-fixtures from real compiles: gcc -gbtf, clang bpf and bpfeb
 * and ELF32 objects, an ld -r archive, raw little- and big-endian .BTF
 * sections, pahole output, a split blob over its base), plus a sample cut
 * from vmlinux when present. Needs no toolchain. Mutations: bit flips,
 * byte overwrites, truncations, and corruption of BTF header fields with
 * boundary values.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { references } from '../src/btf/validate.js';
import { dumpBpftool } from '../src/btf/dump-bpftool.js';
import { dumpJson } from '../src/btf/dump-json.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { InputError } from '../src/errors.js';
import { seedBytes, seeds as committedSeeds } from './helpers/fixtures.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const haveVmlinux = (): boolean => existsSync(VMLINUX);

interface Seed {
  name: string;
  bytes: Uint8Array;
  base?: Btf;
  /** Where the BTF header starts (0 for raw blobs; the .BTF offset in ELFs). */
  btfAt: number;
}
const seeds: Seed[] = [];

/**
 * A slice of vmlinux small enough to fuzz: the longest prefix of at most
 * `max` types that refers only to itself (one linear scan), as a raw blob.
 */
function vmlinuxSample(max: number): Uint8Array {
  const all = loadBtf(readFileSync(VMLINUX)).blobs[0];
  let maxRef = 0;
  let k = 0;
  for (let i = 0; i < Math.min(max, all.types.length); i++) {
    for (const [r] of references(all.types[i])) maxRef = Math.max(maxRef, r);
    if (maxRef <= i + 1) k = i + 1;
  }
  expect(k).toBeGreaterThan(10);
  return encodeBtf({ types: all.types.slice(0, k) });
}

beforeAll(() => {
  const committed = committedSeeds();
  for (const s of committed) {
    const bytes = seedBytes(s.name);
    const base = s.base ? loadBtf(seedBytes(s.base)).blobs[0] : undefined;
    seeds.push({ name: s.name, bytes, base, btfAt: loadBtf(bytes, { base }).blobOffsets[0] });
  }
  // Both byte orders, ELF and raw, split: the corpus must keep the shapes the mutations are aimed at.
  expect(committed.map((s) => s.name)).toEqual(expect.arrayContaining(['elf-gcc-btf.o', 'elf-clang-bpfeb.o', 'raw-le.btf', 'raw-be.btf', 'split.btf']));
  if (haveVmlinux()) seeds.push({ name: 'vmlinux-sample', bytes: vmlinuxSample(400), btfAt: 0 });
  for (const s of seeds) expect(() => loadBtf(s.bytes, { base: s.base }), s.name).not.toThrow();
});

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'header'; field: number; value: number };

const INTERESTING = [0, 1, 3, 4, 12, 23, 24, 25, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('header' as const),
      // hdr_len, type_off, type_len, str_off, str_len (u32 fields at 4..20)
      field: fc.integer({ min: 0, max: 4 }),
      value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat()),
    }),
  },
);

/** Apply mutations; positions wrap to the input, and favour the BTF region. */
function mutate(seed: Seed, muts: readonly Mutation[]): Uint8Array {
  let b = new Uint8Array(seed.bytes);
  const btfLen = seed.bytes.length - seed.btfAt;
  for (const m of muts) {
    if (b.length === 0) break;
    switch (m.op) {
      case 'flip': {
        const at = m.at % 2 === 0 ? seed.btfAt + ((m.at >> 1) % btfLen) : (m.at >> 1) % b.length;
        if (at < b.length) b[at] ^= 1 << m.bit;
        break;
      }
      case 'byte': {
        const at = m.at % 2 === 0 ? seed.btfAt + ((m.at >> 1) % btfLen) : (m.at >> 1) % b.length;
        if (at < b.length) b[at] = m.value;
        break;
      }
      case 'truncate':
        b = b.subarray(0, m.at % b.length);
        break;
      case 'header': {
        const at = seed.btfAt + 4 + 4 * m.field;
        if (at + 4 <= b.length) {
          const big = b[seed.btfAt] === 0xeb;
          new DataView(b.buffer, b.byteOffset).setUint32(at, m.value >>> 0, !big);
        }
        break;
      }
    }
  }
  return b;
}

const outcomes = { loaded: 0, rejected: 0 };

/** Load and render; returns the error if it is not an InputError. */
function exercise(bytes: Uint8Array, base?: Btf): unknown {
  try {
    const loaded = loadBtf(bytes, { base });
    for (const blob of loaded.blobs) {
      dumpBpftool(blob);
      dumpJson(blob);
    }
    outcomes.loaded++;
    return undefined;
  } catch (e) {
    if (!(e instanceof InputError)) return e;
    outcomes.rejected++;
    return undefined;
  }
}

describe('fuzz: loadBtf on mutated real inputs', () => {
  it('throws nothing but InputError, for thousands of mutants of every seed', () => {
    let runs = 0;
    for (const seed of seeds) {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
          runs++;
          const err = exercise(mutate(seed, muts), seed.base);
          if (err) throw new Error(`${seed.name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
        }),
        { numRuns: 2000, seed: 0x5eed + seeds.indexOf(seed) },
      );
    }
    expect(runs).toBeGreaterThanOrEqual(2000 * 10);
    // Not vacuous: the mutants exercise both the accepting and the rejecting paths.
    expect(outcomes.loaded).toBeGreaterThan(runs / 20);
    expect(outcomes.rejected).toBeGreaterThan(runs / 20);
  });

  it('errors carry a location (offset or type id) for mutants that fail', () => {
    const seed = seeds.find((s) => s.name === 'raw-le.btf')!;
    let located = 0;
    let failed = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (muts) => {
        try {
          loadBtf(mutate(seed, muts));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          failed++;
          if (e.where.offset !== undefined || e.where.typeId !== undefined) located++;
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
    expect(failed).toBeGreaterThan(100);
    expect(located).toBe(failed);
  });
});
