/**
 * Entities of one side, and pairing them with the other side's.
 *
 * An entity key is family + name (entity.ts). On one side a key can have
 * several definitions: identical ones (same canonical class) collapse into
 * one; genuinely different ones stay separate and are paired with the
 * other side's by structural similarity, identical classes first.
 */
import type { Btf, BtfType } from '../btf/types.js';
import { typeById, typeCount } from '../btf/types.js';
import { entityKey } from '../canonical/entity.js';
import type { CanonicalGraph } from '../canonical/graph.js';

/** One distinct definition of an entity on one side. */
export interface EntityDef {
  /** Every raw id of this definition (duplicates), ascending; the first is reported. */
  readonly ids: number[];
  /** Canonical class (joint across both sides, so equal class = identical definition). */
  readonly cls: number;
  readonly type: BtfType;
}

/** Entity key → its distinct definitions, ordered by canonical class. */
export function collectEntities(btf: Btf, g: CanonicalGraph): Map<string, EntityDef[]> {
  const byKey = new Map<string, EntityDef[]>();
  const n = typeCount(btf);
  for (let id = 1; id <= n; id++) {
    const t = typeById(btf, id)!;
    const key = entityKey(t);
    if (key === undefined) continue;
    const cls = g.classOf[id];
    const defs = byKey.get(key);
    if (!defs) {
      byKey.set(key, [{ ids: [id], cls, type: t }]);
      continue;
    }
    // Usually one or two definitions per name: a linear search is cheapest.
    const d = defs.find((x) => x.cls === cls);
    if (d) d.ids.push(id);
    else defs.push({ ids: [id], cls, type: t });
  }
  for (const defs of byKey.values()) if (defs.length > 1) defs.sort((a, b) => a.cls - b.cls);
  return byKey;
}

export interface Pairing {
  readonly pairs: Array<[EntityDef, EntityDef]>;
  readonly leftOnly: EntityDef[];
  readonly rightOnly: EntityDef[];
}

/** Names of a definition's parts (members, enumerators), for similarity. */
function partNames(t: BtfType): string[] {
  if (t.kind === 'STRUCT' || t.kind === 'UNION') return t.members.map((m) => m.name);
  if (t.kind === 'ENUM' || t.kind === 'ENUM64') return t.values.map((v) => v.name);
  return [];
}

/** Higher is more alike: same kind, overlapping part names, same size. */
export function similarity(a: BtfType, b: BtfType): number {
  let s = a.kind === b.kind ? 2 : 0;
  const pa = new Set(partNames(a));
  const pb = new Set(partNames(b));
  const union = new Set([...pa, ...pb]).size;
  if (union > 0) s += [...pa].filter((x) => pb.has(x)).length / union;
  if ('size' in a && 'size' in b && a.size === b.size) s += 0.5;
  return s;
}

export function pairDefinitions(left: readonly EntityDef[], right: readonly EntityDef[]): Pairing {
  if (left.length === 1 && right.length === 1) return { pairs: [[left[0], right[0]]], leftOnly: [], rightOnly: [] };
  const pairs: Array<[EntityDef, EntityDef]> = [];
  const restL: EntityDef[] = [];
  const restR = [...right];
  for (const l of left) {
    const k = restR.findIndex((r) => r.cls === l.cls);
    if (k >= 0) pairs.push([l, restR.splice(k, 1)[0]]);
    else restL.push(l);
  }
  if (restL.length === 1 && restR.length === 1) return { pairs: [...pairs, [restL[0], restR[0]]], leftOnly: [], rightOnly: [] };
  // Greedy best-first; ties broken by canonical class, so the result depends on structure only.
  const candidates: Array<{ l: EntityDef; r: EntityDef; s: number }> = [];
  for (const l of restL) for (const r of restR) candidates.push({ l, r, s: similarity(l.type, r.type) });
  candidates.sort((a, b) => b.s - a.s || a.l.cls - b.l.cls || a.r.cls - b.r.cls);
  const usedL = new Set<EntityDef>();
  const usedR = new Set<EntityDef>();
  for (const c of candidates) {
    if (usedL.has(c.l) || usedR.has(c.r)) continue;
    usedL.add(c.l);
    usedR.add(c.r);
    pairs.push([c.l, c.r]);
  }
  return { pairs, leftOnly: restL.filter((d) => !usedL.has(d)), rightOnly: restR.filter((d) => !usedR.has(d)) };
}
