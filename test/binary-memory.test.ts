/**
 * Memory of a whole-binary comparison (issue 11, "Scale"): what the
 * comparison holds is bounded by the deduplicated BTF, not by the blobs
 * fed in. A child node (`--expose-gc`, dist/ only) runs the steps of
 * `btfparity binary` after the tools (pipeline/binary.ts readLinked: the
 * linked object and every object's blob into the origin index, then
 * compareBinary) on synthetic objects written here, and reports the heap
 * retained once they are done (after a full GC, with the left and right
 * graphs, the origin index and the comparison still held). No wall-clock.
 *
 * The objects: N identical ELF objects whose `.BTF` is one blob of K
 * structs (each `struct s_i { int a; struct s_{i+1} *next; }` and its PTR:
 * 2K + 1 types), the linked object's `.BTF` their concatenation (what GNU ld
 * makes), and the "dedup" of it the one blob (libbpf's dedup of identical
 * blobs leaves the types of one). The left side is the same graph with
 * `s_0` one byte larger, so the comparison has findings to keep.
 *
 * Pure: node on dist/ (built by the global setup), no toolchain.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import { buildElf } from './helpers/elf-build.js';
import { ROOT } from './helpers/cli.js';
import { makeBtf, type TypeSpec } from './helpers/btf-transform.js';

const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };

/** int, then per i: STRUCT s_i (id 2 + 2i) and PTR to it (id 3 + 2i); s_i.next points at s_{i+1}'s PTR. */
function chainBlob(k: number, firstSize: number): Uint8Array {
  const types: TypeSpec[] = [INT];
  for (let i = 0; i < k; i++) {
    const nextPtr = 3 + 2 * ((i + 1) % k);
    const member = (name: string, type: number, bitsOffset: number) => ({ name, type, bitsOffset, bitfieldSize: 0 });
    types.push({
      kind: 'STRUCT',
      name: `s_${i}`,
      size: i === 0 ? firstSize : 16,
      kindFlag: false,
      members: [member('a', 1, 0), member('next', nextPtr, 64)],
    } as TypeSpec);
    types.push({ kind: 'PTR', name: '', type: 2 + 2 * i } as TypeSpec);
  }
  return encodeBtf(makeBtf(types));
}

const CHILD = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [dist, dir, n] = process.argv.slice(1);
const { loadBtf } = await import(join(dist, 'btf/load.js'));
const { readLinked } = await import(join(dist, 'pipeline/binary.js'));
const { compareBinary } = await import(join(dist, 'pipeline/binary-compare.js'));
const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
const before = heap();
const left = loadBtf(readFileSync(join(dir, 'left.btf'))).blobs[0];
const right = loadBtf(readFileSync(join(dir, 'right.btf'))).blobs[0];
const objects = Array.from({ length: Number(n) }, (_, i) => ({ path: join(dir, 'u' + i + '.o'), source: 'u' + i + '.c' }));
const { origins, symbols, linker } = readLinked(join(dir, 'linked.o'), right, objects);
const cmp = compareBinary(left, right, origins, { leftRecipe: 'pahole', rightRecipe: 'gcc-btf', tools: [], symbols, rules: [] });
const retained = heap() - before;
process.stdout.write(JSON.stringify({ retained, linker, findings: cmp.findings.length, owners: origins.objectsOf(2).length, keep: [left.types.length, right.types.length] }));
`;

const work = mkdtempSync(join(tmpdir(), 'btfparity-memory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Measure {
  retained: number;
  linker: { kind: string; blobs?: number };
  findings: number;
  owners: number;
}

function measure(k: number, n: number): Measure {
  const dir = join(work, `k${k}-n${n}`);
  mkdirSync(dir);
  const blob = chainBlob(k, 16);
  writeFileSync(join(dir, 'left.btf'), chainBlob(k, 17));
  writeFileSync(join(dir, 'right.btf'), blob);
  const object = buildElf({ sections: [{ name: '.BTF', data: blob }] });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `u${i}.o`), object);
  const linked = new Uint8Array(blob.length * n);
  for (let i = 0; i < n; i++) linked.set(blob, i * blob.length);
  writeFileSync(join(dir, 'linked.o'), buildElf({ sections: [{ name: '.BTF', data: linked }] }));
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, join(ROOT, 'dist'), dir, String(n)], { encoding: 'utf8' });
  return JSON.parse(out) as Measure;
}

describe('binary comparison memory', () => {
  const K = 4000;
  const TYPES = 2 * K + 1;
  const one = measure(K, 1);
  const many = measure(K, 48);
  const big = measure(4 * K, 1);

  it('reads the synthetic binary as built: a concatenation of N blobs, every object owning each record', () => {
    expect(one.linker).toEqual({ kind: 'concatenation', blobs: 1 });
    expect(many.linker).toEqual({ kind: 'concatenation', blobs: 48 });
    expect(many.owners).toBe(48); // struct s_0 (id 2): one record, in every object
    // struct s_0's size differs (16 vs 17), reported once at s_0; its PTR and the structs reaching it only refer to it.
    expect(one.findings).toBe(1);
    expect(many.findings).toBe(1);
  });

  it('does not hold the blobs fed in: 47 more identical objects add a few bytes per record, not a decoded type', () => {
    // What the origin index must keep per object record: its object's index in the owners list
    // of the record it went into (8 bytes, a packed small-integer array element, up to twice that
    // while the list has room to grow) and the object's name and defined functions (one string and
    // one empty Set per object). A decoded type is an object of 5-10 fields plus, for a struct, an
    // array of member objects: over 100 bytes. 48 bytes per record tells the two apart.
    const perRecord = (many.retained - one.retained) / (47 * TYPES);
    expect(perRecord).toBeLessThan(48);
  });

  it('holds the deduplicated graph within a few hundred bytes per type', () => {
    // Per type retained: the decoded right and left records (~100-250 bytes each, a struct with its
    // two member objects), the index's adjacency (typed arrays, 4 bytes per reference), the origin
    // index's owner list (~40 bytes a record: a Map entry and a one-element array), the diff's equality
    // memo (typed arrays per left id). Summed: well under 1,500 bytes; 4 KB per type is what the
    // 555-object run measured per deduplicated type before (docs/KERNEL.md, "Scale").
    const perType = (big.retained - one.retained) / (3 * K * 2);
    expect(perType).toBeGreaterThan(0);
    expect(perType).toBeLessThan(1500);
  });
});
