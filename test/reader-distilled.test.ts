/**
 * Modules with a distilled base (`.BTF.base`, pahole --btf_features=distilled_base),
 * on the committed fixture distilled.pahole-module.o (scripts/make-fixtures:
 * sid pahole 1.32 over distilled-base.pahole.btf). Oracles: sid bpftool 7.8's
 * dumps committed beside it, without -B (split BTF over the distilled base)
 * and with `-B distilled-base.pahole.btf` (relocated onto the full base, as
 * libbpf's btf__relocate does). test/dump-sid-bpftool.test.ts runs bpftool 7.8
 * itself on the fixture and on a module over the running kernel's vmlinux.
 */
import { describe, expect, it } from 'vitest';
import { relocateBtf } from '../src/btf/distilled.js';
import { forEachName } from '../src/btf/refs.js';
import { stringsOf } from '../src/btf/strings.js';
import { canonicalize, dumpCanonical } from '../src/canonical/graph.js';
import { compareBtf } from '../src/pipeline/compare.js';
import { type Btf, decodeBtf, dumpBpftool, dumpBpftoolJson, encodeBtf, loadBtf, loadBtfLazy, writeBpftoolLazy } from '../src/index.js';
import { fixture, fixtureBtf, fixtureBytes, fixtureText, oracleText } from './helpers/fixtures.js';

const MODULE = 'distilled.pahole-module.o';
const BASE = 'distilled-base.pahole.btf';

const lazyDump = (bytes: Uint8Array, base?: Uint8Array): string => {
  const chunks: Buffer[] = [];
  const b = base ? loadBtfLazy(base).blobs[0] : undefined;
  writeBpftoolLazy(loadBtfLazy(bytes, { base: b as never }).blobs[0], (c) => chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks).toString('utf8');
};

