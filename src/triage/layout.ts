/**
 * One side's view of an entity for a triage report: its raw records
 * (bpftool lines, with the anonymous types it refers to) and, for
 * structs, unions and enums, a layout table (offset/size/type per member,
 * or name/value per enumerator). Pure.
 */
import type { Btf, BtfKindName, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import type { EntityKeyword, EntityRef } from '../canonical/entity.js';
import { renderCType } from '../canonical/render.js';
import { typeWithAnonymousRefs } from '../report/involved-types.js';

export interface LayoutRow {
  readonly name: string;
  /** Byte offset (`8`), or `8 bit 3` inside a byte for bitfields; for enumerators empty. */
  readonly offset: string;
  /** Byte size (`4`), or `3 bits` for a bitfield; for enumerators the value. */
  readonly size: string;
  readonly type: string;
}

export interface SideView {
  /** bpftool-format lines of the entity and its anonymous referents. */
  readonly records: string;
  /** Header of the layout table (`struct matrix, 144 bytes`). */
  readonly title?: string;
  readonly rows?: readonly LayoutRow[];
}

/** The kinds of definition an entity's keyword names (a FWD is found by id only). */
const KINDS_OF: Readonly<Record<EntityKeyword, readonly BtfKindName[]>> = {
  struct: ['STRUCT'],
  union: ['UNION'],
  enum: ['ENUM', 'ENUM64'],
  typedef: ['TYPEDEF'],
  func: ['FUNC'],
  var: ['VAR'],
  datasec: ['DATASEC'],
  base: ['INT', 'FLOAT'],
};

/** The type a finding's entity names on one side (by id when the finding has it, else by name). */
export function entityType(btf: Btf, entity: EntityRef, id?: number): BtfType | undefined {
  if (id !== undefined) return typeById(btf, id);
  const want = KINDS_OF[entity.keyword];
  return btf.types.find((t) => want.includes(t.kind) && t.name === entity.name);
}

export function sideView(btf: Btf, t: BtfType | undefined): SideView | undefined {
  if (!t) return undefined;
  const records = typeWithAnonymousRefs(btf, t.id);
  if (t.kind === 'STRUCT' || t.kind === 'UNION') {
    const rows = t.members.map((m) => ({
      name: m.name === '' ? '(anon)' : m.name,
      offset: m.bitfieldSize || m.bitsOffset % 8 ? `${Math.floor(m.bitsOffset / 8)} bit ${m.bitsOffset % 8}` : String(m.bitsOffset / 8),
      size: m.bitfieldSize ? `${m.bitfieldSize} bits` : sizeText(btf, m.type),
      type: renderCType(btf, m.type),
    }));
    return { records, title: `${t.kind.toLowerCase()} ${t.name || '(anon)'}, ${t.size} bytes`, rows };
  }
  if (t.kind === 'ENUM' || t.kind === 'ENUM64') {
    const rows = t.values.map((v) => ({ name: v.name, offset: '', size: String(v.value), type: t.signed ? 'signed' : 'unsigned' }));
    return { records, title: `enum ${t.name || '(anon)'}, ${t.size} bytes, ${t.signed ? 'signed' : 'unsigned'}`, rows };
  }
  return { records };
}

/** Byte size of a type, following typedefs and qualifiers; `?` when it has none (void, functions). */
export function typeSize(btf: Btf, id: number, depth = 0): number | undefined {
  const t = typeById(btf, id);
  if (!t || depth > 64) return undefined;
  switch (t.kind) {
    case 'INT':
    case 'FLOAT':
    case 'STRUCT':
    case 'UNION':
    case 'ENUM':
    case 'ENUM64':
      return t.size;
    case 'PTR':
      return 8; // BTF has no pointer size; every target btfparity compiles for is LP64
    case 'ARRAY': {
      const e = typeSize(btf, t.type, depth + 1);
      return e === undefined ? undefined : e * t.nelems;
    }
    case 'TYPEDEF':
    case 'CONST':
    case 'VOLATILE':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return typeSize(btf, t.type, depth + 1);
    default:
      return undefined;
  }
}

function sizeText(btf: Btf, id: number): string {
  const s = typeSize(btf, id);
  return s === undefined ? '?' : String(s);
}
