/**
 * The walks over the fields of a type that hold type ids and string
 * offsets, all driven by the one descriptor in kinds.ts (`KINDS[kind].ids`,
 * `.entries` and `ENTRIES`): visiting them (typeRefs, forEachRef, the flat
 * adjacency of btf-index.ts), mapping them (remapType) and checking them
 * (validate.ts). Canonicalisation, the pairwise equality, the diff's
 * "affected" walk and report assembly all follow references; each sees the
 * same set in the same order (the type's own ids, then its entries', in
 * record order), so no two of them can disagree about what a type depends on.
 */
import { type AnyKindFacts, ENTRIES, type EntryList, KINDS } from './kinds.js';
import type { BtfType } from './types.js';

/** A type seen as the descriptor sees it: id fields by name, entry lists by name. */
interface Fields {
  readonly [field: string]: unknown;
}
interface Entry {
  readonly type: number;
  readonly name: string;
  readonly nameOff: number;
}

const facts = (t: BtfType): AnyKindFacts => KINDS[t.kind];
const entryList = (t: BtfType, list: EntryList): readonly Entry[] => (t as unknown as Fields)[list] as readonly Entry[];

/** Call `visit` with every type id `t` refers to (0 = void included), in record order. */
export function forEachRef(t: BtfType, visit: (id: number) => void): void {
  const f = facts(t);
  for (let i = 0; i < f.ids.length; i++) visit((t as unknown as Fields)[f.ids[i][0]] as number);
  if (f.entries === undefined || ENTRIES[f.entries].ids === 'none') return;
  const es = entryList(t, f.entries);
  for (let i = 0; i < es.length; i++) visit(es[i].type);
}

/** The type ids `t` refers to (0 = void included), in record order. */
export function typeRefs(t: BtfType): number[] {
  const out: number[] = [];
  forEachRef(t, (id) => out.push(id));
  return out;
}

/**
 * Re-home a type in another id space: give it a new id and pass every
 * type id it holds through `map`, for merging and renumbering.
 */
export function remapType(t: BtfType, id: number, map: (ref: number) => number): BtfType {
  const f = facts(t);
  const out: Record<string, unknown> = { ...t, id };
  for (const [field] of f.ids) out[field] = map((t as unknown as Fields)[field] as number);
  if (f.entries !== undefined && ENTRIES[f.entries].ids !== 'none') out[f.entries] = entryList(t, f.entries).map((e) => ({ ...e, type: map(e.type) }));
  // Same kind, same fields, only ids replaced.
  return out as unknown as BtfType;
}

/** Call `visit` with every string offset `t` holds and its string: the type's name, then its entries'. */
export function forEachName(t: BtfType, visit: (off: number, name: string) => void): void {
  visit(t.nameOff, t.name);
  const list = facts(t).entries;
  if (list === undefined || !ENTRIES[list].named) return;
  for (const e of entryList(t, list)) visit(e.nameOff, e.name);
}

/** A copy of `t` whose own and entries' name offsets are mapped (names unchanged): the offsets forEachName visits. */
export function remapNames(t: BtfType, map: (off: number) => number): BtfType {
  const out: Record<string, unknown> = { ...t, nameOff: map(t.nameOff) };
  const list = facts(t).entries;
  if (list !== undefined && ENTRIES[list].named) out[list] = entryList(t, list).map((e) => ({ ...e, nameOff: map(e.nameOff) }));
  // Same kind, same fields, only name offsets replaced.
  return out as unknown as BtfType;
}
