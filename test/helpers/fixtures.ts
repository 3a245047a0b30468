/**
 * The committed BTF fixtures (test/fixtures/btf, written by
 * scripts/make-fixtures with the real toolchain) and the fuzz seed corpus
 * (test/fixtures/fuzz-seeds). Reading them needs no toolchain; this is
 * what the pure tests use instead of compiling. Not a test file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Btf, type LoadedBtf, loadBtf } from '../../src/index.js';
import { ROOT } from './cli.js';

export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures', 'btf');
export const SEEDS_DIR = join(ROOT, 'test', 'fixtures', 'fuzz-seeds');

/** One toolchain step as the manifest records it ($ROOT, $OUT, $TMP stand for directories). */
export interface FixtureCommand {
  readonly cwd: string;
  readonly argv: readonly string[];
  readonly stdin?: string;
}

/** One entry of test/fixtures/btf/manifest.json. */
export interface Fixture {
  readonly file: string;
  readonly source: string;
  /** gcc-btf, pahole, clang-bpf, clang-bpfeb, bpf-gcc-be, or how a special fixture was made. */
  readonly avenue: string;
  readonly description?: string;
  readonly commands: readonly FixtureCommand[];
  readonly container: 'elf' | 'raw';
  readonly elfClass?: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  /** readelf -SW lists a .BTF.ext section. */
  readonly btfExt: boolean;
  /** The fixture is split BTF over this one. */
  readonly base?: string;
  readonly bytes: number;
  readonly sha256: string;
  /** bpftool's dump of the file, or null when bpftool refuses it (no usable .BTF). */
  readonly oracle: string | null;
  readonly oracleCommand?: readonly string[];
  readonly oracleSha256?: string;
  /** `bpftool -j` of the same file: the oracle of `dump --format bpftool-json`. */
  readonly jsonOracle?: string;
  readonly jsonOracleCommand?: readonly string[];
  readonly jsonOracleSha256?: string;
  /** A module with a distilled base (.BTF.base): bpftool's dump without -B, over the distilled base. */
  readonly distilledOracle?: string;
  readonly distilledOracleCommand?: readonly string[];
  readonly distilledOracleSha256?: string;
  /** Blob count of an archive, and each blob's oracle. */
  readonly blobs?: number;
  readonly blobOracles?: readonly string[];
}

export interface FixtureManifest {
  readonly generatedBy: string;
  readonly tools: Readonly<Record<string, string>>;
  readonly avenues: Readonly<Record<string, string>>;
  readonly fixtures: readonly Fixture[];
}

export interface Seed {
  readonly name: string;
  readonly from: string;
  readonly how: string;
  readonly base?: string;
  readonly bytes: number;
  readonly sha256: string;
}

let cached: FixtureManifest | undefined;
export function manifest(): FixtureManifest {
  cached ??= JSON.parse(readFileSync(join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as FixtureManifest;
  return cached;
}

export function fixture(file: string): Fixture {
  const f = manifest().fixtures.find((x) => x.file === file);
  if (!f) throw new Error(`no fixture ${file} in test/fixtures/btf/manifest.json`);
  return f;
}

/** Fixtures bpftool reads (every one but the deliberately broken containers). */
export function readableFixtures(): Fixture[] {
  return manifest().fixtures.filter((f) => f.oracle !== null);
}

/** The fixture of `probe` through `avenue`, e.g. ('09-enum64', 'clang-bpfeb') → 09-enum64.clang-bpfeb.o. */
export function probeFixture(probe: string, avenue: string): string {
  const f = manifest().fixtures.find((x) => x.source === `corpus/probes/${probe}.c` && x.avenue === avenue);
  if (!f) throw new Error(`no fixture for ${probe} through ${avenue}`);
  return f.file;
}

export function fixturePath(file: string): string {
  return join(FIXTURES_DIR, file);
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(file)));
}

/** The committed bpftool dump of a fixture. */
export function oracleText(file: string): string {
  const o = fixture(file).oracle;
  if (o === null) throw new Error(`${file} has no oracle`);
  return readFileSync(fixturePath(o), 'utf8');
}

/** A text file beside the fixtures (e.g. an archive's per-blob oracle). */
export function fixtureText(file: string): string {
  return readFileSync(fixturePath(file), 'utf8');
}

/** Load a fixture (over its base, when it is split BTF). */
export function loadFixture(file: string): LoadedBtf {
  const base = fixture(file).base;
  return loadBtf(fixtureBytes(file), { base: base ? loadFixture(base).blobs[0] : undefined });
}

/** The first (usually only) blob of a fixture. */
export function fixtureBtf(file: string): Btf {
  return loadFixture(file).blobs[0];
}

export function seeds(): Seed[] {
  return (JSON.parse(readFileSync(join(SEEDS_DIR, 'seeds.json'), 'utf8')) as { seeds: Seed[] }).seeds;
}

export function seedBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(SEEDS_DIR, name)));
}
