/**
 * The reader on the committed fixtures (test/fixtures/btf), without any
 * toolchain. Oracle: bpftool 7.1's dump of each file, made by
 * scripts/make-fixtures and committed beside it; our dump must equal it
 * byte for byte, in both byte orders, every container, split BTF and an
 * archive. The toolchain twins (dump-oracle, reader-bigendian,
 * encode-roundtrip) compile fresh objects and run bpftool itself;
 * fixtures-fresh checks that the committed files are what the installed
 * toolchain writes.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BTF_KIND, type Btf, type BtfComposite, type BtfEnum, bpftoolLine, decodeBtf, dumpBpftool, dumpBpftoolJson, encodeBtf } from '../src/index.js';
import {
  FIXTURES_DIR,
  fixture,
  fixtureBtf,
  fixtureBytes,
  fixtureText,
  loadFixture,
  manifest,
  oracleText,
  probeFixture,
  readableFixtures,
} from './helpers/fixtures.js';

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const single = readableFixtures().filter((f) => f.blobs === undefined);

describe('the committed fixtures', () => {
  it('are exactly the files the manifest lists, with the recorded sizes and hashes', () => {
    const listed = new Set(['README.md', 'manifest.json']);
    for (const f of manifest().fixtures) {
      listed.add(f.file);
      const bytes = fixtureBytes(f.file);
      expect([f.file, bytes.length, sha256(bytes)]).toEqual([f.file, f.bytes, f.sha256]);
      if (f.oracle !== null) {
        listed.add(f.oracle);
        expect(sha256(fixtureText(f.oracle)), f.oracle).toBe(f.oracleSha256);
        // Every file bpftool reads has its -j dump beside it too.
        expect(f.jsonOracle, f.file).toBe(`${f.file}.bpftool.json`);
        listed.add(f.jsonOracle ?? '');
        expect(sha256(fixtureText(f.jsonOracle ?? '')), f.jsonOracle).toBe(f.jsonOracleSha256);
      }
      if (f.distilledOracle !== undefined) {
        listed.add(f.distilledOracle);
        expect(sha256(fixtureText(f.distilledOracle)), f.distilledOracle).toBe(f.distilledOracleSha256);
      }
    }
    expect(readdirSync(FIXTURES_DIR).sort()).toEqual([...listed].sort());
  });

  it('cover every avenue in both byte orders and stay small', () => {
    const fs = manifest().fixtures;
    for (const avenue of Object.keys(manifest().avenues))
      expect(
        fs.some((f) => f.avenue === avenue),
        avenue,
      ).toBe(true);
    expect(new Set(fs.map((f) => f.byteOrder))).toEqual(new Set(['little', 'big']));
    expect(fs.reduce((n, f) => n + f.bytes, 0)).toBeLessThan(200_000);
  });
});

describe('bpftool-json dump equals the committed bpftool -j dump', () => {
  it.each(readableFixtures().map((f) => [f.file]))('%s', (file) => {
    const f = fixture(file);
    // bpftool reads the first blob of an archive, as the plain oracle says.
    expect(dumpBpftoolJson(loadFixture(file).blobs[0])).toBe(fixtureText(f.jsonOracle ?? ''));
  });
});

describe('dump equals the committed bpftool dump', () => {
  it.each(single.map((f) => [f.file]))('%s', (file) => {
    const f = fixture(file);
    const loaded = loadFixture(file);
    expect(loaded.blobs.length).toBe(1);
    const btf = loaded.blobs[0];
    const expected = oracleText(file);
    expect(dumpBpftool(btf)).toBe(expected);
    // bpftoolLine (one type at a time, used by reports) shares the writer.
    expect(`${btf.types.map((t) => bpftoolLine(btf, t)).join('\n')}\n`).toBe(expected);
    // Container facts as the manifest records them (readelf, ELF e_ident, the BTF magic).
    expect(loaded.container).toBe(f.container);
    expect(btf.byteOrder).toBe(f.byteOrder);
    expect(loaded.hasBtfExt).toBe(f.btfExt);
    if (f.container === 'elf') expect([loaded.elf?.class, loaded.elf?.byteOrder]).toEqual([f.elfClass, f.byteOrder]);
  });

  it('split BTF: ids continue after the base, struct t reuses the base struct s', () => {
    const base = fixtureBtf('split-base.pahole.btf');
    const split = fixtureBtf('split.pahole.btf');
    expect(split.startId).toBe(base.types.length + 1);
    expect(oracleText('split.pahole.btf')).toMatch(/^\[\d+\] STRUCT 't' size=24 vlen=2\n\t'x' type_id=1 bits_offset=0\n/);
    expect(base.types[0]).toMatchObject({ kind: 'STRUCT', name: 's' });
  });

  it('a BTF archive (ld -r of two gcc -gbtf objects): both blobs, each equal to bpftool on its own object', () => {
    const f = fixture('archive.gcc-btf.o');
    const loaded = loadFixture(f.file);
    expect(loaded.blobs.length).toBe(f.blobs);
    expect(loaded.blobs.map((b) => dumpBpftool(b))).toEqual(f.blobOracles!.map(fixtureText));
    // bpftool itself reads the first blob of the archive.
    expect(dumpBpftool(loaded.blobs[0])).toBe(oracleText(f.file));
    expect(loaded.blobOffsets[1]).toBe(loaded.blobOffsets[0] + loaded.blobs[0].byteLength);
  });

  it('ELF32 containers (objcopy -O elf32-big / elf32-little) dump as the ELF64 objects they were cut from', () => {
    expect(oracleText('11-bitfields-basic.bpf-gcc-be.elf32.o')).toBe(oracleText('11-bitfields-basic.bpf-gcc-be.o'));
    expect(oracleText('11-bitfields-basic.gcc-btf.elf32.o')).toBe(oracleText('11-bitfields-basic.gcc-btf.o'));
    expect(fixture('11-bitfields-basic.bpf-gcc-be.elf32.o')).toMatchObject({ elfClass: 32, byteOrder: 'big' });
    expect(fixture('11-bitfields-basic.gcc-btf.elf32.o')).toMatchObject({ elfClass: 32, byteOrder: 'little' });
  });
});

describe('coverage of the comparisons above', () => {
  /** Kinds and kind_flag meanings present in the fixtures of one byte order. */
  function seen(byteOrder: 'little' | 'big'): { kinds: string[]; flags: string[] } {
    const kinds = new Set<string>();
    const flags = new Set<string>();
    for (const f of single.filter((x) => x.byteOrder === byteOrder)) {
      for (const t of fixtureBtf(f.file).types) {
        kinds.add(t.kind);
        if (t.kind === 'FWD') flags.add(`FWD ${t.fwdKind}`);
        if ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.signed) flags.add(`${t.kind} signed`);
        if ((t.kind === 'STRUCT' || t.kind === 'UNION') && t.kindFlag) flags.add('bitfield kind_flag');
      }
    }
    return { kinds: [...kinds].sort(), flags: [...flags].sort() };
  }
  it.each(['little', 'big'] as const)('%s-endian fixtures hold every kind 1..19 and every kind_flag meaning', (order) => {
    expect(seen(order)).toEqual({
      kinds: Object.keys(BTF_KIND).sort(),
      flags: ['ENUM signed', 'ENUM64 signed', 'FWD struct', 'FWD union', 'bitfield kind_flag'],
    });
  });
});

