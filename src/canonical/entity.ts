/**
 * Which types are entities (things the diff pairs across sides by name)
 * and what they are called. Entities live in name families that mirror C's
 * name spaces: struct, union, enum and their forward declarations share the
 * tag family, so `struct foo` as FWD on one side and STRUCT on the other
 * pair up (and differ in kind). Anonymous struct/union/enum types are not
 * entities: they are compared inline where they are used.
 */
import { isRef } from '../btf/kinds.js';
import type { BtfType } from '../btf/types.js';
import { shownName } from '../btf/words.js';
import { assertNever } from '../lang.js';
import { typeNameText } from './render.js';

export type EntityFamily = 'tag' | 'typedef' | 'base' | 'func' | 'var' | 'datasec';

export function entityFamily(t: BtfType): EntityFamily | undefined {
  // TYPEDEF is the one entity among the single-reference kinds.
  if (isRef(t)) return t.kind === 'TYPEDEF' ? 'typedef' : undefined;
  switch (t.kind) {
    case 'STRUCT':
    case 'UNION':
    case 'ENUM':
    case 'ENUM64':
      return t.name === '' ? undefined : 'tag';
    case 'FWD':
      return 'tag';
    case 'INT':
    case 'FLOAT':
      return 'base';
    case 'FUNC':
      return 'func';
    case 'VAR':
      return 'var';
    case 'DATASEC':
      return 'datasec';
    // Compared inline where they are used.
    case 'ARRAY':
    case 'FUNC_PROTO':
    case 'DECL_TAG':
      return undefined;
  }
  return assertNever(t);
}

/** Pairing key: family and bare name. Equal keys = the same entity on both sides. */
export function entityKey(t: BtfType): string | undefined {
  const f = entityFamily(t);
  return f === undefined ? undefined : `${f}\u0000${t.name}`;
}

/** The entity as C names it: `struct outer`, `enum color`, `typedef u32`, `int`, `func foo`, `var bar`, `datasec .bss`. */
export function entityName(t: BtfType): string {
  // The families outside C's type names are called by their family's word.
  const f = entityFamily(t);
  return f === 'typedef' || f === 'func' || f === 'var' || f === 'datasec' ? `${f} ${shownName(t.name)}` : typeNameText(t);
}

/** A full STRUCT/UNION definition that a FWD of the same name and flavour declares. */
export function fwdDeclares(fwd: BtfType, def: BtfType): boolean {
  return fwd.kind === 'FWD' && fwd.name === def.name && (def.kind === 'STRUCT' || def.kind === 'UNION') && def.kind.toLowerCase() === fwd.fwdKind;
}

/** Whether a type is anonymous and compared inline (not an entity of its own). */
export function isInlineType(t: BtfType): boolean {
  return entityFamily(t) === undefined;
}
