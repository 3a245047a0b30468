/**
 * Property tests of diffBtf on the running kernel's BTF: transformations
 * that keep the meaning give no findings, and a single mutation gives
 * exactly one finding, at the mutated entity and path.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { Btf, BtfType } from '../src/btf/types.js';
import { typeById } from '../src/btf/types.js';
import { entityKey } from '../src/canonical/entity.js';
import { diffBtf } from '../src/findings/diff.js';
import { duplicateAll, mutateEnumValue, mutateIntSize, mutateMemberOffset, mutateParamType, renumber, seededPermutation } from './helpers/btf-transform.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const haveVmlinux = existsSync(VMLINUX);
if (!haveVmlinux) console.warn(`skipping vmlinux diff property tests: ${VMLINUX} not present`);

/** Let vitest's worker talk to the main process between long synchronous runs. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Entities whose key (family + name) occurs exactly once, so the mutation target pairs unambiguously. */
function uniqueEntities(btf: Btf): BtfType[] {
  const count = new Map<string, number>();
  for (const t of btf.types) {
    const k = entityKey(t);
    if (k !== undefined) count.set(k, (count.get(k) ?? 0) + 1);
  }
  return btf.types.filter((t) => {
    const k = entityKey(t);
    return k !== undefined && count.get(k) === 1;
  });
}

/** Index of a member whose name is non-empty and occurs once in the struct. */
function uniqueMemberIndexes(t: BtfType): number[] {
  if (t.kind !== 'STRUCT' && t.kind !== 'UNION') return [];
  const names = t.members.map((m) => m.name);
  return names.map((_, i) => i).filter((i) => names[i] !== '' && names.indexOf(names[i]) === names.lastIndexOf(names[i]));
}

describe.skipIf(!haveVmlinux)('diffBtf on the running kernel BTF', () => {
  const vmlinux = haveVmlinux ? loadBtf(readFileSync(VMLINUX)).blobs[0] : (undefined as never);
  const unique = haveVmlinux ? uniqueEntities(vmlinux) : [];
  const brief = (fs: ReturnType<typeof diffBtf>) => fs.map((f) => `${f.entity} | ${f.path} | ${f.category}`);

  it('finds nothing between vmlinux and a renumbering of it', () => {
    const r = renumber(vmlinux, seededPermutation(vmlinux.types.length, 0x5eed));
    expect(diffBtf(vmlinux, r)).toEqual([]);
  });

  it('finds nothing between vmlinux and vmlinux with every type duplicated', () => {
    expect(diffBtf(vmlinux, duplicateAll(vmlinux))).toEqual([]);
  });

  it('finds exactly one offset finding for one moved member', async () => {
    const targets = unique.filter((t) => uniqueMemberIndexes(t).length > 0);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (a, b) => {
        await breathe();
        const s = targets[a % targets.length] as Extract<BtfType, { kind: 'STRUCT' | 'UNION' }>;
        const idxs = uniqueMemberIndexes(s);
        const mi = idxs[b % idxs.length];
        const fs = diffBtf(vmlinux, mutateMemberOffset(vmlinux, s.id, mi, 8));
        expect(brief(fs)).toEqual([`${s.kind.toLowerCase()} ${s.name} | ${s.members[mi].name} | offset`]);
        expect([fs[0].leftId, fs[0].rightId]).toEqual([s.id, s.id]);
      }),
      { numRuns: 2 },
    );
  });

  it('finds exactly one size finding for one resized INT', async () => {
    const ints = unique.filter((t) => t.kind === 'INT');
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (a) => {
        await breathe();
        const t = ints[a % ints.length] as Extract<BtfType, { kind: 'INT' }>;
        const fs = diffBtf(vmlinux, mutateIntSize(vmlinux, t.id, t.size * 2));
        expect(brief(fs)).toEqual([`${t.name} |  | size`]);
        expect([fs[0].left, fs[0].right]).toEqual([`size=${t.size}`, `size=${t.size * 2}`]);
      }),
      { numRuns: 2 },
    );
  });

  it('finds exactly one enum-value finding for one changed enumerator', async () => {
    const enums = unique.filter(
      (t) => (t.kind === 'ENUM' || t.kind === 'ENUM64') && t.values.length > 0 && new Set(t.values.map((v) => v.name)).size === t.values.length,
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (a, b) => {
        await breathe();
        const e = enums[a % enums.length] as Extract<BtfType, { kind: 'ENUM' | 'ENUM64' }>;
        const vi = b % e.values.length;
        const fs = diffBtf(vmlinux, mutateEnumValue(vmlinux, e.id, vi, e.values[vi].value + 1000003n));
        expect(brief(fs)).toEqual([`enum ${e.name} | enumerator ${e.values[vi].name} | enum-value`]);
      }),
      { numRuns: 2 },
    );
  });

  it('finds exactly one proto finding for one changed parameter type', async () => {
    const funcs = unique.filter((t) => {
      if (t.kind !== 'FUNC') return false;
      const p = typeById(vmlinux, t.type);
      return p?.kind === 'FUNC_PROTO' && p.params.length > 0 && p.params[0].type !== 0;
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (a, b) => {
        await breathe();
        const f = funcs[a % funcs.length] as Extract<BtfType, { kind: 'FUNC' }>;
        const proto = typeById(vmlinux, f.type) as Extract<BtfType, { kind: 'FUNC_PROTO' }>;
        const named = proto.params.filter((p) => p.type !== 0).length;
        const pi = b % named;
        const fs = diffBtf(vmlinux, mutateParamType(vmlinux, f.id, pi));
        expect(brief(fs)).toEqual([`func ${f.name} | param ${pi + 1} | proto`]);
      }),
      { numRuns: 2 },
    );
  });
});
