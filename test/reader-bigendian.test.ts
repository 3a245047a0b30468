/**
 * Big-endian inputs: BTF from compilers targeting big-endian BPF, and an
 * ELF32 big-endian container. Expected values are written down from the
 * probe sources (reasoning in comments), and where bpftool reads the file
 * (libbpf byte-swaps non-native BTF with a 24-byte header) the whole dump
 * is compared too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpBpftool } from '../src/btf/dump-bpftool.js';
import { loadBtf } from '../src/btf/load.js';
import type { BtfComposite, BtfEnum } from '../src/btf/types.js';
import { PROBES } from './helpers/cli.js';
import { bpftoolDump, run, tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('bigendian');
afterAll(cleanup);

const probe = (n: string) => join(PROBES, `${n}.c`);

function byName<K extends string>(types: readonly { name: string; kind: string }[], kind: K, name: string) {
  const t = types.find((x) => x.kind === kind && x.name === name);
  expect(t, `${kind} ${name}`).toBeDefined();
  return t!;
}

describe('clang-16 --target=bpfeb (ELF64 big-endian, LLVM-written .BTF)', () => {
  it('09-enum64: ENUM64 values decode to the source values', () => {
    const o = join(dir, 'enum64-be.o');
    run('clang-16', ['--target=bpfeb', '-g', '-c', probe('09-enum64'), '-o', o]);
    const loaded = loadBtf(readFileSync(o));
    expect(loaded.elf?.byteOrder).toBe('big');
    expect(loaded.elf?.class).toBe(64);
    const btf = loaded.blobs[0];
    expect(btf.byteOrder).toBe('big');
    // enum big64 { B_SMALL = 1, B_2_32 = 0x100000000, B_HUGE = 0xfedcba9876543210 }:
    // all enumerators non-negative, so unsigned (kind_flag 0), 8 bytes.
    const big = byName(btf.types, 'ENUM64', 'big64') as BtfEnum;
    expect(big.size).toBe(8);
    expect(big.signed).toBe(false);
    expect(big.values.map((v) => [v.name, v.value])).toEqual([
      ['B_SMALL', 1n],
      ['B_2_32', 0x100000000n],
      ['B_HUGE', 0xfedcba9876543210n],
    ]);
    // enum signed64 { S_NEG = -0x100000000, S_POS = 0x7fffffffffffffff }: signed.
    const s = byName(btf.types, 'ENUM64', 'signed64') as BtfEnum;
    expect(s.signed).toBe(true);
    expect(s.values.map((v) => v.value)).toEqual([-0x100000000n, 0x7fffffffffffffffn]);
    // struct holds64 { enum big64 b; enum signed64 s; }: 16 bytes, s at bit 64.
    const h = byName(btf.types, 'STRUCT', 'holds64') as BtfComposite;
    expect(h.size).toBe(16);
    expect(h.members.map((m) => [m.name, m.bitsOffset])).toEqual([
      ['b', 0],
      ['s', 64],
    ]);
    expect(dumpBpftool(btf)).toBe(bpftoolDump(o));
  });
});

describe('bpf-gcc -mbig-endian -gbtf (ELF64 big-endian, GCC-written .BTF)', () => {
  it('11-bitfields-basic: bitfield sizes and offsets (kind_flag set)', () => {
    const o = join(dir, 'bits-be.o');
    run('bpf-gcc', ['-mbig-endian', '-gbtf', '-c', probe('11-bitfields-basic'), '-o', o]);
    const btf = loadBtf(readFileSync(o)).blobs[0];
    expect(btf.byteOrder).toBe('big');
    // struct flags_word { unsigned ready:1, mode:3, count:12, spare:16; unsigned after; }
    // BTF bit offsets count from the start of the struct in declaration
    // order (DWARF data_bit_offset), independent of byte order: 0,1,4,16, then 32.
    const fw = byName(btf.types, 'STRUCT', 'flags_word') as BtfComposite;
    expect(fw.size).toBe(8);
    expect(fw.kindFlag).toBe(true);
    expect(fw.members.map((m) => [m.name, m.bitsOffset, m.bitfieldSize])).toEqual([
      ['ready', 0, 1],
      ['mode', 1, 3],
      ['count', 4, 12],
      ['spare', 16, 16],
      ['after', 32, 0],
    ]);
    // struct mixed_bits { unsigned char a:2; unsigned short b:9; unsigned long c:40; }
    // packed back to back: 0, 2, 11; size 8 (one unsigned long unit).
    const mb = byName(btf.types, 'STRUCT', 'mixed_bits') as BtfComposite;
    expect(mb.members.map((m) => [m.name, m.bitsOffset, m.bitfieldSize])).toEqual([
      ['a', 0, 2],
      ['b', 2, 9],
      ['c', 11, 40],
    ]);
    expect(dumpBpftool(btf)).toBe(bpftoolDump(o));
  });
});

describe('ELF32 big-endian container (objcopy -O elf32-big around big-endian BTF)', () => {
  it('reads the .BTF section of an ELF32 MSB file', () => {
    const o = join(dir, 'bits-be2.o');
    run('bpf-gcc', ['-mbig-endian', '-gbtf', '-c', probe('11-bitfields-basic'), '-o', o]);
    run('bpf-objcopy', [`--dump-section=.BTF=${o}.btf`, o]);
    const e32 = join(dir, 'be32.o');
    // -I binary wraps the bytes as .data; rename it to .BTF.
    run('objcopy', ['-I', 'binary', '-O', 'elf32-big', '--rename-section', '.data=.BTF', `${o}.btf`, e32]);
    const loaded = loadBtf(readFileSync(e32));
    expect(loaded.elf?.class).toBe(32);
    expect(loaded.elf?.byteOrder).toBe('big');
    expect(loaded.blobs[0].byteOrder).toBe('big');
    expect(dumpBpftool(loaded.blobs[0])).toBe(bpftoolDump(o));
    expect(bpftoolDump(e32)).toBe(bpftoolDump(o));
    // And ELF32 little-endian around little-endian BTF.
    const le = join(dir, 'le.o');
    run('gcc', ['-gbtf', '-c', probe('11-bitfields-basic'), '-o', le]);
    run('objcopy', [`--dump-section=.BTF=${le}.btf`, le]);
    const e32le = join(dir, 'le32.o');
    run('objcopy', ['-I', 'binary', '-O', 'elf32-little', '--rename-section', '.data=.BTF', `${le}.btf`, e32le]);
    const l = loadBtf(readFileSync(e32le));
    expect([l.elf?.class, l.elf?.byteOrder]).toEqual([32, 'little']);
    expect(dumpBpftool(l.blobs[0])).toBe(bpftoolDump(le));
  });
});
