/**
 * The encoder, proven through the real bpftool: whatever we encode from a
 * decoded BTF must dump (by bpftool) exactly as the original dumps. This
 * checks encoder and decoder together; neither can hide a dropped field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBtf } from '../src/btf/decode.js';
import { references } from '../src/btf/validate.js';
import { dumpBpftool } from '../src/btf/dump-bpftool.js';
import { encodeBtf } from '../src/btf/encode.js';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { ROOT } from './helpers/cli.js';
import { VMLINUX, bpftoolDump, haveVmlinux, probeName, probes, run, tempDir, tryRun } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('encode');
afterAll(cleanup);

function first(file: string): Btf {
  return loadBtf(readFileSync(file)).blobs[0];
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('encode(decode(x)) dumped by bpftool equals bpftool(x)', () => {
  it.skipIf(!haveVmlinux())('vmlinux, little- and big-endian', () => {
    const expected = bpftoolDump(VMLINUX);
    const btf = first(VMLINUX);
    const le = write('vmlinux.le.btf', encodeBtf(btf));
    expect(bpftoolDump(le) === expected).toBe(true);
    const be = write('vmlinux.be.btf', encodeBtf(btf, { byteOrder: 'big' }));
    // Magic bytes in file order say which byte order was written.
    expect([...readFileSync(be).subarray(0, 2)]).toEqual([0xeb, 0x9f]);
    expect(bpftoolDump(be) === expected).toBe(true);
    // Re-interning drops nothing bpftool prints but may shrink the strings.
    expect(readFileSync(le).length).toBeLessThanOrEqual(readFileSync(VMLINUX).length);
  });

  it('every gcc -gbtf probe, both byte orders', () => {
    for (const src of probes()) {
      const o = join(dir, `${probeName(src)}.o`);
      run('gcc', ['-gbtf', '-c', src, '-o', o]);
      const expected = bpftoolDump(o);
      for (const byteOrder of ['little', 'big'] as const) {
        const p = write(`${probeName(src)}.${byteOrder}.btf`, encodeBtf(first(o), { byteOrder }));
        expect(bpftoolDump(p), `${probeName(src)} ${byteOrder}`).toBe(expected);
        // And our own decoder reads what it wrote.
        expect(dumpBpftool(first(p))).toBe(expected);
      }
    }
  });
});

describe('header longer than 24 bytes (a newer BTF version adding header fields)', () => {
  it('is read forward-compatibly: sections located via hdr_len', () => {
    const o = join(dir, 'hl.o');
    run('gcc', ['-gbtf', '-c', probes().find((p) => p.includes('11-bitfields-basic'))!, '-o', o]);
    const bytes = encodeBtf(first(o), { headerLength: 32 });
    const p = write('hl32.btf', bytes);
    const btf = decodeBtf(bytes);
    expect(btf.header.hdrLen).toBe(32);
    // libbpf accepts longer native-endian headers; the dumps must agree.
    expect(dumpBpftool(btf)).toBe(bpftoolDump(o));
    expect(bpftoolDump(p)).toBe(bpftoolDump(o));
    // We also read a longer big-endian header; libbpf 1.1 refuses that
    // (btf_parse_hdr: non-native endianness requires hdr_len == 24), so
    // there the oracle is the little-endian dump.
    const be = encodeBtf(first(o), { headerLength: 32, byteOrder: 'big' });
    expect(dumpBpftool(decodeBtf(be))).toBe(bpftoolDump(o));
    const refused = tryRun('bpftool', ['btf', 'dump', 'file', write('hl32be.btf', be)]);
    expect(refused.ok).toBe(false);
  });
});

/** Largest k < n such that types 1..k refer only to ids <= k (0 if none). */
function closedPrefix(btf: Btf): number {
  let maxRef = 0;
  let best = 0;
  btf.types.forEach((t, i) => {
    for (const [r] of references(t)) maxRef = Math.max(maxRef, r);
    // bpftool names a DATASEC entry's type, so those ids must be in the base too.
    if (t.kind === 'DATASEC') for (const v of t.vars) maxRef = Math.max(maxRef, v.type);
    if (maxRef <= i + 1 && i + 1 < btf.types.length) best = i + 1;
  });
  return best;
}

describe('split BTF built by the encoder', () => {
  it('ids and string offsets continue from the base; bpftool -B accepts it', () => {
    const o = join(dir, 'split-src.o');
    run('gcc', ['-gbtf', '-c', probes().find((p) => p.includes('31-vars-global-static'))!, '-o', o]);
    const whole = first(o);
    // Cut the graph: the first k types become the base, the rest the split
    // part. Ids are unchanged, so the cut needs a prefix that refers only
    // to itself: the largest k with every reference in types[0..k) <= k.
    const k = closedPrefix(whole);
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThan(whole.types.length);
    const baseBytes = encodeBtf({ types: whole.types.slice(0, k) });
    const basePath = write('cut.base.btf', baseBytes);
    const base = decodeBtf(baseBytes);
    const splitBytes = encodeBtf({ types: whole.types.slice(k) }, { base });
    const splitPath = write('cut.split.btf', splitBytes);
    const split = decodeBtf(splitBytes, { base });
    expect(split.startId).toBe(k + 1);
    const expected = bpftoolDump(splitPath, basePath);
    // The split dump is the tail of the whole dump: same ids, same text.
    const wholeDump = bpftoolDump(o);
    expect(wholeDump.endsWith(expected)).toBe(true);
    expect(expected.startsWith(`[${k + 1}] `)).toBe(true);
    expect(dumpBpftool(split)).toBe(expected);
  });
});

describe('scripts/renumber-btf', () => {
  it('writes a permuted copy bpftool accepts; same types up to renumbering; seed-deterministic', () => {
    const o = join(dir, 'renum-src.o');
    run('gcc', ['-gbtf', '-c', probes().find((p) => p.includes('26-func-ptr'))!, '-o', o]);
    const script = join(ROOT, 'scripts', 'renumber-btf');
    run(script, [o, join(dir, 'r1.btf'), '--seed', '42']);
    run(script, [o, join(dir, 'r2.btf'), '--seed', '42']);
    run(script, [o, join(dir, 'r3.btf'), '--seed', '43']);
    expect(readFileSync(join(dir, 'r1.btf'))).toEqual(readFileSync(join(dir, 'r2.btf')));
    expect(readFileSync(join(dir, 'r1.btf'))).not.toEqual(readFileSync(join(dir, 'r3.btf')));
    const orig = first(o);
    const dumped = bpftoolDump(join(dir, 'r1.btf'));
    const renum = first(join(dir, 'r1.btf'));
    expect(dumped).toBe(dumpBpftool(renum));
    expect(renum.types.length).toBe(orig.types.length);
    // Recover the permutation by matching each original type to the renumbered
    // one with the same kind+name+shape; then every reference must map too.
    // Names here are unique per kind except anonymous types, so check the
    // multiset of kinds and the named types' referenced kinds.
    const kinds = (b: Btf) => b.types.map((t) => t.kind).sort();
    expect(kinds(renum)).toEqual(kinds(orig));
    const named = (b: Btf) =>
      b.types
        .filter((t) => t.name !== '')
        .map((t) => {
          const ref = 'type' in t ? b.types[t.type - 1] : undefined;
          return `${t.kind} ${t.name} -> ${ref ? `${ref.kind} ${ref.name}` : '-'}`;
        })
        .sort();
    expect(named(renum)).toEqual(named(orig));
    expect(renum.types.map((t) => t.kind)).not.toEqual(orig.types.map((t) => t.kind));
  });
});
