/**
 * Bad input through the CLI (a subprocess, as users run it): every case
 * ends with exit status 2 and exactly ONE line on stderr that names the
 * file and, where the bytes are at fault, the byte offset or type id where
 * it broke. No stack trace, no hang (spawn timeout), nothing on stdout.
 *
 * The corrupt blobs are built from a small graph written by our encoder,
 * whose layout is fixed (24-byte header, then types back to back):
 *   [1] INT 'int'        at 24  (16 bytes: 12 header + 4 encoding)
 *   [2] PTR -> 1         at 40  (12 bytes)
 *   [3] STRUCT 's' vlen 2 at 52 (12 + 2*12 = 36 bytes), types end at 88
 * Expected offsets below follow from that layout. The ELF inputs are
 * committed fixtures (test/fixtures/btf, see its manifest), so this runs
 * the built CLI but no toolchain.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBtf } from '../src/btf/encode.js';
import type { BtfType } from '../src/btf/types.js';
import { ensureBuilt } from './helpers/cli.js';
import { fixtureBytes, fixturePath, probeFixture } from './helpers/fixtures.js';
import { cli, tempDir } from './reader-toolchain.js';

beforeAll(ensureBuilt);

const { dir, cleanup } = tempDir('malformed');
afterAll(cleanup);

const GRAPH: BtfType[] = [
  { kind: 'INT', id: 1, name: 'int', nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 },
  { kind: 'PTR', id: 2, name: '', nameOff: 0, type: 1 },
  {
    kind: 'STRUCT',
    id: 3,
    name: 's',
    nameOff: 0,
    size: 16,
    kindFlag: false,
    members: [
      { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 },
      { name: 'p', nameOff: 0, type: 2, bitsOffset: 64, bitfieldSize: 0 },
    ],
  },
];

function good(): Uint8Array {
  return encodeBtf({ types: GRAPH });
}

/** A copy of the good blob with a u32 (little-endian) replaced at `at`. */
function patched(at: number, value: number): Uint8Array {
  const b = good();
  new DataView(b.buffer).setUint32(at, value >>> 0, true);
  return b;
}

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Run `dump` and check the one-line, exit-2 contract; returns the line. */
function fails(args: string[], named: string): string {
  const r = cli(['dump', ...args]);
  expect(r.status, `exit status (stderr: ${r.stderr})`).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frames
  expect(lines[0].startsWith(`btfparity: ${named}`), lines[0]).toBe(true);
  return lines[0];
}

describe('malformed BTF (raw files)', () => {
  it('sanity: the unpatched blob dumps fine', () => {
    const r = cli(['dump', file('good.btf', good())]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("[3] STRUCT 's' size=16 vlen=2");
  });

  it('truncated inside the header: says where the data ended', () => {
    const f = file('trunc-hdr.btf', good().subarray(0, 10));
    expect(fails([f], f)).toMatch(/at offset 10: BTF header truncated/);
  });

  it('truncated inside the type section: the section end is past the data', () => {
    const f = file('trunc-types.btf', good().subarray(0, 60));
    // hdr_len + str_off + str_len is past 60 bytes; the str_len field is at 16.
    expect(fails([f], f)).toMatch(/at offset 16: BTF sections end at \d+, past the end of the data \(60 bytes\)/);
  });

  it('wrong magic', () => {
    const f = file('magic.btf', 'this is not BTF, just text long enough\n');
    expect(fails([f], f)).toMatch(/at offset 0: bad BTF magic 0x7468/);
  });

  it('header length past the end', () => {
    const f = file('hdrlen.btf', patched(4, 100000));
    expect(fails([f], f)).toMatch(/at offset 4: BTF header length 100000 is past the end/);
  });

  it('string section length past the end', () => {
    const f = file('strlen.btf', patched(20, 0x7fffffff));
    expect(fails([f], f)).toMatch(/at offset 16: BTF sections end at/);
  });

  it('type id out of range (PTR -> 99): names the type id and its offset', () => {
    const f = file('typeid.btf', patched(48, 99));
    expect(fails([f], f)).toMatch(/at offset 40, type id 2: PTR refers to target type id 99, past the last id 3/);
  });

  it('member type id out of range', () => {
    // STRUCT at 52: members start at 64; member 'p' is the second (76), its type at 80.
    const f = file('member.btf', patched(80, 7));
    expect(fails([f], f)).toMatch(/at offset 52, type id 3: STRUCT refers to member 'p' type id 7/);
  });

  it('string offset out of range (INT name_off = 0xffff)', () => {
    const f = file('stroff.btf', patched(24, 0xffff));
    expect(fails([f], f)).toMatch(/at offset 24, type id 1: string offset 65535 is past the end of the string section/);
  });

  it('vlen past the end of the type section', () => {
    // STRUCT info at 56: kind 4 << 24 | vlen 100.
    const f = file('vlen.btf', patched(56, (4 << 24) | 100));
    expect(fails([f], f)).toMatch(/at offset 52, type id 3: STRUCT with vlen 100 needs 1200 more bytes/);
  });

  it('unknown kind (25)', () => {
    const f = file('kind.btf', patched(44, 25 << 24));
    expect(fails([f], f)).toMatch(/at offset 40, type id 2: unknown BTF kind 25/);
  });

  it('empty sections: no types and no strings', () => {
    const b = good().subarray(0, 24);
    const h = new DataView(b.buffer, b.byteOffset, 24);
    for (const at of [8, 12, 16, 20]) h.setUint32(at, 0, true);
    const f = file('empty-sections.btf', b);
    expect(fails([f], f)).toMatch(/at offset 24: BTF string section is empty/);
  });

  it('empty file', () => {
    const f = file('empty.btf', '');
    expect(fails([f], f)).toMatch(/at offset 0: empty file/);
  });
});

describe('ELF containers', () => {
  it('an ELF without .BTF (gcc -c object, no -g)', () => {
    const o = fixturePath('no-btf.o');
    expect(fails([o], o)).toMatch(/: ELF file has no \.BTF section$/);
  });

  it('an ELF with an empty .BTF section (objcopy --add-section)', () => {
    const o = fixturePath('empty-btf.o');
    expect(fails([o], o)).toMatch(/at offset \d+: \.BTF section is empty/);
  });

  it('a truncated ELF: section data past the end names the section header', () => {
    const bytes = fixtureBytes(probeFixture('11-bitfields-basic', 'gcc-btf'));
    // Cut off the section header table at the end: its offset is past the data.
    const f = file('cut.o', bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(fails([f], f)).toMatch(/at offset \d+: section header table .* runs past the end of the file/);
    const g = file('cut-ehdr.o', bytes.subarray(0, 30));
    expect(fails([g], g)).toMatch(/at offset 0: ELF header \(64 bytes at 0\) runs past the end of the file \(30 bytes\)/);
  });
});

describe('files that are not files', () => {
  it('a directory', () => {
    const d = join(dir, 'adir');
    mkdirSync(d);
    expect(fails([d], d)).toMatch(/: is a directory/);
  });

  it('a missing file', () => {
    const m = join(dir, 'nope.btf');
    expect(fails([m], m)).toMatch(/: no such file$/);
  });

  it('a bad --base names the base file', () => {
    const m = join(dir, 'missing-base.btf');
    const f = file('ok.btf', good());
    expect(fails(['--base', m, f], m)).toMatch(/: no such file$/);
  });
});
