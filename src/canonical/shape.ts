/**
 * The local shape of a BTF type: everything about it except the ids it
 * refers to. Two types can only be the same if their shapes are equal;
 * partition refinement (refine.ts) then tells apart types whose shapes agree
 * but whose referenced types differ.
 *
 * The shape string is also the canonical dump line with the references
 * left out, so it is written to be read: `STRUCT 'list' size=24 ...`.
 * Names are JSON-quoted so that no name can forge a separator.
 */
import type { BtfType } from '../btf/types.js';

/** Quote a name unambiguously; plain identifiers (nearly all names) skip JSON escaping. */
const q = (s: string): string => (/^[\w.$ ]*$/.test(s) ? `"${s}"` : JSON.stringify(s));

function linkageText(l: string | number): string {
  return typeof l === 'number' ? `linkage(${l})` : l;
}

/**
 * The local shape. Every piece of a type that is not a type reference is
 * in it, and it also fixes how many references the type has (vlen is part
 * of every variable-length kind), so the reference lists of two types with
 * equal shapes line up position by position.
 */
export function localShape(t: BtfType): string {
  switch (t.kind) {
    case 'INT':
      return `INT ${q(t.name)} size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.bits} encoding=${t.encodingBits}`;
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return `${t.kind} ${q(t.name)}`;
    case 'ARRAY':
      return `ARRAY nr_elems=${t.nelems}`;
    case 'STRUCT':
    case 'UNION': {
      const ms = t.members.map((m) => `${q(m.name)}@${m.bitsOffset}${m.bitfieldSize ? `:${m.bitfieldSize}` : ''}`);
      return `${t.kind} ${q(t.name)} size=${t.size} kflag=${t.kindFlag ? 1 : 0} vlen=${t.members.length} {${ms.join(' ')}}`;
    }
    case 'ENUM':
    case 'ENUM64': {
      const vs = t.values.map((v) => `${q(v.name)}=${v.value}`);
      return `${t.kind} ${q(t.name)} size=${t.size} ${t.signed ? 'SIGNED' : 'UNSIGNED'} vlen=${t.values.length} {${vs.join(' ')}}`;
    }
    case 'FWD':
      return `FWD ${q(t.name)} fwd_kind=${t.fwdKind}`;
    case 'FUNC':
      return `FUNC ${q(t.name)} linkage=${linkageText(t.linkage)}`;
    case 'FUNC_PROTO':
      return `FUNC_PROTO vlen=${t.params.length} (${t.params.map((p) => q(p.name)).join(' ')})`;
    case 'VAR':
      return `VAR ${q(t.name)} linkage=${linkageText(t.linkage)}`;
    case 'DATASEC': {
      const vs = t.vars.map((v) => `@${v.offset}+${v.size}`);
      return `DATASEC ${q(t.name)} size=${t.size} vlen=${t.vars.length} {${vs.join(' ')}}`;
    }
    case 'FLOAT':
      return `FLOAT ${q(t.name)} size=${t.size}`;
    case 'DECL_TAG':
      return `DECL_TAG ${q(t.name)} component_idx=${t.componentIdx}`;
  }
}

/** The ids a type refers to, in a fixed order matching localShape's layout (0 = void). */
export function localRefs(t: BtfType): number[] {
  switch (t.kind) {
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
    case 'FUNC':
    case 'VAR':
    case 'DECL_TAG':
      return [t.type];
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