function byName<K extends string>(types: readonly { name: string; kind: string }[], kind: K, name: string) {
  const t = types.find((x) => x.kind === kind && x.name === name);
  expect(t, `${kind} ${name}`).toBeDefined();
  return t!;
}

// Values written down from the probe sources, as in reader-bigendian.test.ts (which compiles afresh).
describe('big-endian values decode to the source values', () => {
  it('09-enum64 from clang-16 --target=bpfeb: ENUM64 values, signedness, member offsets', () => {
    const btf = fixtureBtf(probeFixture('09-enum64', 'clang-bpfeb'));
    expect(btf.byteOrder).toBe('big');
    // enum big64 { B_SMALL = 1, B_2_32 = 0x100000000, B_HUGE = 0xfedcba9876543210 }: unsigned, 8 bytes.
    const big = byName(btf.types, 'ENUM64', 'big64') as BtfEnum;
    expect([big.size, big.signed]).toEqual([8, false]);
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
    expect([h.size, h.members.map((m) => [m.name, m.bitsOffset])]).toEqual([
      16,
      [
        ['b', 0],
        ['s', 64],
      ],
    ]);
  });

  it.each([['bpf-gcc-be'], ['gcc-btf']])('11-bitfields-basic from %s: bitfield offsets count in declaration order, whatever the byte order', (avenue) => {
    const btf = fixtureBtf(probeFixture('11-bitfields-basic', avenue));
    // struct flags_word { unsigned ready:1, mode:3, count:12, spare:16; unsigned after; }
    const fw = byName(btf.types, 'STRUCT', 'flags_word') as BtfComposite;
    expect([fw.size, fw.kindFlag]).toEqual([8, true]);
    expect(fw.members.map((m) => [m.name, m.bitsOffset, m.bitfieldSize])).toEqual([
      ['ready', 0, 1],
      ['mode', 1, 3],
      ['count', 4, 12],
      ['spare', 16, 16],
      ['after', 32, 0],
    ]);
    // struct mixed_bits { unsigned char a:2; unsigned short b:9; unsigned long c:40; }: 0, 2, 11.
    const mb = byName(btf.types, 'STRUCT', 'mixed_bits') as BtfComposite;
    expect(mb.members.map((m) => [m.name, m.bitsOffset, m.bitfieldSize])).toEqual([
      ['a', 0, 2],
      ['b', 2, 9],
      ['c', 11, 40],
    ]);
  });

  it('clang bpf and bpfeb objects of one source hold the same types (bpftool prints the same text)', () => {
    for (const probe of ['07-enum-negative', '09-enum64', '24-restrict', '35-funcs-linkage', '38-decl-tag', '39-type-tag']) {
      const le = probeFixture(probe, 'clang-bpf');
      const be = probeFixture(probe, 'clang-bpfeb');
      expect(oracleText(be), probe).toBe(oracleText(le));
      expect(fixtureBtf(be).types, probe).toEqual(fixtureBtf(le).types);
    }
  });
});

