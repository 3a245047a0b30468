/**
 * Names that are not plain identifiers (issue 14, items 10 and 11).
 *
 * - bpftool 7.1 writes name bytes raw in its plain dump: newline, tab, ESC,
 *   DEL, C1 controls and bytes that are not UTF-8 all come out unchanged.
 *   `btfparity dump` must be byte-identical, so names are decoded
 *   losslessly (src/artifact/name-bytes.ts) instead of replacing bad bytes with
 *   U+FFFD. A DATASEC entry of type id 0 prints `UNKNOWN`, as bpftool does.
 * - Everything else for people escapes them (src/report/escape.ts): stderr
 *   stays one line, text and markdown reports carry no raw control
 *   characters.
 *
 * The blobs are written by our encoder with ASCII placeholder names whose
 * bytes are then overwritten in the string section, so the raw bytes on
 * disk do not depend on how the encoder treats strings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intType } from './helpers/btf-transform.js';
import { decodeBtf } from '../src/btf/decode.js';
import { encodeBtf } from '../src/btf/encode.js';
import { decodeName, encodeName } from '../src/artifact/name-bytes.js';
import type { BtfType } from '../src/btf/types.js';
import { escapeControls } from '../src/report/escape.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';
import { execFileSync } from 'node:child_process';

const { dir, cleanup } = tempDir('names');
afterAll(cleanup);
beforeAll(ensureBuilt);

const INT = intType;

/** Names as raw bytes: newline + ESC sequence, tab, DEL, a C1 control, and bytes that are not UTF-8. */
const RAW_NAMES: [string, number[]][] = [
  ['nl_esc', [...Buffer.from('evil\n\x1b[31mred')]],
  ['tab_del', [0x61, 0x09, 0x62, 0x7f, 0x63]],
  ['c1', [0x61, 0xc2, 0x85, 0x62]], // U+0085 NEL, valid UTF-8
  ['bad_ff', [0x69, 0x6e, 0x74, 0xff, 0xc3]], // 0xff never valid; 0xc3 truncated sequence
  ['overlong', [0x61, 0xc0, 0x80, 0x62]], // overlong NUL
  ['surrogate', [0x61, 0xed, 0xa0, 0x80, 0x62]], // encoded surrogate: not UTF-8
  ['utf8_ok', [...Buffer.from('é😀')]],
];

/** Placeholder `Pn_<padding>` of the byte length of each raw name, to be overwritten. */
function placeholder(i: number, len: number): string {
  return `P${i}${'_'.repeat(len - 1 - String(i).length)}`;
}

function blobWithRawNames(): Uint8Array {
  const types: BtfType[] = [INT(1, 'int')];
  for (const [i, [, bytes]] of RAW_NAMES.entries()) types.push(INT(types.length + 1, placeholder(i, bytes.length)));
  types.push({ kind: 'VAR', id: types.length + 1, name: placeholder(90, 6), nameOff: 0, type: 1, linkage: 'global' });
  types.push({
    kind: 'DATASEC',
    id: types.length + 1,
    name: '.data',
    nameOff: 0,
    size: 8,
    vars: [
      { type: 0, offset: 0, size: 4 },
      { type: types.length, offset: 4, size: 4 },
    ],
  });
  const b = Buffer.from(encodeBtf({ types }));
  RAW_NAMES.forEach(([, bytes], i) => {
    const at = b.indexOf(placeholder(i, bytes.length));
    expect(at).toBeGreaterThan(0);
    Buffer.from(bytes).copy(b, at);
  });
  // The VAR's name: ESC and a bad byte, shown inside the DATASEC entry line too.
  Buffer.from([0x76, 0x1b, 0x5b, 0x32, 0x4a, 0xfe]).copy(b, b.indexOf(placeholder(90, 6)));
  return b;
}

