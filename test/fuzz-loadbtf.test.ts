/**
 * Fuzzing the pure reader: mutated real BTF blobs and ELF objects must
 * either load or fail with InputError — never another exception (a
 * RangeError from a DataView, a TypeError from an undefined lookup), never
 * a hang. Whatever loads must also render (both dumps).
 *
 * Seeds: a gcc -gbtf object (ELF + .BTF), a clang BPF object (ELF with
 * .BTF.ext, ENUM64), raw little- and big-endian blobs, a split blob over a
 * base, and a sample cut from vmlinux when present. Mutations: bit flips,
 * byte overwrites, truncations, and corruption of BTF header fields with
 * boundary values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBtf } from '../src/btf/decode.js';
import { references } from '../src/btf/validate.js';
import { dumpBpftool } from '../src/btf/dump-bpftool.js';
import { dumpJson } from '../src/btf/dump-json.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { InputError } from '../src/errors.js';
import { PROBES_DIR, VMLINUX, haveVmlinux, run, tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('fuzz');
afterAll(cleanup);

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
  const gccObj = join(dir, 'bits.o');
  run('gcc', ['-gbtf', '-c', join(PROBES_DIR, '11-bitfields-basic.c'), '-o', gccObj]);
  const clangObj = join(dir, 'e64.o');
  run('clang-16', ['--target=bpf', '-g', '-c', join(PROBES_DIR, '09-enum64.c'), '-o', clangObj]);
  for (const [name, path] of [
    ['gcc-elf', gccObj],
    ['clang-elf', clangObj],
  ]) {
    const bytes = new Uint8Array(readFileSync(path));
    seeds.push({ name, bytes, btfAt: loadBtf(bytes).blobOffsets[0] });
  }
  const probe = loadBtf(readFileSync(clangObj)).blobs[0];
  seeds.push({ name: 'raw-le', bytes: encodeBtf(probe), btfAt: 0 });
  seeds.push({ name: 'raw-be', bytes: encodeBtf(probe, { byteOrder: 'big' }), btfAt: 0 });
  const base = decodeBtf(encodeBtf({ types: probe.types.slice(0, 1) }));
  // Types 2.. refer to ids >= 1 only, so they are a valid split part over type 1.
  seeds.push({ name: 'split', bytes: encodeBtf({ types: probe.types.slice(1) }, { base }), base, btfAt: 0 });
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
    expect(runs).toBeGreaterThanOrEqual(2000 * 5);
    // Not vacuous: the mutants exercise both the accepting and the rejecting paths.
    expect(outcomes.loaded).toBeGreaterThan(runs / 20);
    expect(outcomes.rejected).toBeGreaterThan(runs / 20);
  });

  it('errors carry a location (offset or type id) for mutants that fail', () => {
    const seed = seeds.find((s) => s.name === 'raw-le')!;
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
