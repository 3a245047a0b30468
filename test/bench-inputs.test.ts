/**
 * The inputs scripts/bench's vmdiff section makes: scripts/subset-btf (a
 * self-contained part of a graph) and scripts/renumber-btf --mutate (a
 * renumbered copy with K real differences). Built in memory, no toolchain;
 * the scripts run on dist/ (npx tsc -p tsconfig.json first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { diffBtf } from '../src/findings/diff.js';
import { ROOT } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, args: string[]): void => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', name), ...args], { stdio: 'pipe' });
};
const read = (file: string): Btf => loadBtf(readFileSync(file)).blobs[0];

/**
 * [1] int, [2..21] PTR to [22..41], [22..41] struct s22..s41 { int a; }: every
 * pointer refers forward, so a prefix of the ids is not self-contained.
 */
function graph(): BtfType[] {
  const types: BtfType[] = [
    { kind: 'INT', id: 1, name: 'int', nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
  ];
  for (let id = 2; id <= 21; id++) types.push({ kind: 'PTR', id, name: '', nameOff: 0, type: id + 20 });
  for (let id = 22; id <= 41; id++) {
    types.push({
      kind: 'STRUCT',
      id,
      name: `s${id}`,
      nameOff: 0,
      size: 4,
      kindFlag: false,
      members: [{ name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 }],
    });
  }
  return types;
}

const input = join(dir, 'in.btf');
writeFileSync(input, encodeBtf({ types: graph() }));

describe('scripts/subset-btf', () => {
  it('keeps the first F of the ids and what they reach, in order, renumbered 1..k', () => {
    script('subset-btf', [input, join(dir, 'q.btf'), '--fraction', '0.25']);
    const q = read(join(dir, 'q.btf'));
    // ceil(0.25 x 41) = 11: int and the PTRs 2..11, which reach s22..s31: 21 types.
    expect(q.types.length).toBe(21);
    expect(q.types.slice(0, 11).map((t) => t.kind)).toEqual(['INT', ...Array<string>(10).fill('PTR')]);
    expect(q.types.slice(11).map((t) => t.name)).toEqual(Array.from({ length: 10 }, (_, i) => `s${22 + i}`));
    // PTR k pointed at k + 20, which is now 11 + (k + 20 - 21) = k + 10.
    expect(q.types.slice(1, 11).map((t) => (t.kind === 'PTR' ? t.type - t.id : -1))).toEqual(Array<number>(10).fill(10));
  });

  it('keeps the whole graph at fraction 1 (the same types up to numbering)', () => {
    script('subset-btf', [input, join(dir, 'all.btf'), '--fraction', '1']);
    const all = read(join(dir, 'all.btf'));
    expect(all.types.length).toBe(41);
    expect(diffBtf(read(input), all)).toEqual([]);
  });
});

describe('scripts/renumber-btf --mutate', () => {
  it('renames the first named member of K distinct structs: K members findings, nothing else', () => {
    script('renumber-btf', [input, join(dir, 'm1.btf'), '--seed', '3', '--mutate', '4']);
    const fs = diffBtf(read(input), read(join(dir, 'm1.btf')));
    expect(fs.map((f) => [f.category, f.path, f.left, f.right])).toEqual(Array(4).fill(['members', 'a', 'int a', 'int a_mutated']));
    expect(new Set(fs.map((f) => f.entity)).size).toBe(4);
  });

  it('is deterministic per seed', () => {
    script('renumber-btf', [input, join(dir, 'm2.btf'), '--seed', '3', '--mutate', '4']);
    script('renumber-btf', [input, join(dir, 'm3.btf'), '--seed', '4', '--mutate', '4']);
    expect(readFileSync(join(dir, 'm2.btf'))).toEqual(readFileSync(join(dir, 'm1.btf')));
    expect(readFileSync(join(dir, 'm3.btf'))).not.toEqual(readFileSync(join(dir, 'm1.btf')));
  });

  it('refuses more mutations than there are named structs with a named member (exit 2)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'renumber-btf'), input, join(dir, 'x.btf'), '--mutate', '21'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('only 20 named structs with a named member');
  });
});

describe('scripts/bench itself', () => {
  // Its module top resolves which build to measure; a broken default (no BENCH_CLI) failed there, before any section.
  it('loads and prints its usage, with BENCH_CLI unset and set', () => {
    const { BENCH_CLI: _unset, ...env } = process.env;
    for (const e of [env, { ...env, BENCH_CLI: join(ROOT, 'dist', 'cli.js') }]) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench'), '--help'], { encoding: 'utf8', env: e });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/^usage: scripts\/bench \[dump\|startup\|/);
    }
  });
});
