/**
 * What the compiler's own DWARF says about an entity, to settle which
 * avenue departs from it. Reads the text of `llvm-dwarfdump --debug-info`
 * (the tool runs in sides.ts); this module is pure.
 *
 * Only the cases where DWARF is unambiguous get a verdict: an array
 * member's shape (DW_AT_type prints `double[4][4]`, one subrange per
 * dimension), an enum's signedness (the enumeration's DW_AT_type / DW_AT_encoding)
 * and an enumerator's presence/value. Everything else: no verdict, said so.
 */
import { type EntityKeyword, type EntityRef, parseEntity } from '../canonical/entity.js';
import type { Finding } from '../findings/finding.js';

export interface Die {
  readonly offset: string;
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: Die[];
}

/** DIE tree of every compile unit (roots are DW_TAG_compile_unit). */
export function parseDwarfDump(text: string): Die[] {
  const roots: Die[] = [];
  const stack: { depth: number; die: Die }[] = [];
  let current: { attrs: Record<string, string> } | undefined;
  for (const line of text.split('\n')) {
    const tag = /^(0x[0-9a-f]+):(\s+)(DW_TAG_\w+|NULL)/.exec(line);
    if (tag) {
      if (tag[3] === 'NULL') {
        current = undefined;
        continue;
      }
      const depth = tag[2].length;
      const die: Die = { offset: tag[1], tag: tag[3], attrs: {}, children: [] };
      while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
      if (stack.length === 0) roots.push(die);
      else stack[stack.length - 1].die.children.push(die);
      stack.push({ depth, die });
      current = die as { attrs: Record<string, string> };
      continue;
    }
    const attr = /^\s+(DW_AT_\w+)\s+\((.*)\)\s*$/.exec(line);
    if (attr && current) current.attrs[attr[1]] = attr[2];
  }
  return roots;
}

/** The attribute's string payload: `("x")` → x, `(0x2e "int[3]")` → int[3], `(-1)` → -1. */
export function attrText(die: Die, name: string): string | undefined {
  const v = die.attrs[name];
  if (v === undefined) return undefined;
  const q = /"((?:[^"\\]|\\.)*)"/.exec(v);
  return q ? q[1] : v;
}

function* walk(dies: readonly Die[]): Generator<Die> {
  for (const d of dies) {
    yield d;
    yield* walk(d.children);
  }
}

const TAG_OF: Partial<Record<EntityKeyword, string>> = { struct: 'DW_TAG_structure_type', union: 'DW_TAG_union_type', enum: 'DW_TAG_enumeration_type' };

/** The defining DIE of `struct foo` / `union u` / `enum e` (not a declaration). */
export function findEntityDie(dies: readonly Die[], entity: EntityRef): Die | undefined {
  const tag = TAG_OF[entity.keyword];
  if (tag === undefined) return undefined;
  for (const d of walk(dies)) {
    if (d.tag === tag && attrText(d, 'DW_AT_name') === entity.name && d.attrs.DW_AT_declaration === undefined) return d;
  }
  return undefined;
}

export type SideAgreement = 'matches' | 'departs' | 'unknown';

export interface DwarfVerdict {
  /** What DWARF says, in one phrase: `member m has type double[4][4]`. */
  readonly says: string;
  readonly left: SideAgreement;
  readonly right: SideAgreement;
}

/** The verdict for one finding, when DWARF settles it. */
export function dwarfVerdict(dies: readonly Die[], f: Finding): DwarfVerdict | undefined {
  const die = findEntityDie(dies, parseEntity(f.entity));
  if (!die) return undefined;
  if (f.category === 'signedness' && die.tag === 'DW_TAG_enumeration_type') {
    const base = attrText(die, 'DW_AT_type');
    const enc = die.attrs.DW_AT_encoding;
    const signed = base !== undefined ? !/unsigned/.test(base) : enc !== undefined ? /DW_ATE_signed/.test(enc) : undefined;
    if (signed === undefined) return undefined;
    const sideSigned = (text: string): boolean | undefined => (/UNSIGNED|unsigned/.test(text) ? false : /SIGNED|signed/.test(text) ? true : undefined);
    return {
      says: `the enumeration's underlying type is ${base ?? (signed ? 'signed' : 'unsigned')} (${signed ? 'signed' : 'unsigned'})`,
      left: agree(sideSigned(f.left), signed),
      right: agree(sideSigned(f.right), signed),
    };
  }
  if (f.category === 'array' && f.path !== '' && !f.path.includes('.')) {
    const member = die.children.find((c) => c.tag === 'DW_TAG_member' && attrText(c, 'DW_AT_name') === f.path);
    const type = member ? attrText(member, 'DW_AT_type') : undefined;
    if (!type?.includes('[')) return undefined;
    // Only the shape is compared: a finding about the index type shows `int` vs `long unsigned int`, which DWARF's C type name does not carry.
    if (!f.left.includes('[') || !f.right.includes('[')) return undefined;
    const norm = (s: string): string => s.replace(/\s+/g, '');
    return {
      says: `member ${f.path} has type ${type} (${type.split('[').length - 1} subrange(s))`,
      left: norm(f.left) === norm(type) ? 'matches' : 'departs',
      right: norm(f.right) === norm(type) ? 'matches' : 'departs',
    };
  }
  if (f.category === 'enum-value' && f.path.startsWith('enumerator ')) {
    const name = f.path.slice('enumerator '.length);
    const e = die.children.find((c) => c.tag === 'DW_TAG_enumerator' && attrText(c, 'DW_AT_name') === name);
    const value = e ? attrText(e, 'DW_AT_const_value') : undefined;
    const says = value !== undefined ? `enumerator ${name} = ${value}` : `no enumerator ${name}`;
    const side = (text: string): SideAgreement => {
      if (text === 'absent') return value === undefined ? 'matches' : 'departs';
      const v = /=\s*(-?\d+)/.exec(text)?.[1];
      if (v === undefined || value === undefined) return value === undefined ? 'departs' : 'unknown';
      // DWARF prints the C value; a side may print the same 32 bits unsigned.
      return BigInt(v) === BigInt(value) ? 'matches' : 'departs';
    };
    return { says, left: side(f.left), right: side(f.right) };
  }
  return undefined;
}

function agree(side: boolean | undefined, truth: boolean): SideAgreement {
  if (side === undefined) return 'unknown';
  return side === truth ? 'matches' : 'departs';
}

/** `DWARF says X; left matches, right departs`. */
export function verdictSentence(v: DwarfVerdict): string {
  return `DWARF says ${v.says}; left ${v.left === 'unknown' ? 'cannot be compared' : v.left}, right ${v.right === 'unknown' ? 'cannot be compared' : v.right}`;
}