/** Largest k < n such that types 1..k refer only to ids <= k (DATASEC entries included: bpftool names them). */
function closedPrefix(btf: Btf): number {
  let maxRef = 0;
  let best = 0;
  btf.types.forEach((t, i) => {
    const refs: number[] = [];
    if ('type' in t) refs.push(t.type);
    if (t.kind === 'ARRAY') refs.push(t.indexType);
    if (t.kind === 'STRUCT' || t.kind === 'UNION') refs.push(...t.members.map((m) => m.type));
    if (t.kind === 'FUNC_PROTO') refs.push(t.returnType, ...t.params.map((p) => p.type));
    if (t.kind === 'DATASEC') refs.push(...t.vars.map((v) => v.type));
    maxRef = Math.max(maxRef, ...refs);
    if (maxRef <= i + 1 && i + 1 < btf.types.length) best = i + 1;
  });
  return best;
}

// The encoder against the same oracle: what it writes, our decoder reads back as bpftool read the original.
// (encode-roundtrip.test.ts has bpftool itself read the encoder's output.)
describe('encode(decode(x)) reads back as bpftool read x', () => {
  const plain = single.filter((f) => f.base === undefined);
  it.each(plain.map((f) => [f.file]))('%s, both byte orders', (file) => {
    const btf = fixtureBtf(file);
    const expected = oracleText(file);
    for (const byteOrder of ['little', 'big'] as const) {
      const bytes = encodeBtf(btf, { byteOrder });
      // The magic 0xeb9f in file order says which byte order was written.
      expect([...bytes.subarray(0, 2)]).toEqual(byteOrder === 'big' ? [0xeb, 0x9f] : [0x9f, 0xeb]);
      const back = decodeBtf(bytes);
      expect(back.byteOrder).toBe(byteOrder);
      expect(dumpBpftool(back), byteOrder).toBe(expected);
    }
  });

  it('a header longer than 24 bytes is read through hdr_len, in both byte orders', () => {
    const file = probeFixture('11-bitfields-basic', 'gcc-btf');
    for (const byteOrder of ['little', 'big'] as const) {
      const back = decodeBtf(encodeBtf(fixtureBtf(file), { headerLength: 32, byteOrder }));
      expect(back.header.hdrLen).toBe(32);
      expect(dumpBpftool(back)).toBe(oracleText(file));
    }
  });

  it('split BTF cut from a whole object: the split part dumps as the tail of the whole dump', () => {
    const file = probeFixture('31-vars-global-static', 'gcc-btf');
    const whole = fixtureBtf(file);
    const k = closedPrefix(whole);
    expect(k).toBeGreaterThanOrEqual(2);
    const base = decodeBtf(encodeBtf({ types: whole.types.slice(0, k) }));
    const split = decodeBtf(encodeBtf({ types: whole.types.slice(k) }, { base }), { base });
    expect(split.startId).toBe(k + 1);
    const text = dumpBpftool(split);
    expect(text.startsWith(`[${k + 1}] `)).toBe(true);
    expect(oracleText(file).endsWith(text)).toBe(true);
  });
});
