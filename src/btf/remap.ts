/**
 * Re-home a type in another id space: give it a new id and pass every
 * type reference it holds through `map` (the fields refs.ts lists), for
 * merging and renumbering.
 */
import { type BtfType, hasSingleRef } from './types.js';

export function remapType(t: BtfType, id: number, map: (ref: number) => number): BtfType {
  if (hasSingleRef(t)) return { ...t, id, type: map(t.type) };
  switch (t.kind) {
    case 'ARRAY':
      return { ...t, id, type: map(t.type), indexType: map(t.indexType) };
    case 'STRUCT':
    case 'UNION':
      return { ...t, id, members: t.members.map((m) => ({ ...m, type: map(m.type) })) };
    case 'FUNC_PROTO':
      return { ...t, id, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, type: map(p.type) })) };
    case 'DATASEC':
      return { ...t, id, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
    default:
      return { ...t, id };
  }
}
