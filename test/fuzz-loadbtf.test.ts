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
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSymbols } from '../src/artifact/elf.js';
import { decodeBtf, references } from '../src/btf/decode.js';
import { bpftoolLine, dumpBpftool, writeBpftool } from '../src/btf/dump-bpftool.js';
import { dumpJson } from '../src/btf/dump-json.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { canonicalize, dumpCanonical } from '../src/canonical/graph.js';
import { InputError } from '../src/errors.js';
import { loadRulesFile } from '../src/findings/rules-file.js';
import { compareBtf } from '../src/pipeline/compare.js';
import { buildSummary, writeReport } from '../src/report/render.js';
import { REPORT_SCHEMA_VERSION } from '../src/report/run-result.js';
import { btfCase, DEFAULT_SETTINGS, extremeCases, FAMILIES, type GenCase, type GenSettings } from './helpers/btf-gen.js';
import { ROOT } from './helpers/cli.js';
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

/**
 * The structure-aware generator (test/helpers/btf-gen.ts): inputs that get
 * past the framing — cycles, long chains, huge vlen, DATASEC/VAR/FUNC
 * reference errors, raw type-header tweaks, split BTF, ELF section-table
 * attacks — through every library entry point a CLI command uses: loadBtf,
 * the bpftool and json dumps, the canonical form, the comparison (diff +
 * classification with the shipped rules and the ELF's symbols) and a
 * report writer. Then a sample through the CLI as a subprocess.
 *
 * Contract, per case: nothing but InputError escapes; at most
 * CASE_LIMIT_MS of wall time (BIG_CASE_LIMIT_MS for inputs of 64 KiB and
 * more: one case runs synchronously, so the limit is checked after it —
 * a real hang is caught by the test's own timeout); heap growth at most
 * MEMORY_FACTOR × the input size + MEMORY_SLACK (the heap high-water mark
 * sampled between the stages, against the heap before the case).
 */
const CASES = 20_000;
const CHUNK = 1_000;
const CASE_LIMIT_MS = 2_000;
const BIG_CASE_LIMIT_MS = 20_000;
const BIG = 64 * 1024;
const MEMORY_FACTOR = 64;
const MEMORY_SLACK = 32 * 1024 * 1024;
/**
 * TODO(issue 14 items 3 and 4): depth is capped far below what the format
 * allows (ids go to 2^31), because canonical/ is not linear in it. Found
 * with this generator (loaded 2-core machine):
 * - item 4: canonicalize refines the partition one round per level
 *   (rounds = chain length): 1000 / 2000 / 4000 anonymous PTR links take
 *   0.37 / 0.88 / 3.4 s  → chainCap 2_000;
 * - item 4: StructuralEquality (canonical/equiv.ts, from diff-pairing) on
 *   a chain of named typedefs: 2000 links 4.6 s, 5000 links 57 s, 20000
 *   links "RangeError: Map maximum size exceeded" (CLI exit 70)
 *   → typedefChainCap 300;
 * - item 3: renderCType (canonical/render.ts) recurses once per anonymous
 *   link: a VAR of a 20000-PTR chain is "Maximum call stack size exceeded"
 *   (CLI exit 70) → rootedChainCap 1_000;
 * - item 4: renderCType walks a DAG as a tree: a prototype that returns and
 *   takes pointers to the next prototype, 24 levels deep, never finishes
 *   (2^24+ paths; `diff` hangs) → fanOutRingCap 12 for rings through a
 *   FUNC_PROTO.
 * Raise all four to DEFAULT_SETTINGS once those are fixed.
 */
const GEN: GenSettings = { ...DEFAULT_SETTINGS, chainCap: 2_000, typedefChainCap: 300, rootedChainCap: 1_000, fanOutRingCap: 12 };

