/**
 * The lint without the kernel: hand-made blobs for the rules (each must give
 * its rule, for the right type and component), real toolchain output (gcc
 * 12 -gbtf's `char` is refused, pahole's BTF accepted), split BTF over
 * vmlinux, archives, robustness on arbitrary bytes, and the CLI's output
 * formats and exit statuses.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RULES, btfBlobs, type LintResult, lintBlob, lintFile } from '../src/lint/index.js';
import { kernelUnavailable } from '../src/witness/kernel-load.js';
import { ensureBuilt, PROBES, ROOT, runCli } from './helpers/cli.js';
import { haveVmlinux, run, tempDir, VMLINUX } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('lint');
afterAll(cleanup);
beforeAll(() => ensureBuilt());

const K = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  CONST: 10,
  FUNC: 12,
  PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DTAG: 17,
  TTAG: 18,
};

/** A record: name (string, or a raw offset), kind, kind_flag, vlen, size_or_type, then kind-specific words. */
type R = [name: string | number, kind: number, kflag: number, vlen: number, sot: number, ...words: number[]];

/** A little-endian base blob from strings and records (strings are interned on first use). */
function blob(records: R[], opts: { hdr?: (v: DataView) => void; strings?: string[] } = {}): Uint8Array {
  const strs: number[] = [0];
  const offs = new Map<string, number>([['', 0]]);
  const intern = (s: string) => {
    let o = offs.get(s);
    if (o === undefined) {
      o = strs.length;
      offs.set(s, o);
      for (const c of s) strs.push(c.charCodeAt(0));
      strs.push(0);
    }
    return o;
  };
  for (const s of opts.strings ?? []) intern(s);
  const words: number[] = [];
  for (const [name, kind, kflag, vlen, sot, ...rest] of records) {
    words.push(typeof name === 'string' ? intern(name) : name, ((kflag << 31) | (kind << 24) | vlen) >>> 0, sot >>> 0, ...rest.map((w) => w >>> 0));
  }
  const types = words.length * 4;
  const out = new Uint8Array(24 + types + strs.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xeb9f, true);
  out[2] = 1;
  v.setUint32(4, 24, true);
  v.setUint32(12, types, true);
  v.setUint32(16, types, true);
  v.setUint32(20, strs.length, true);
  words.forEach((w, i) => {
    v.setUint32(24 + 4 * i, w, true);
  });
  out.set(strs, 24 + types);
  opts.hdr?.(v);
  return out;
}

const INT: R = ['int', K.INT, 0, 0, 4, (1 << 24) | 32];
const first = (r: LintResult) => r.rejections[0];

