/**
 * In-memory transformations of a decoded Btf, for property tests of the
 * canonical form and the diff: renumbering, duplication, single mutations,
 * and a small builder for hand-written graphs. Every transformation remaps
 * every reference, so the result is a valid graph that means exactly what
 * the input meant (or, for mutations, differs in exactly one place).
 */
import { remapType } from '../../src/btf/refs.js';
import type { Btf, BtfHeader, BtfType } from '../../src/btf/types.js';
import { typeById, typeCount } from '../../src/btf/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A type as written in a test: no id, no name offset. */
export type TypeSpec = BtfType extends infer T ? (T extends BtfType ? Omit<T, 'id' | 'nameOff'> : never) : never;

const HEADER: BtfHeader = { magic: 0xeb9f, version: 1, flags: 0, hdrLen: 24, typeOff: 0, typeLen: 0, strOff: 0, strLen: 0 };

/** A base Btf holding `types` as ids 1, 2, ... in order. */
export function makeBtf(types: readonly (TypeSpec | BtfType)[]): Btf {
  const withIds = types.map((t, i) => withMembersNameOff({ ...t, id: i + 1, nameOff: 0 } as BtfType));
  return { header: HEADER, byteOrder: 'little', startId: 1, types: withIds, byteLength: 0 };
}

/** Members/params/values written without nameOff in tests get 0. */
function withMembersNameOff(t: BtfType): BtfType {
  const fill = <X extends object>(xs: readonly X[]): X[] => xs.map((x) => ({ nameOff: 0, ...x }));
  if (t.kind === 'STRUCT' || t.kind === 'UNION') return { ...t, members: fill(t.members) };
  if (t.kind === 'FUNC_PROTO') return { ...t, params: fill(t.params) };
  if (t.kind === 'ENUM' || t.kind === 'ENUM64') return { ...t, values: fill(t.values) };
  return t;
}

/** All types of the split chain, in id order (base first). */
export function allTypes(btf: Btf): BtfType[] {
  const n = typeCount(btf);
  const out: BtfType[] = [];
  for (let id = 1; id <= n; id++) out.push(typeById(btf, id)!);
  return out;
}

/** A copy of `t` with id `id` and every referenced id passed through `f` (void stays 0). */
export function remap(t: BtfType, id: number, f: (ref: number) => number): BtfType {
  return remapType(t, id, (r) => (r === 0 ? 0 : f(r)));
}

function fromTypes(btf: Btf, types: BtfType[]): Btf {
  return { header: btf.header, byteOrder: btf.byteOrder, startId: 1, types, byteLength: btf.byteLength };
}

/**
 * Renumber: old id i (1-based, over the whole split chain) becomes
 * permutation[i - 1] + 1. The result is one flat (non-split) Btf.
 */
export function renumber(btf: Btf, permutation: readonly number[]): Btf {
  const old = allTypes(btf);
  if (permutation.length !== old.length) throw new Error('permutation length must equal the type count');
  const next = (id: number): number => permutation[id - 1] + 1;
  const types = new Array<BtfType>(old.length);
  for (const t of old) types[next(t.id) - 1] = remap(t, next(t.id), next);
  return fromTypes(btf, types);
}

/** A random permutation of 0..n-1 from a seed (xorshift; deterministic per seed). */
export function seededPermutation(n: number, seed: number): number[] {
  let s = seed | 0 || 1;
  const rnd = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Append a copy of every type (refs of the copies point at the copies). */
export function duplicateAll(btf: Btf): Btf {
  const old = allTypes(btf);
  const n = old.length;
  return fromTypes(btf, [...old, ...old.map((t) => remap(t, t.id + n, (r) => r + n))]);
}

/** Replace one type (same id) by `f(type)`. */
function replaceType(btf: Btf, id: number, f: (t: BtfType) => BtfType): Btf {
  return fromTypes(
    btf,
    allTypes(btf).map((t) => (t.id === id ? f(t) : t)),
  );
}

export function mutateMemberOffset(btf: Btf, structId: number, memberIdx: number, deltaBits: number): Btf {
  return replaceType(btf, structId, (t) => {
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') throw new Error(`${structId} is not a struct/union`);
    const members = t.members.map((m, i) => (i === memberIdx ? { ...m, bitsOffset: m.bitsOffset + deltaBits } : m));
    return { ...t, members };
  });
}

export function mutateIntSize(btf: Btf, intId: number, size: number): Btf {
  return replaceType(btf, intId, (t) => {
    if (t.kind !== 'INT') throw new Error(`${intId} is not an INT`);
    return { ...t, size };
  });
}

export function mutateEnumValue(btf: Btf, enumId: number, valueIdx: number, value: bigint): Btf {
  return replaceType(btf, enumId, (t) => {
    if (t.kind !== 'ENUM' && t.kind !== 'ENUM64') throw new Error(`${enumId} is not an enum`);
    return { ...t, values: t.values.map((v, i) => (i === valueIdx ? { ...v, value } : v)) };
  });
}

/**
 * Make parameter `paramIdx` of FUNC `funcId` a pointer to what it was.
 * The prototype may be shared with other FUNCs, so the FUNC gets a fresh
 * copy of it (appended, with the new PTR), leaving the others alone.
 */
export function mutateParamType(btf: Btf, funcId: number, paramIdx: number): Btf {
  const types = allTypes(btf);
  const func = types[funcId - 1];
  if (func.kind !== 'FUNC') throw new Error(`${funcId} is not a FUNC`);
  const proto = types[func.type - 1];
  if (proto?.kind !== 'FUNC_PROTO') throw new Error(`FUNC ${funcId} has no FUNC_PROTO`);
  const ptrId = types.length + 1;
  const protoId = types.length + 2;
  const ptr: Mutable<BtfType> = { kind: 'PTR', id: ptrId, name: '', nameOff: 0, type: proto.params[paramIdx].type };
  const newProto: BtfType = { ...proto, id: protoId, params: proto.params.map((p, i) => (i === paramIdx ? { ...p, type: ptrId } : p)) };
  types[funcId - 1] = { ...func, type: protoId };
  return fromTypes(btf, [...types, ptr as BtfType, newProto]);
}

/** A signed 32-bit `int` (or another name) at `id`, as gcc and pahole both write it. */
export function intType(id = 1, name = 'int'): BtfType {
  return { kind: 'INT', id, name, nameOff: 0, size: 4, encoding: { signed: true, char: false, bool: false }, encodingBits: 1, bitsOffset: 0, bits: 32 };
}