const PARTNER = decodeBtf(
  encodeBtf({
    types: [
      { kind: 'INT', id: 1, name: 'int', nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
      { kind: 'VAR', id: 2, name: 'v', nameOff: 0, type: 1, linkage: 'global' },
    ],
  }),
);
const RULES = loadRulesFile();
const FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;

interface Stats {
  cases: number;
  loaded: number;
  rejected: number;
  maxMs: number;
  maxMsCase: string;
  maxRatio: number;
  maxRatioCase: string;
  totalBytes: number;
  byFamily: Record<string, number>;
}

function newStats(): Stats {
  return { cases: 0, loaded: 0, rejected: 0, maxMs: 0, maxMsCase: '', maxRatio: 0, maxRatioCase: '', totalBytes: 0, byFamily: {} };
}

/** Everything a command does with a loaded input; returns the heap high-water mark seen between stages. */
function throughEveryEntryPoint(c: GenCase, index: number): number {
  let peak = process.memoryUsage().heapUsed;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const loaded = loadBtf(c.bytes, { base: c.base });
  sample();
  const symbols = loaded.elf ? readSymbols(loaded.elf) : undefined;
  for (const blob of loaded.blobs.slice(0, 2)) {
    // The streaming writer allocates a 1 MiB chunk per call: per line for small inputs (same writer).
    if (c.bytes.length >= BIG) writeBpftool(blob, () => {});
    else for (const t of blob.types) bpftoolLine(blob, t);
    dumpJson(blob);
    sample();
    dumpCanonical(canonicalize(blob));
    sample();
    // Against a small partner, or against itself (identical sides exercise pairing and equivalence).
    const other = index % 2 === 0 ? PARTNER : blob;
    const { findings, types } = compareBtf(blob, other, { leftRecipe: 'file', rightRecipe: 'file', tools: [], symbols, rules: RULES });
    sample();
    const units = [{ source: c.family, commands: [], findings, ...(types ? { types } : {}) }];
    const result = { schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: buildSummary(units) };
    writeReport(result, FORMATS[index % FORMATS.length], { verbose: true }, () => {});
    sample();
  }
  return peak;
}

/** One case under the contract; throws (with the case's family and note) when it is broken. */
function checkCase(c: GenCase, stats: Stats): void {
  const index = stats.cases++;
  stats.byFamily[c.family] = (stats.byFamily[c.family] ?? 0) + 1;
  stats.totalBytes += c.bytes.length;
  const label = `${c.family}: ${c.note} (${c.bytes.length} bytes)`;
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let peak = before;
  try {
    peak = throughEveryEntryPoint(c, index);
    stats.loaded++;
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    stats.rejected++;
  }
  const ms = performance.now() - t0;
  if (ms > stats.maxMs) [stats.maxMs, stats.maxMsCase] = [ms, label];
  const limit = c.bytes.length >= BIG ? BIG_CASE_LIMIT_MS : CASE_LIMIT_MS;
  if (ms > limit) throw new Error(`${label}: took ${Math.round(ms)} ms, over the per-case limit of ${limit} ms`);
  const grown = peak - before;
  if (c.bytes.length >= BIG && grown / c.bytes.length > stats.maxRatio) [stats.maxRatio, stats.maxRatioCase] = [grown / c.bytes.length, label];
  if (grown > MEMORY_FACTOR * c.bytes.length + MEMORY_SLACK) throw new Error(`${label}: heap grew by ${grown} bytes for ${c.bytes.length} bytes of input`);
}

function summary(what: string, stats: Stats, seconds: number): string {
  return (
    `${what}: ${stats.cases} cases in ${seconds.toFixed(1)} s (${stats.loaded} loaded, ${stats.rejected} rejected), ` +
    `${(stats.totalBytes / 1e6).toFixed(1)} MB of input; slowest ${Math.round(stats.maxMs)} ms (${stats.maxMsCase}); ` +
    `max heap growth ${stats.maxRatio.toFixed(1)}x the input (${stats.maxRatioCase}); by family ${JSON.stringify(stats.byFamily)}`
  );
}

describe('fuzz: structure-aware generator', () => {
  // Chunks of CHUNK cases, each its own fast-check run (seed 0x14ad + chunk), with the event loop
  // let run in between: one synchronous stretch of a minute starves vitest's worker RPC.
  it(`${CASES} generated cases through every library entry point: only InputError, bounded time and memory`, { timeout: 600_000 }, async () => {
    const stats = newStats();
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    for (let chunk = 0; chunk * CHUNK < CASES; chunk++) {
      fc.assert(
        fc.property(btfCase(GEN), (c) => checkCase(c, stats)),
        { numRuns: Math.min(CHUNK, CASES - chunk * CHUNK), seed: 0x14ad + chunk, endOnFailure: true },
      );
      await new Promise((r) => setImmediate(r));
    }
    const cpu = process.cpuUsage(cpu0);
    console.log(`${summary('structure-aware fuzz', stats, (Date.now() - started) / 1000)}; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU`);
    expect(stats.cases).toBeGreaterThanOrEqual(CASES);
    // Not vacuous: both paths taken, every family drawn.
    expect(stats.loaded).toBeGreaterThan(CASES / 10);
    expect(stats.rejected).toBeGreaterThan(CASES / 10);
    for (const f of FAMILIES) expect(stats.byFamily[f] ?? 0, f).toBeGreaterThan(0);
  });

  it('the extremes: vlen 65535 of every kind, and chains at the cap of every pattern', { timeout: 300_000 }, () => {
    const stats = newStats();
    const started = Date.now();
    for (const c of extremeCases(GEN)) checkCase(c, stats);
    console.log(summary('extremes', stats, (Date.now() - started) / 1000));
    expect(stats.loaded).toBe(stats.cases);
  });

  it('a sample through the CLI: exit 0, 1 or 2 only, one stderr line on 2, no hang (20 s each), bounded RSS', { timeout: 600_000 }, () => {
    const cases = fc.sample(btfCase({ ...GEN, weights: { ...GEN.weights, split: 0 } }), { numRuns: 30, seed: 0xc11 });
    const partner = join(dir, 'partner.btf');
    writeFileSync(partner, encodeBtf(PARTNER));
    let maxRss = 0;
    for (const [i, c] of cases.entries()) {
      const f = join(dir, `cli-case-${i}.bin`);
      writeFileSync(f, c.bytes);
      const args =
        i % 3 === 0 ? ['diff', '--format', FORMATS[i % FORMATS.length], f, partner] : ['dump', '--format', ['bpftool', 'json', 'canonical'][i % 3], f];
      const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, join(ROOT, 'dist', 'cli.js'), ...args], {
        encoding: 'utf8',
        timeout: 20_000,
        maxBuffer: 1 << 28,
      });
      const rss = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) * 1024;
      maxRss = Math.max(maxRss, rss);
      // GNU time adds its own lines: the RSS, and "Command exited with non-zero status N".
      const stderr = r.stderr.replace(/^maxrss=\d+\n?/m, '').replace(/^Command exited with non-zero status \d+\n?/m, '');
      const label = `${c.family}: ${c.note}: btfparity ${args.join(' ')}`;
      expect([0, 1, 2], `${label}: status ${r.status} signal ${r.signal} ${stderr}`).toContain(r.status);
      if (r.status === 2)
        expect(
          stderr.split('\n').filter((l) => l !== ''),
          label,
        ).toHaveLength(1);
      expect(stderr, label).not.toMatch(/internal error/);
      expect(rss, label).toBeLessThan(256 * 1024 * 1024 + MEMORY_FACTOR * c.bytes.length);
    }
    console.log(`CLI sample: ${cases.length} cases, max RSS ${(maxRss / 1e6).toFixed(0)} MB`);
  });
});