describe('a module with a distilled base', () => {
  const base = fixtureBtf(BASE);
  const alone = loadBtf(fixtureBytes(MODULE));
  const relocated = loadBtf(fixtureBytes(MODULE), { base });

  it('alone: split BTF over its .BTF.base, dumped as bpftool 7.8 dumps it without -B', () => {
    expect(alone.distilledBase).toBe('split');
    const btf = alone.blobs[0];
    // The distilled base holds 9 types (the oracle's first id is 10): the named INT, ENUM and
    // composite stand-ins of the base types the module refers to.
    expect(btf.startId).toBe(10);
    expect(btf.base?.types.map((t) => `${t.kind} ${t.name}`)).toContain('STRUCT device');
    expect(dumpBpftool(btf)).toBe(fixtureText(fixture(MODULE).distilledOracle ?? ''));
    expect(lazyDump(fixtureBytes(MODULE))).toBe(fixtureText(fixture(MODULE).distilledOracle ?? ''));
  });

  it('over the full base: relocated as bpftool 7.8 -B prints it, plain and -j, lazily too', () => {
    expect(relocated.distilledBase).toBe('relocated');
    const btf = relocated.blobs[0];
    expect(btf.startId).toBe(base.types.length + 1);
    expect(dumpBpftool(btf)).toBe(oracleText(MODULE));
    expect(dumpBpftoolJson(btf)).toBe(fixtureText(fixture(MODULE).jsonOracle ?? ''));
    expect(lazyDump(fixtureBytes(MODULE), fixtureBytes(BASE))).toBe(oracleText(MODULE));
  });

  it('relocation points references at the base types of the same name, kind and size', () => {
    const btf = relocated.blobs[0];
    const priv = btf.types.find((t) => t.name === 'mod_priv');
    if (priv?.kind !== 'STRUCT') throw new Error('no struct mod_priv');
    const target = (name: string) => {
      const byId = (id: number) => (id < btf.startId ? base.types[id - 1] : btf.types[id - btf.startId]);
      let t = byId(priv.members.find((x) => x.name === name)?.type ?? 0);
      // Through the module's own PTR/ARRAY/CONST to what they name.
      while (t && (t.kind === 'PTR' || t.kind === 'CONST' || t.kind === 'ARRAY')) t = byId(t.type);
      return t && `${t.id < btf.startId ? 'base' : 'module'} ${t.kind} ${t.name}`;
    };
    // struct list_head is embedded (an array of two): matched by size to the base's; struct device
    // is behind a pointer; enum state, union key, double and unsigned char are base types (the
    // distilled oracle refers to each below id 10, the distilled base's last id + 1).
    expect(target('link')).toBe('base STRUCT list_head');
    expect(target('dev')).toBe('base STRUCT device');
    expect(target('st')).toBe('base ENUM state');
    expect(target('tiny')).toBe('base INT unsigned char');
    expect(target('k')).toBe('base UNION key');
    expect(target('weight')).toBe('base FLOAT double');
  });

  it('names keep resolving after relocation: name offsets move with the strings, as btf__relocate moves them', () => {
    const btf = relocated.blobs[0];
    const strings = stringsOf(btf);
    const site = { offset: 0, typeId: 0 };
    let checked = 0;
    for (const t of btf.types) {
      forEachName(t, (off, name) => {
        // Each offset, read in the relocated chain's strings (the base's, then the module's own), is its name.
        expect([t.id, off, strings.lookup(off, site)]).toEqual([t.id, off, name]);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(btf.types.length);
    // Re-encoding the relocated module over the base and decoding it again gives the same dump.
    const again = decodeBtf(encodeBtf(btf, { base }), { base });
    expect(dumpBpftool(again)).toBe(oracleText(MODULE));
  });

  it('canonical form: the relocated module and its base are one graph (list_head is the base type, with its members)', () => {
    const text = dumpCanonical(canonicalize(relocated.blobs[0]));
    expect(text).toMatch(/STRUCT 'list_head' size=16 vlen=2 \{ 'next'/);
    expect(text).toMatch(/STRUCT 'mod_priv' size=72 vlen=7/);
    // Alone, list_head is the distilled stand-in: no members.
    expect(dumpCanonical(canonicalize(loadBtf(fixtureBytes(MODULE)).blobs[0]))).toMatch(/STRUCT 'list_head' size=16 vlen=0/);
  });

  it('diff: relocated, the module equals the same source as plain split BTF over the base; alone, the stand-ins differ', () => {
    const r = relocated.blobs[0];
    const opts = { leftRecipe: 'l', rightRecipe: 'r', tools: [] };
    expect(compareBtf(r, r, opts).findings).toEqual([]);
    // The same module types as ordinary split BTF over the base (encoded by us from the relocated graph):
    const plainSplit = decodeBtf(encodeBtf(r, { base }), { base });
    expect(compareBtf(r, plainSplit, opts).findings).toEqual([]);
    // Over its distilled base, struct device is an empty stand-in where the base has four members.
    const alone = loadBtf(fixtureBytes(MODULE)).blobs[0];
    const findings = compareBtf(alone, r, opts).findings;
    expect(findings.some((f) => f.entity.includes('device'))).toBe(true);
  });
});

describe('relocation failures are InputErrors naming the type', () => {
  const dist = loadBtf(fixtureBytes(MODULE)).blobs[0];
  const distBase = dist.base as Btf;
  const base = fixtureBtf(BASE);

  it('a distilled type the base lacks', () => {
    const without = { ...base, types: base.types.map((t) => (t.name === 'device' ? { ...t, name: 'not_device' } : t)), stringSection: undefined };
    expect(() => relocateBtf(dist, distBase, without)).toThrow(/distilled base type STRUCT 'device' \[\d+\] has no match in the base BTF/);
  });

  it('two base types a distilled type matches', () => {
    const twice = { ...base, types: [...base.types, { ...base.types.find((t) => t.name === 'state'), id: base.types.length + 1 } as never] };
    expect(() => relocateBtf(dist, distBase, twice)).toThrow(/distilled base type 'state' \[\d+\] \(size 4\) matches base types/);
  });

  it('a module name in the distilled strings that names no distilled type', () => {
    // Offset 2 is inside the distilled base's first name (the strings start "\0long long ..."), the start of no name.
    const odd = { ...dist, types: dist.types.map((t, i) => (i === 0 ? { ...t, nameOff: 2 } : t)) };
    expect(() => relocateBtf(odd, distBase, base)).toThrow(/name offset 2 is in the distilled base's strings but names no distilled type/);
  });

  it('a distilled base holding another kind', () => {
    const bad = { ...distBase, types: distBase.types.map((t, i) => (i === 0 ? { kind: 'PTR', id: t.id, name: '', nameOff: 0, type: 0 } : t)) as never };
    expect(() => relocateBtf(dist, bad, base)).toThrow(/distilled base type \[1\] is a PTR/);
  });
});
