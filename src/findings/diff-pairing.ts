/**
 * Entities of one side, and pairing them with the other side's.
 *
 * An entity key is family + name (entity.ts). On one side a key can have
 * several definitions: identical ones (same type up to numbering) collapse
 * into one; genuinely different ones stay separate and are paired with the
 * other side's by structural similarity, identical definitions first.
 */
import type { Btf, BtfType } from '../btf/types.js';
import { typeById, typeCount } from '../btf/types.js';
import { type EntityFamily, entityFamily } from '../canonical/entity.js';
import { shapeSignature } from '../canonical/shape.js';
import { pushAll } from '../lang.js';
import type { ClassLookup, DefinitionEquality, Side } from './diff-equality.js';

/** One distinct definition of an entity on one side. */
export interface EntityDef {
  /** Every raw id of this definition (duplicates), ascending; the first is reported. */
  readonly ids: number[];
  readonly type: BtfType;
}

/**
 * The entities of one side: family → bare name → definitions. Kept compact
 * because vmlinux has 71k entities per side and nearly all have a single
 * definition: such a name maps to its raw id, a name with several distinct
 * definitions to `-(k + 1)`, k indexing `multi`. Keyed in two levels so no
 * `family + name` string is built per type (hashing 140k fresh
 * concatenations was a third of a kernel diff).
 */
export interface EntityIndex {
  readonly byFamily: ReadonlyMap<EntityFamily, ReadonlyMap<string, number>>;
  readonly multi: readonly EntityDef[][];
  readonly btf: Btf;
}

/** The definitions behind an index entry (undefined entry: none). */
export function definitionsOf(index: EntityIndex, entry: number | undefined): EntityDef[] {
  if (entry === undefined) return [];
  if (entry > 0) return [{ ids: [entry], type: typeById(index.btf, entry)! }];
  return index.multi[-entry - 1];
}

/**
 * Collect one side's entities. Identical definitions of one name collapse
 * (duplicates); only names met more than once need the equality check
 * (19 of 71k in vmlinux), done once all their ids are known.
 */
export function collectEntities(btf: Btf, side: Side, eq: DefinitionEquality): EntityIndex {
  const byFamily = new Map<EntityFamily, Map<string, number>>();
  // Raw ids of each name met more than once, ascending; -(k + 1) in byName points at repeated[k].
  const repeated: number[][] = [];
  const n = typeCount(btf);
  for (let id = 1; id <= n; id++) {
    const t = typeById(btf, id)!;
    const family = entityFamily(t);
    if (family === undefined) continue;
    let byName = byFamily.get(family);
    if (!byName) {
      byName = new Map();
      byFamily.set(family, byName);
    }
    const entry = byName.get(t.name);
    if (entry === undefined) byName.set(t.name, id);
    else if (entry > 0) {
      repeated.push([entry, id]);
      byName.set(t.name, -repeated.length);
    } else repeated[-entry - 1].push(id);
  }
  const signatures = new Map<number, string>();
  const classes = manyDefinitionClasses(repeated, btf, side, eq, signatures);
  const buckets: Buckets = { byDefs: new Map(), signatures, classes, byClass: new Map() };
  const multi = repeated.map((ids) => definitionsAmong(ids, btf, side, eq, buckets));
  return { byFamily, multi, btf };
}

/** The distinct definitions among the ids of one name, in order of first appearance, each with its duplicates. */
function definitionsAmong(ids: readonly number[], btf: Btf, side: Side, eq: DefinitionEquality, buckets: Buckets): EntityDef[] {
  const defs: EntityDef[] = [];
  for (const id of ids) {
    const d = defs.length === 0 ? undefined : findSame(defs, id, btf, side, eq, buckets);
    if (d) d.ids.push(id);
    else addDefinition(defs, { ids: [id], type: typeById(btf, id)! }, btf, buckets);
  }
  return defs;
}

/**
 * From this many definitions of one name with one shapeSignature on, they
 * are told apart by canonical class (one refinement of their closure for
 * the whole side) instead of being compared with each other: pairwise, 20k
 * typedefs of one name over each other took minutes (issue 14). Counted
 * per signature, not per name: gcc's ~240 anonymous FUNCs per kernel unit
 * fall into signature buckets of a few each, and refining their closure
 * (most of the unit's graph) was the largest part of a unit's diff. A
 * bucket below the threshold costs at most the pairwise walks a name with
 * that many definitions costs anyway.
 */
