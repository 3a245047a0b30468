/**
 * `dump --format json`: the documented shape (docs/dump-json.md), checked
 * against the bpftool dump of the same file field by field, deterministic
 * output, and enum values as decimal strings. Inputs are the committed
 * fixtures (test/fixtures/btf) and their committed bpftool dumps, so this
 * runs the built CLI but no toolchain.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PROBES } from './helpers/cli.js';
import { fixture, fixturePath, oracleText, probeFixture } from './helpers/fixtures.js';
import { cli } from './reader-toolchain.js';

beforeAll(ensureBuilt);

interface JsonDump {
  format: string;
  version: number;
  byteOrder: string;
  startId: number;
  typeCount: number;
  split: boolean;
  container: string;
  blob: number;
  blobCount: number;
  hasBtfExt: boolean;
  types: Array<Record<string, unknown> & { id: number; kind: string; name: string }>;
}

function jsonDump(file: string): JsonDump {
  const r = cli(['dump', '--format', 'json', file]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonDump;
}

describe('dump --format json', () => {
  it('one object per type; ids, kinds and names match bpftool; ENUM64 values as decimal strings', () => {
    const e64 = probeFixture('09-enum64', 'clang-bpf');
    const doc = jsonDump(fixturePath(e64));
    expect(doc).toMatchObject({ format: 'btfparity-dump', version: 2, byteOrder: 'little', startId: 1, split: false, container: 'elf', blob: 1, blobCount: 1 });
    // bpftool's header lines give id, kind and name of every type.
    const heads = oracleText(e64)
      .split('\n')
      .filter((l) => l.startsWith('['))
      .map((l) => /^\[(\d+)\] (\S+) '([^']*)'/.exec(l)!.slice(1));
    expect(doc.typeCount).toBe(heads.length);
    expect(doc.types.map((t) => [String(t.id), t.kind, t.name === '' ? '(anon)' : t.name])).toEqual(heads);
    // 0xfedcba9876543210 = 18364758544493064720 (> 2^53: must be a string).
    const big = doc.types.find((t) => t.name === 'big64')!;
    expect(big).toEqual({
      id: big.id,
      kind: 'ENUM64',
      name: 'big64',
      size: 8,
      signed: false,
      values: [
        { name: 'B_SMALL', value: '1' },
        { name: 'B_2_32', value: '4294967296' },
        { name: 'B_HUGE', value: '18364758544493064720' },
      ],
    });
    const s = doc.types.find((t) => t.name === 'signed64')!;
    expect(s.values).toEqual([
      { name: 'S_NEG', value: '-4294967296' },
      { name: 'S_POS', value: '9223372036854775807' },
    ]);
  });

  it('struct members with bitfields, FUNC linkage, VAR, DATASEC fields', () => {
    const doc = jsonDump(fixturePath(probeFixture('11-bitfields-basic', 'gcc-btf')));
    const fw = doc.types.find((t) => t.name === 'flags_word')!;
    // Source: unsigned ready:1, mode:3, count:12, spare:16; unsigned after.
    expect(fw).toMatchObject({ kind: 'STRUCT', size: 8, kindFlag: true });
    expect((fw.members as Array<{ name: string; bitsOffset: number; bitfieldSize: number }>).map((m) => [m.name, m.bitsOffset, m.bitfieldSize])).toEqual([
      ['ready', 0, 1],
      ['mode', 1, 3],
      ['count', 4, 12],
      ['spare', 16, 16],
      ['after', 32, 0],
    ]);
    const fwVar = doc.types.find((t) => t.kind === 'VAR' && t.name === 'fw')!;
    expect(fwVar).toEqual({ id: fwVar.id, kind: 'VAR', name: 'fw', type: fw.id, linkage: 'global' });
    const sec = doc.types.find((t) => t.kind === 'DATASEC')!;
    expect(sec.vars).toContainEqual({ type: fwVar.id, offset: 0, size: 8 });
    const f = probeFixture('35-funcs-linkage', 'gcc-btf');
    const funcs = jsonDump(fixturePath(f)).types.filter((t) => t.kind === 'FUNC');
    // bpftool prints the same linkage words.
    const expected = [...oracleText(f).matchAll(/FUNC '([^']+)' type_id=\d+ linkage=(\w+)/g)].map((m) => [m[1], m[2]]);
    expect(funcs.map((t) => [t.name, t.linkage])).toEqual(expected);
  });

  it('is deterministic and valid JSON with one type per line', () => {
    const o = fixturePath(probeFixture('26-func-ptr', 'gcc-btf'));
    const a = cli(['dump', '--format', 'json', o]).stdout;
    const b = cli(['dump', '--format', 'json', o]).stdout;
    expect(a).toBe(b);
    const lines = a.trimEnd().split('\n');
    const doc = JSON.parse(a) as JsonDump;
    // header line, one line per type, closing line.
    expect(lines.length).toBe(doc.types.length + 2);
    expect(JSON.parse(lines[1].replace(/,$/, ''))).toEqual(doc.types[0]);
  });

  it('reports .BTF.ext presence (clang objects with functions have it; gcc -gbtf objects do not)', () => {
    // The manifest records whether `readelf -SW` listed .BTF.ext when the fixture was made.
    const c = probeFixture('35-funcs-linkage', 'clang-bpf');
    expect(fixture(c).btfExt).toBe(true);
    expect(jsonDump(fixturePath(c)).hasBtfExt).toBe(true);
    const g = probeFixture('35-funcs-linkage', 'gcc-btf');
    expect(fixture(g).btfExt).toBe(false);
    expect(jsonDump(fixturePath(g)).hasBtfExt).toBe(false);
  });

  it('unknown --format is a usage error (exit 2) listing the formats', () => {
    // The format is checked before the file is read, so any path will do.
    const r = cli(['dump', '--format', 'xml', join(PROBES, '01-int-widths.c')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown format 'xml' (one of: bpftool, bpftool-json, json");
  });
});
