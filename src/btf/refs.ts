/**
 * Which fields of a type are references to other types, in one place.
 * Canonicalisation, the pairwise equality, the diff's "affected" walk and
 * report assembly all follow references; each must see the same set in the
 * same order (members, then parameters, in record order), or two of them
 * would disagree about what a type depends on. `remapType` (remap.ts) and
 * the decoder's message-oriented `references` list the same fields.
 */
import { type BtfType, hasSingleRef } from './types.js';

/** The type ids `t` refers to (0 = void included), in record order. */
export function typeRefs(t: BtfType): number[] {
  if (hasSingleRef(t)) return [t.type];
  switch (t.kind) {
    case 'ARRAY':
      return [t.type, t.indexType];
    case 'STRUCT':
    case 'UNION':
      return t.members.map((m) => m.type);
    case 'FUNC_PROTO':
      return [t.returnType, ...t.params.map((p) => p.type)];
    case 'DATASEC':
      return t.vars.map((v) => v.type);
    default:
      return [];
  }
}
