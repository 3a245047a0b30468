/**
 * Re-home a type in another id space: give it a new id and pass every
 * type reference it holds through `map`. The one place that knows which
 * fields of each kind are references, for merging and renumbering.
 */
import type { BtfType } from './types.js';

export function remapType(t: BtfType, id: number, map: (ref: number) => number): BtfType {
  switch (t.kind) {
    case 'INT':
    case 'ENUM':
    case 'ENUM64':
    case 'FWD':
    case 'FLOAT':
      return { ...t, id };
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
    case 'FUNC':
    case 'VAR':
    case 'DECL_TAG':
      return { ...t, id, type: map(t.type) };
    case 'ARRAY':
      return { ...t, id, type: map(t.type), indexType: map(t.indexType) };
    case 'STRUCT':
    case 'UNION':
      return { ...t, id, members: t.members.map((m) => ({ ...m, type: map(m.type) })) };
    case 'FUNC_PROTO':
      return { ...t, id, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, type: map(p.type) })) };
    case 'DATASEC':
      return { ...t, id, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
  }
}