export const MANY_DEFINITIONS = 64;

/** Canonical classes of the ids in signature groups of MANY_DEFINITIONS or more (of the names met that often); empty when there are none. */
function manyDefinitionClasses(repeated: readonly number[][], btf: Btf, side: Side, eq: DefinitionEquality, signatures: Map<number, string>): ClassLookup {
  const roots: number[] = [];
  for (const ids of repeated) {
    if (ids.length < MANY_DEFINITIONS) continue;
    const bySignature = new Map<string, number[]>();
    for (const id of ids) bucketOf(bySignature, shapeSignature(btf, id, SIGNATURE_DEPTH, signatures)).push(id);
    for (const group of bySignature.values()) if (group.length >= MANY_DEFINITIONS) pushAll(roots, group);
  }
  return roots.length === 0 ? new Map() : eq.classesWithin(side, roots);
}

/**
 * From this many definitions on, a name's definitions are also kept in
 * buckets by shapeSignature, and a new one is compared only with its
 * bucket: gcc -gbtf gives ~240 anonymous FUNCs per kernel unit, and
 * comparing each with all the others was a fifth of a unit's diff.
 */
const BUCKET_FROM = 8;
const SIGNATURE_DEPTH = 3;

/** Signature buckets of the names that have many definitions. */
interface Buckets {
  readonly byDefs: Map<EntityDef[], Map<string, EntityDef[]>>;
  /** shapeSignature's memo for this graph. */
  readonly signatures: Map<number, string>;
  /** Classes of the definitions in big signature groups (manyDefinitionClasses). */
  readonly classes: ClassLookup;
  /** For names with such definitions: those definitions by class. */
  readonly byClass: Map<EntityDef[], Map<number, EntityDef>>;
}

/**
 * The definition among `defs` that is the same type as `id`, if any.
 * Definitions are pairwise different, so at most one matches: the bucket
 * (which holds every definition with the same signature) finds the same
 * one as a scan of all of them.
 */
function findSame(defs: EntityDef[], id: number, btf: Btf, side: Side, eq: DefinitionEquality, buckets: Buckets): EntityDef | undefined {
  const c = buckets.classes.get(id);
  if (c !== undefined) return classIndex(defs, buckets).get(c);
  const byShape = buckets.byDefs.get(defs);
  // Usually one or two definitions per name: a linear search is cheapest.
  if (!byShape) return defs.find((x) => eq.sameWithin(side, x.ids[0], id));
  return byShape.get(shapeSignature(btf, id, SIGNATURE_DEPTH, buckets.signatures))?.find((x) => eq.sameWithin(side, x.ids[0], id));
}

/** The definitions of a name with many, by class (made on first use, kept up to date by addDefinition). */
function classIndex(defs: EntityDef[], buckets: Buckets): Map<number, EntityDef> {
  let m = buckets.byClass.get(defs);
  if (!m) {
    m = new Map();
    // Definitions outside the big signature groups have no class (and can never equal one that has).
    for (const d of defs) {
      const c = buckets.classes.get(d.ids[0]);
      if (c !== undefined) m.set(c, d);
    }
    buckets.byClass.set(defs, m);
  }
  return m;
}

function addDefinition(defs: EntityDef[], d: EntityDef, btf: Btf, buckets: Buckets): void {
  defs.push(d);
  const c = buckets.classes.get(d.ids[0]);
  if (c !== undefined) {
    classIndex(defs, buckets).set(c, d);
    return;
  }
  let byShape = buckets.byDefs.get(defs);
  if (!byShape) {
    if (defs.length < BUCKET_FROM) return;
    byShape = new Map();
    buckets.byDefs.set(defs, byShape);
    for (const x of defs) bucketOf(byShape, shapeSignature(btf, x.ids[0], SIGNATURE_DEPTH, buckets.signatures)).push(x);
    return;
  }
  bucketOf(byShape, shapeSignature(btf, d.ids[0], SIGNATURE_DEPTH, buckets.signatures)).push(d);
}