describe('lint rules on hand-made blobs', () => {
  const cases: [string, Uint8Array, Partial<{ rule: string; typeId: number; component: number; message: string }>][] = [
    ['an INT with SIGNED|CHAR', blob([['char', K.INT, 0, 0, 1, (3 << 24) | 8]]), { rule: 'int-encoding', typeId: 1, message: 'Unsupported encoding' }],
    ['an INT wider than its size', blob([['int', K.INT, 0, 0, 1, 16]]), { rule: 'int-bits-size' }],
    ['an INT of 129 bits', blob([['int', K.INT, 0, 0, 32, 129]]), { rule: 'int-bits' }],
    ['a named PTR', blob([INT, ['p', K.PTR, 0, 0, 1]]), { rule: 'name', typeId: 2 }],
    ['a CONST with kind_flag', blob([INT, ['', K.CONST, 1, 0, 1]]), { rule: 'kind-flag' }],
    ['a TYPE_TAG with kind_flag (allowed since 6.14)', blob([INT, ['tag', K.TTAG, 1, 0, 1], ['', K.PTR, 0, 0, 2]]), {}],
    ['a typedef to itself', blob([['t', K.TYPEDEF, 0, 0, 1]]), { rule: 'loop', typeId: 1 }],
    ['a struct holding itself', blob([['s', K.STRUCT, 0, 1, 8, 0, 1, 0]]), { rule: 'loop' }],
    ['a union member at a non-zero offset', blob([INT, ['u', K.UNION, 0, 2, 4, 0, 1, 0, 0, 1, 8]]), { rule: 'member-offset', component: 1 }],
    ['a member past the struct', blob([INT, ['s', K.STRUCT, 0, 1, 4, 0, 1, 8]]), { rule: 'member-size', component: 0 }],
    ['members out of order', blob([INT, ['s', K.STRUCT, 0, 2, 8, 0, 1, 32, 0, 1, 0]]), { rule: 'member-offset', component: 1 }],
    ['a bitfield wider than its int', blob([INT, ['s', K.STRUCT, 1, 1, 8, 0, 1, (33 << 24) | 0]]), { rule: 'member-bitfield-size' }],
    ['an enum of size 3', blob([['e', K.ENUM, 0, 1, 3, 2, 1]], { strings: ['e', 'A'] }), { rule: 'enum-size' }],
    ['an array indexed by a struct', blob([INT, ['s', K.STRUCT, 0, 0, 4], ['', K.ARRAY, 0, 0, 0, 1, 2, 4]]), { rule: 'array-index', typeId: 3 }],
    ['an array of a 3-bit int', blob([INT, ['b', K.INT, 0, 0, 1, 3], ['', K.ARRAY, 0, 0, 0, 2, 1, 4]]), { rule: 'array-int', typeId: 3 }],
    ['an extern FUNC', blob([INT, ['', K.PROTO, 0, 0, 1], ['f', K.FUNC, 0, 2, 2]]), { rule: 'func-linkage', typeId: 3 }],
    ['an unnamed parameter', blob([INT, ['', K.PROTO, 0, 1, 1, 0, 1], ['f', K.FUNC, 0, 1, 2]]), { rule: 'arg', typeId: 3, message: 'Invalid arg#1' }],
    ['an extern VAR', blob([INT, ['x', K.VAR, 0, 0, 1, 2]]), { rule: 'var-linkage' }],
    ['a DATASEC of size 0', blob([INT, ['x', K.VAR, 0, 0, 1, 1], ['.data', K.DATASEC, 0, 1, 0, 2, 0, 4]]), { rule: 'datasec-size' }],
    [
      'DATASEC entries out of order',
      blob([INT, ['x', K.VAR, 0, 0, 1, 1], ['y', K.VAR, 0, 0, 1, 1], ['.data', K.DATASEC, 0, 2, 8, 2, 4, 4, 3, 0, 4]]),
      { rule: 'datasec-offset', component: 1 },
    ],
    ['a DATASEC entry that is no VAR', blob([INT, ['.data', K.DATASEC, 0, 1, 4, 1, 0, 4]]), { rule: 'datasec-not-var', component: 0 }],
    ['a DECL_TAG on a member that does not exist', blob([INT, ['s', K.STRUCT, 0, 1, 4, 0, 1, 0], ['tag', K.DTAG, 0, 0, 2, 1]]), { rule: 'decl-tag-component' }],
    ['a FLOAT of size 3', blob([['f', K.FLOAT, 0, 0, 3]]), { rule: 'float-size' }],
    ['a FWD with a type', blob([['s', K.FWD, 0, 0, 1]]), { rule: 'fwd-type' }],
    ['a CONST above a TYPE_TAG', blob([INT, ['', K.CONST, 0, 0, 3], ['tag', K.TTAG, 0, 0, 1], ['', K.PTR, 0, 0, 2]]), { rule: 'type-tag-order' }],
    ['a name offset past the strings', blob([[999, K.INT, 0, 0, 4, 32]]), { rule: 'name-offset', message: 'Invalid name_offset:999' }],
    ['unknown kind 25', blob([['x', 25, 0, 0, 0]]), { rule: 'kind-invalid', message: 'Invalid kind:25' }],
    ['a bad magic', blob([INT], { hdr: (v) => v.setUint16(0, 0x1234, true) }), { rule: 'magic' }],
    ['header flags', blob([INT], { hdr: (v) => v.setUint8(3, 1) }), { rule: 'flags' }],
    ['a gap after the header', blob([INT], { hdr: (v) => v.setUint32(8, 4, true) }), { rule: 'section-unsupported' }],
    ['a string section without the empty string', blob([INT], { hdr: (v) => v.setUint8(24 + 16, 0x41) }), { rule: 'strings-invalid' }],
    ['a FUNC_PROTO returning a VAR', blob([INT, ['x', K.VAR, 0, 0, 1, 1], ['', K.PROTO, 0, 0, 2]]), { rule: 'return-type', typeId: 3 }],
    ['a chain of 33 typedefs', blob([...Array.from({ length: 33 }, (_, i): R => ['t', K.TYPEDEF, 0, 0, i + 2]), INT]), { rule: 'resolve-depth', typeId: 1 }],
  ];
  for (const [what, bytes, want] of cases) {
    it(want.rule ? `${what}: ${want.rule}` : `${what}: accepted`, () => {
      const r = lintBlob(bytes);
      if (!want.rule) {
        expect(r).toEqual({ accepted: true, rejections: [] });
        return;
      }
      expect(r.accepted).toBe(false);
      expect(first(r)).toMatchObject(want);
    });
  }

  it('every rule id is unique, names the kernel function that makes it, and is documented in docs/LINT.md', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    const doc = readFileSync(join(ROOT, 'docs', 'LINT.md'), 'utf8');
    for (const r of ALL_RULES) {
      expect(r.source).not.toBe('');
      expect(doc).toContain(`| \`${r.id}\` |`);
    }
  });

  it('goes on past the first rejection: every bad type, in the kernel order', () => {
    const r = lintBlob(blob([['c', K.INT, 0, 0, 1, (3 << 24) | 8], ['p', K.PTR, 0, 0, 1], INT]));
    expect(r.rejections.map((x) => [x.typeId, x.rule])).toEqual([
      [1, 'int-encoding'],
      [2, 'name'],
    ]);
  });

  it('never throws on arbitrary bytes, and a rejection always names a rule', () => {
    const seed = blob([
      INT,
      ['s', K.STRUCT, 0, 2, 8, 0, 1, 0, 0, 1, 32],
      ['', K.PTR, 0, 0, 2],
      ['x', K.VAR, 0, 0, 2, 1],
      ['.data', K.DATASEC, 0, 1, 8, 4, 0, 8],
    ]);
    expect(lintBlob(seed).accepted).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(seed.length - 1), fc.nat(255)), { maxLength: 8 }), fc.nat(seed.length), (flips, cut) => {
        const b = Uint8Array.from(seed);
        for (const [at, x] of flips) b[at] = x;
        const r = lintBlob(b.subarray(0, cut));
        expect(r.accepted).toBe(r.rejections.length === 0);
        for (const x of r.rejections) expect(x.message).not.toBe('');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('lint on toolchain output', () => {
  it("refuses gcc 12 -gbtf's char (SIGNED|CHAR) and accepts pahole's", () => {
    const src = join(PROBES, '02-char-signedness.c');
    run('gcc', ['-gbtf', '-c', src, '-o', join(dir, 'char.o')]);
    run('gcc', ['-g', '-c', src, '-o', join(dir, 'char.g.o')]);
    run('pahole', [`--btf_encode_detached=${join(dir, 'char.btf')}`, join(dir, 'char.g.o')]);
    const [gcc] = lintFile(readFileSync(join(dir, 'char.o')));
    expect(first(gcc.result)).toMatchObject({ typeId: 1, kind: 'INT', name: 'char', rule: 'int-encoding', message: 'Unsupported encoding' });
    expect(lintFile(readFileSync(join(dir, 'char.btf')))[0].result.accepted).toBe(true);
  });

  it.skipIf(!haveVmlinux())('accepts vmlinux, and split BTF over it as the kernel checks module BTF', () => {
    const vmlinux = readFileSync(VMLINUX);
    expect(lintBlob(vmlinux).accepted).toBe(true);
    const src = join(dir, 'mod.c');
    writeFileSync(src, 'struct list_head;\nstruct my_mod { struct list_head *l; int x; };\nint mod_fn(struct my_mod *m) { return m->x; }\n');
    run('gcc', ['-g', '-c', src, '-o', join(dir, 'mod.o')]);
    run('pahole', ['--btf_base', VMLINUX, `--btf_encode_detached=${join(dir, 'mod.btf')}`, join(dir, 'mod.o')]);
    const split = readFileSync(join(dir, 'mod.btf'));
    expect(lintBlob(split, { base: vmlinux })).toEqual({ accepted: true, rejections: [] });
    // Without its base the same bytes are no BTF of their own: no empty string first.
    expect(first(lintBlob(split)).rule).toBe('strings-invalid');
    // A reference past the last id: the kernel's module checks let it through, libbpf does not.
    const bad = Uint8Array.from(split);
    const v = new DataView(bad.buffer);
    const typeStart = 24 + v.getUint32(8, true);
    const firstInfo = v.getUint32(typeStart + 4, true);
    expect((firstInfo >>> 24) & 0x1f).toBe(K.STRUCT);
    v.setUint32(typeStart + 12 + 4, 0xffff0, true); // member 0's type
    expect(first(lintBlob(bad, { base: vmlinux }))).toMatchObject({ rule: 'libbpf-type-id', kind: 'STRUCT', name: 'my_mod', component: 0 });
  });

  it('lints each blob of a BTF archive on its own', () => {
    const a = blob([INT]);
    const b = blob([['c', K.INT, 0, 0, 1, (3 << 24) | 8]]);
    const archive = new Uint8Array(a.length + 3 + b.length);
    archive.set(a);
    archive.set(b, a.length + 3);
    const blobs = lintFile(archive);
    expect(blobs.map((x) => [x.offset, x.result.accepted])).toEqual([
      [0, true],
      [a.length + 3, false],
    ]);
    // Trailing bytes that are no blob stay with the blob: the kernel would be given them.
    const trailing = new Uint8Array(a.length + 4);
    trailing.set(a);
    trailing.fill(7, a.length);
    expect(btfBlobs(trailing)).toHaveLength(1);
    expect(first(lintBlob(trailing)).rule).toBe('section-unsupported');
  });
});

describe('btfparity lint (CLI)', () => {
  it('exit 0 accepted, 1 rejected, 2 bad input; json rows in argument order', () => {
    const good = join(dir, 'good.btf');
    const bad = join(dir, 'bad.btf');
    writeFileSync(good, blob([INT]));
    writeFileSync(bad, blob([INT, ['p', K.PTR, 0, 0, 1]]));
    expect(runCli(['lint', good]).status).toBe(0);
    const text = runCli(['lint', good, bad]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`${good}: accepted`);
    expect(text.stdout).toContain(`${bad}: rejected\n  [2] PTR 'p': Invalid name (name)`);
    const json = runCli(['lint', '--format', 'json', bad, join(dir, 'missing'), good]);
    expect(json.status).toBe(2);
    expect(json.stderr).toMatch(/missing: no such file/);
    const rows = JSON.parse(json.stdout) as { file: string; accepted: boolean; rejections: { rule: string }[]; error?: string }[];
    expect(rows.map((r) => [r.file, r.accepted, r.rejections.map((x) => x.rule), r.error])).toEqual([
      [bad, false, ['name'], undefined],
      [join(dir, 'missing'), false, [], 'no such file'],
      [good, true, [], undefined],
    ]);
  });

  it('a raw file without BTF magic is bad input, not a rejection', () => {
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not BTF at all\n');
    const r = runCli(['lint', junk]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/junk\.txt at offset 0: neither an ELF file nor a BTF blob/);
  });

  it('--kernel with --base is refused (BPF_BTF_LOAD loads no split BTF)', () => {
    const good = join(dir, 'good2.btf');
    writeFileSync(good, blob([INT]));
    const r = runCli(['lint', '--kernel', '--base', good, good]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/BPF_BTF_LOAD loads only base BTF/);
  });

  it('--kernel shows the kernel verdict beside the lint (or says why it cannot)', async (ctx) => {
    const why = await kernelUnavailable();
    if (why) {
      console.warn(`lint --kernel: skipped: ${why}`);
      ctx.skip();
    }
    const src = join(PROBES, '02-char-signedness.c');
    const obj = join(dir, 'k.o');
    run('gcc', ['-gbtf', '-c', src, '-o', obj]);
    copyFileSync(obj, join(dir, 'k2.o'));
    const r = runCli(['lint', '--kernel', '--format', 'json', obj]);
    expect(r.status).toBe(1);
    const [row] = JSON.parse(r.stdout) as { kernel: { accepted: boolean; agrees: boolean; reasonAgrees: boolean; log: string[] } }[];
    expect(row.kernel).toMatchObject({ accepted: false, agrees: true, reasonAgrees: true });
    expect(row.kernel.log.at(-1)).toMatch(/Unsupported encoding$/);
  });
});
