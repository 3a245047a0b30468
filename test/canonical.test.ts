import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { writeCanonical } from '../src/canonical/dump.js';
import { canonicalize, canonicalizeJoint, dumpCanonical } from '../src/canonical/graph.js';
import { duplicateAll, makeBtf, renumber, seededPermutation, type TypeSpec } from './helpers/btf-transform.js';

const INT: TypeSpec = { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
const m = (name: string, type: number, bitsOffset: number) => ({ name, type, bitsOffset, bitfieldSize: 0 }) as never;

/** struct list { struct list *next; int v; } — a self-cycle through a pointer. */
const selfRecursive = (): Btf =>
  makeBtf([{ kind: 'STRUCT', name: 'list', size: 16, kindFlag: false, members: [m('next', 2, 0), m('v', 3, 64)] }, { kind: 'PTR', name: '', type: 1 }, INT]);

/** struct a { struct b *b; }; struct b { struct a *a; struct a embedded; } — a two-struct cycle. */
const mutual = (): Btf =>
  makeBtf([
    { kind: 'STRUCT', name: 'a_side', size: 8, kindFlag: false, members: [m('b', 3, 0)] },
    { kind: 'STRUCT', name: 'b_side', size: 16, kindFlag: false, members: [m('a', 4, 0), m('embedded', 1, 64)] },
    { kind: 'PTR', name: '', type: 2 },
    { kind: 'PTR', name: '', type: 1 },
  ]);

const allPermutations = (n: number): number[][] =>
  n === 0 ? [[]] : allPermutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));

describe('canonical dump text', () => {
  // A name that is valid UTF-8 (é) and one byte that is not (0xff, held as U+DCFF: artifact/name-bytes.ts).
  const odd = () =>
    makeBtf([
      { kind: 'INT', name: 'int', size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
      { kind: 'STRUCT', name: 'caf\u00e9\udcff', size: 4, kindFlag: false, members: [m('\u00e9', 1, 0)] },
    ]);

  it('keeps non-ASCII names as they were decoded', () => {
    expect(dumpCanonical(canonicalize(odd()))).toBe(
      [
        "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
        "[2] STRUCT 'caf\u00e9\udcff' size=4 vlen=1 { '\u00e9' type_id=1 bits_offset=0 }",
        '',
      ].join('\n'),
    );
  });

  it('streams, with UTF-8 names, the bytes of the string encoded as UTF-8', () => {
    // The CLI's path (src/cli/dump.ts): a lone surrogate becomes U+FFFD, as writing the string did.
    const g = canonicalize(odd());
    const chunks: Buffer[] = [];
    writeCanonical(g, (c) => chunks.push(Buffer.from(c)), 'utf8');
    const bytes = Buffer.concat(chunks);
    expect(bytes.equals(Buffer.from(dumpCanonical(g), 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from('caf\u00e9\ufffd', 'utf8'))).toBe(true);
    // 'original' writes the bytes the name was decoded from: 0xff itself.
    const raw: Buffer[] = [];
    writeCanonical(g, (c) => raw.push(Buffer.from(c)), 'original');
    expect(Buffer.concat(raw).includes(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0xff, 0x27]))).toBe(true);
  });
});

describe('canonical form of cyclic graphs', () => {
  it('gives a self-recursive struct the same dump under every numbering', () => {
    const base = dumpCanonical(canonicalize(selfRecursive()));
    // Expected by reasoning: three classes, ordered by shape text (INT < PTR < STRUCT),
    // the pointer refers to the struct and the struct to the pointer and the int.
    expect(base).toBe(
      [
        "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
        "[2] PTR '(anon)' type_id=3",
        "[3] STRUCT 'list' size=16 vlen=2 { 'next' type_id=2 bits_offset=0; 'v' type_id=1 bits_offset=64 }",
        '',
      ].join('\n'),
    );
    for (const p of allPermutations(3)) expect(dumpCanonical(canonicalize(renumber(selfRecursive(), p)))).toBe(base);
  });

  it('keeps mutually recursive structs apart and stable under renumbering', () => {
    const g = canonicalize(mutual());
    // 4 types, all different: the two pointers differ because their targets do.
    expect(g.classes.length).toBe(4);
    const base = dumpCanonical(g);
    for (const p of allPermutations(4)) expect(dumpCanonical(canonicalize(renumber(mutual(), p)))).toBe(base);
  });

  it('merges duplicated cycles into the classes of the originals', () => {
    const dup = duplicateAll(mutual());
    expect(dup.types.length).toBe(8);
    expect(dumpCanonical(canonicalize(dup))).toBe(dumpCanonical(canonicalize(mutual())));
  });

  it('tells apart structs that differ only deep below equal shapes', () => {
    // Two chains `struct s { struct t *p; }` where the `t`s differ only in a member type
    // two pointer levels down: refinement must split the outer structs too.
    const g = canonicalize(
      makeBtf([
        INT, // 1
        { kind: 'INT', name: 'long', size: 8, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 64 }, // 2
        { kind: 'PTR', name: '', type: 1 }, // 3: int *
        { kind: 'PTR', name: '', type: 2 }, // 4: long *
        { kind: 'PTR', name: '', type: 3 }, // 5: int **
        { kind: 'PTR', name: '', type: 4 }, // 6: long **
        { kind: 'STRUCT', name: 's', size: 8, kindFlag: false, members: [m('p', 5, 0)] }, // 7
        { kind: 'STRUCT', name: 's', size: 8, kindFlag: false, members: [m('p', 6, 0)] }, // 8
      ]),
    );
    expect(g.classOf[7]).not.toBe(g.classOf[8]);
    expect(g.classOf[5]).not.toBe(g.classOf[6]);
  });

  it('never merges a FWD with the struct it declares', () => {
    const g = canonicalize(
      makeBtf([
        { kind: 'STRUCT', name: 'foo', size: 0, kindFlag: false, members: [] },
        { kind: 'FWD', name: 'foo', fwdKind: 'struct' },
      ]),
    );
    expect(g.classOf[1]).not.toBe(g.classOf[2]);
  });

  it('gives joint ids that agree across graphs', () => {
    const [a, b] = canonicalizeJoint([mutual(), renumber(mutual(), [3, 2, 1, 0])]);
    // Old id 1 (a_side) is new id 4.
    expect(a.classOf[1]).toBe(b.classOf[4]);
    expect(a.classOf[2]).toBe(b.classOf[3]);
  });
});

const VMLINUX = '/sys/kernel/btf/vmlinux';
const haveVmlinux = existsSync(VMLINUX);
if (!haveVmlinux) console.warn(`skipping vmlinux property tests: ${VMLINUX} not present`);

describe.skipIf(!haveVmlinux)('canonical form of the running kernel BTF', () => {
  const vmlinux = haveVmlinux ? loadBtf(readFileSync(VMLINUX)).blobs[0] : (undefined as never);
  const base = haveVmlinux ? dumpCanonical(canonicalize(vmlinux)) : '';

  it('is the same after random renumbering', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const r = renumber(vmlinux, seededPermutation(vmlinux.types.length, seed));
        expect(dumpCanonical(canonicalize(r)) === base).toBe(true);
      }),
      { numRuns: 2 },
    );
  });

  it('is the same after duplicating every type', () => {
    expect(dumpCanonical(canonicalize(duplicateAll(vmlinux))) === base).toBe(true);
  });

  it('has one line per type (vmlinux is deduplicated, so no two types are bisimilar)', () => {
    // pahole dedups vmlinux BTF; a duplicate would be a dedup failure, which bpftool would show.
    expect(base.split('\n').length - 1).toBe(vmlinux.types.length);
  });
});
