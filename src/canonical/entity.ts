/**
 * Which types are entities (things the diff pairs across sides by name)
 * and what they are called. Entities live in name families that mirror C's
 * name spaces: struct, union, enum and their forward declarations share the
 * tag family, so `struct foo` as FWD on one side and STRUCT on the other
 * pair up (and differ in kind). Anonymous struct/union/enum types are not
 * entities: they are compared inline where they are used.
 */
import { isRef } from '../btf/kinds.js';
import type { BtfKindName, BtfType } from '../btf/types.js';
import { shownName } from '../btf/words.js';
import { assertNever } from '../lang.js';

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
  return f === undefined ? undefined : familyKey(f, t.name);
}

/** The key of the entity `name` in `family`; `keyName` reads the name back. */
export const familyKey = (family: EntityFamily, name: string): string => `${family}\u0000${name}`;
export const keyName = (key: string): string => key.slice(key.indexOf('\u0000') + 1);

/** The word an entity's name starts with; a base type (`int`, `unsigned int`, `double`) has none, and is `base` here. */
export const ENTITY_KEYWORDS = ['struct', 'union', 'enum', 'typedef', 'func', 'var', 'datasec'] as const;
export type EntityKeyword = (typeof ENTITY_KEYWORDS)[number] | 'base';

/**
 * An entity as data: the keyword and the bare name. What reports and rules
 * see is its text (`entityName`, `formatEntity`); `parseEntity` reads the
 * text back, so code that needs the parts never parses names itself.
 */
export interface EntityRef {
  readonly keyword: EntityKeyword;
  /** The name without its keyword; '' for an anonymous type (written `(anon)`). */
  readonly name: string;
}

const KEYWORD_OF: Partial<Record<BtfKindName, EntityKeyword>> = {
  STRUCT: 'struct',
  UNION: 'union',
  ENUM: 'enum',
  ENUM64: 'enum',
  TYPEDEF: 'typedef',
  FUNC: 'func',
  VAR: 'var',
  DATASEC: 'datasec',
};

/** The entity a type is, as data: a FWD is named by its flavour, like the definition it declares. */
export function entityRef(t: BtfType): EntityRef {
  return { keyword: t.kind === 'FWD' ? t.fwdKind : (KEYWORD_OF[t.kind] ?? 'base'), name: t.name };
}

/** `struct outer`, `typedef u32`, `int`, `func (anon)`. */
export function formatEntity(e: EntityRef): string {
  const name = shownName(e.name);
  return e.keyword === 'base' ? name : `${e.keyword} ${name}`;
}

/** An entity's text (as in Finding.entity, a baseline or `--entity`) read back into its parts. */
export function parseEntity(text: string): EntityRef {
  const space = text.indexOf(' ');
  const word = space < 0 ? '' : text.slice(0, space);
  const keyword = (ENTITY_KEYWORDS as readonly string[]).includes(word) && space + 1 < text.length ? (word as EntityKeyword) : 'base';
  const name = keyword === 'base' ? text : text.slice(space + 1);
  return { keyword, name: name === shownName('') ? '' : name };
}

/** The entity as C names it: `struct outer`, `enum color`, `typedef u32`, `int`, `func foo`, `var bar`, `datasec .bss`. */
export function entityName(t: BtfType): string {
  return formatEntity(entityRef(t));
}

/** A full STRUCT/UNION definition that a FWD of the same name and flavour declares. */
export function fwdDeclares(fwd: BtfType, def: BtfType): boolean {
  return fwd.kind === 'FWD' && fwd.name === def.name && (def.kind === 'STRUCT' || def.kind === 'UNION') && def.kind.toLowerCase() === fwd.fwdKind;
}

/** Whether a type is anonymous and compared inline (not an entity of its own). */
export function isInlineType(t: BtfType): boolean {
  return entityFamily(t) === undefined;
}