function bucketOf<T>(byShape: Map<string, T[]>, key: string): T[] {
  let b = byShape.get(key);
  if (!b) {
    b = [];
    byShape.set(key, b);
  }
  return b;
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

export function pairDefinitions(
  left: readonly EntityDef[],
  right: readonly EntityDef[],
  eq: DefinitionEquality,
  rightPreference?: (rightId: number) => number,
): Pairing {
  if (left.length === 1 && right.length === 1) return { pairs: [[left[0], right[0]]], leftOnly: [], rightOnly: [] };
  // Nothing to pair (gcc's ~240 anonymous FUNCs per kernel unit have no pahole counterpart): no classes needed.
  if (left.length === 0 || right.length === 0) return { pairs: [], leftOnly: [...left], rightOnly: [...right] };
  const { pairs, restL, restR } =
    left.length >= MANY_DEFINITIONS || right.length >= MANY_DEFINITIONS ? identicalByClass(left, right, eq) : identicalByWalk(left, right, eq);
  if (restL.length === 1 && restR.length === 1) return { pairs: [...pairs, [restL[0], restR[0]]], leftOnly: [], rightOnly: [] };
  if (restL.length * restR.length > MAX_CANDIDATES) return inClassOrder(pairs, restL, restR, eq);
  // Greedy best-first; ties broken by canonical class, so the result depends on structure only.
  const candidates: Array<{ l: EntityDef; r: EntityDef; s: number; lc: number; rc: number }> = [];
  for (const l of restL) for (const r of restR) candidates.push({ l, r, s: similarity(l.type, r.type) + (rightPreference?.(r.ids[0]) ?? 0), lc: 0, rc: 0 });
  // Classes cost a joint canonicalisation: fetch them only if some similarities tie.
  if (new Set(candidates.map((c) => c.s)).size < candidates.length) {
    for (const c of candidates) {
      c.lc = eq.classOf('left', c.l);
      c.rc = eq.classOf('right', c.r);
    }
  }
  candidates.sort((a, b) => b.s - a.s || a.lc - b.lc || a.rc - b.rc);
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

/** Past this many (left, right) candidates the similarity ranking (quadratic) gives way to pairing in class order. */
const MAX_CANDIDATES = 1 << 16;

interface Identical {
  readonly pairs: Array<[EntityDef, EntityDef]>;
  readonly restL: EntityDef[];
  readonly restR: EntityDef[];
}

/**
 * Definitions on one side are pairwise different, so each has at most
 * one identical partner and the order of this loop does not matter.
 */
function identicalByWalk(left: readonly EntityDef[], right: readonly EntityDef[], eq: DefinitionEquality): Identical {
  const pairs: Array<[EntityDef, EntityDef]> = [];
  const restL: EntityDef[] = [];
  const restR = [...right];
  for (const l of left) {
    const k = restR.findIndex((r) => eq.same(l.ids[0], r.ids[0]));
    if (k >= 0) pairs.push([l, restR.splice(k, 1)[0]]);
    else restL.push(l);
  }
  return { pairs, restL, restR };
}

/** The same pairs as identicalByWalk, by joint class: linear instead of left × right walks. */
function identicalByClass(left: readonly EntityDef[], right: readonly EntityDef[], eq: DefinitionEquality): Identical {
  const byClass = new Map(right.map((r) => [eq.classOf('right', r), r]));
  const pairs: Array<[EntityDef, EntityDef]> = [];
  const restL: EntityDef[] = [];
  const taken = new Set<EntityDef>();
  for (const l of left) {
    const r = byClass.get(eq.classOf('left', l));
    if (r !== undefined) {
      pairs.push([l, r]);
      taken.add(r);
    } else restL.push(l);
  }
  return { pairs, restL, restR: right.filter((r) => !taken.has(r)) };
}

/**
 * Thousands of different definitions of one name on both sides (hostile
 * input, no real program): pair them in joint class order, which depends
 * on structure only, and leave the surplus of the longer side unpaired.
 */
function inClassOrder(pairs: Array<[EntityDef, EntityDef]>, restL: EntityDef[], restR: EntityDef[], eq: DefinitionEquality): Pairing {
  const sorted = (defs: EntityDef[], side: Side): EntityDef[] =>
    defs
      .map((d) => ({ d, c: eq.classOf(side, d) }))
      .sort((a, b) => a.c - b.c)
      .map((x) => x.d);
  const l = sorted(restL, 'left');
  const r = sorted(restR, 'right');
  const k = Math.min(l.length, r.length);
  for (let i = 0; i < k; i++) pairs.push([l[i], r[i]]);
  return { pairs, leftOnly: l.slice(k), rightOnly: r.slice(k) };
}