describe('bpftool-format dump of odd names is byte-identical to bpftool 7.1', () => {
  it('raw control characters, non-UTF-8 bytes and a DATASEC entry of type id 0', () => {
    const f = join(dir, 'names.btf');
    writeFileSync(f, blobWithRawNames());
    const expected = execFileSync('bpftool', ['btf', 'dump', 'file', f]);
    // bpftool writes the bytes raw (what escape.ts documents)
    expect(expected.includes(Buffer.from('evil\n\x1b[31mred'))).toBe(true);
    expect(expected.includes(Buffer.from([0x69, 0x6e, 0x74, 0xff, 0xc3, 0x27]))).toBe(true);
    expect(expected.toString('latin1')).toContain("type_id=0 offset=0 size=4 (UNKNOWN '(anon)')");
    const r = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'dist', 'cli.js'), 'dump', f]);
    expect(Buffer.compare(r, expected)).toBe(0);
  });

  it('decode then encode keeps the name bytes (the re-encoded blob dumps the same under bpftool)', () => {
    const f = join(dir, 'names.btf');
    const g = join(dir, 'reencoded.btf');
    writeFileSync(g, encodeBtf(decodeBtf(blobWithRawNames())));
    const a = execFileSync('bpftool', ['btf', 'dump', 'file', f]);
    const b = execFileSync('bpftool', ['btf', 'dump', 'file', g]);
    expect(Buffer.compare(a, b)).toBe(0);
  });
});

describe('stderr is one line whatever the input quotes', () => {
  it('an error naming a member whose name holds ESC, in a struct whose name holds a newline', () => {
    const types: BtfType[] = [
      INT(1, 'int'),
      {
        kind: 'STRUCT',
        id: 2,
        name: 's\n\x1b[2Jx',
        nameOff: 0,
        size: 4,
        kindFlag: false,
        members: [{ name: 'm\x1bq', nameOff: 0, type: 99, bitsOffset: 0, bitfieldSize: 0 }],
      },
    ];
    const f = join(dir, 'errname.btf');
    writeFileSync(f, encodeBtf({ types }));
    const r = runCli(['dump', f], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('\x1b');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("member 'm\\x1bq' type id 99");
  });

  it('a JSON parse error that quotes file content with newlines', () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"a":1,\n"b": x\n}');
    const r = runCli(['merge', f], { cwd: dir });
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/not valid JSON .*\\n/);
  });
});

describe('text and markdown reports escape names', () => {
  it('diff of two BTFs whose names hold control characters and bad bytes', () => {
    const f = join(dir, 'names.btf');
    const tiny = join(dir, 'tiny.btf');
    writeFileSync(tiny, encodeBtf({ types: [INT(1, 'int')] }));
    for (const format of ['text', 'markdown']) {
      const r = runCli(['diff', '--format', format, tiny, f], { cwd: dir });
      expect(r.status, r.stderr).toBe(1);
      // No control character but the newlines between lines, no lone surrogate / U+FFFD from a bad byte.
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffd]/);
      expect(r.stdout).toContain('evil\\n\\x1b[31mred');
      expect(r.stdout).toContain('int\\xff\\xc3');
      expect(r.stdout).toContain('a\\u0085b');
      expect(r.stdout).toContain('a\\xed\\xa0\\x80b');
      expect(r.stdout).toContain('é😀');
    }
    // json keeps the data (escaped as JSON does); the bad byte is a lone surrogate \\udcff.
    const j = runCli(['diff', '--format', 'json', tiny, f], { cwd: dir });
    expect(j.stdout).toContain('evil\\n\\u001b[31mred');
    expect(j.stdout).toContain('int\\udcff\\udcc3');
  });
});

describe('name bytes and escapes (pure)', () => {
  it('decodeName/encodeName round-trip any bytes exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect([...encodeName(decodeName(b))]).toEqual([...b]);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
  it('decodeName is the usual UTF-8 decoding for valid UTF-8, and injective otherwise', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeName(new TextEncoder().encode(s))).toBe(s);
      }),
      { numRuns: 1000, seed: 12 },
    );
    expect(decodeName(Uint8Array.of(0xff))).not.toBe(decodeName(Uint8Array.of(0xfe)));
  });
  it('escapeControls', () => {
    expect(escapeControls('plain name_1 é😀')).toBe('plain name_1 é😀');
    expect(escapeControls('a\nb\tc\rd\\e\x1b[0m\x7f')).toBe('a\\nb\\tc\\rd\\\\e\\x1b[0m\\x7f');
    expect(escapeControls('\u0085\u202e\u2066')).toBe('\\u0085\\u202e\\u2066');
    expect(escapeControls(decodeName(Uint8Array.of(0x61, 0xff)))).toBe('a\\xff');
    expect(escapeControls('\ud800x')).toBe('\\ud800x');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeControls(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});
