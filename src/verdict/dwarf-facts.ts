/**
 * The facts a DWARF verdict needs: per named type, function and variable,
 * what the compiler said about it. Computed from a DIE tree (dwarf-die.ts),
 * which the object's DWARF read in-process gives (src/artifact/dwarf-info.ts),
 * or, when that reader declines, the `llvm-dwarfdump --debug-info` text
 * parsed here (src/witness/dwarf.ts runs the reader). Plain JSON data, so it
 * is cached with the unit's artifacts. Pure.
 */
import type { Die, DieAttrs, DieTree } from '../artifact/dwarf-die.js';

/** An array's shape as DWARF gives it: the element type and one subrange per dimension. */
export interface DwarfDims {
  /** DWARF's name of the element type (`int`, `unsigned char`). */
  readonly element: string;
  /** Element count per dimension, outermost first; null when a subrange has no bound (flexible). */
  readonly counts: readonly (number | null)[];
  /** The subranges as printed, for quoting: `upper_bound 1, 2`. */
  readonly bounds: string;
}

export interface DwarfMember {
  readonly name: string;
  /** DW_AT_type as llvm-dwarfdump names it (`int[2][3]`, `grid *`). */
  readonly type: string;
  readonly bitOffset?: number;
  readonly bitSize?: number;
  readonly dims?: DwarfDims;
}

export interface DwarfType {
  readonly tag: string;
  readonly size?: number;
  /** DW_AT_encoding of a base type or enumeration (`DW_ATE_signed_char`). */
  readonly encoding?: string;
  /** DW_AT_type: an enumeration's underlying type, a typedef's target. */
  readonly type?: string;
  readonly dims?: DwarfDims;
  readonly members?: readonly DwarfMember[];
  /** Enumerators with their DW_AT_const_value as a decimal C value (sign-extended for a signed enumeration). */
  readonly enumerators?: readonly (readonly [string, string])[];
}

export interface DwarfObject {
  readonly external: boolean;
  /** DW_AT_declaration: only declared in this unit (extern). */
  readonly declaration: boolean;
  /** DW_AT_type (`void` when absent: a function returning nothing). */
  readonly type: string;
  readonly dims?: DwarfDims;
  /** A function's parameters, in order. */
  readonly params?: readonly { readonly name: string; readonly type: string }[];
  /** Declared inside a function (a static local). */
  readonly local?: boolean;
}

export interface DwarfFacts {
  /** By entity text: `struct grid`, `union u`, `enum e`, `typedef t`, `int` (base types by name). */
  readonly types: Readonly<Record<string, DwarfType>>;
  readonly funcs: Readonly<Record<string, DwarfObject>>;
  readonly vars: Readonly<Record<string, DwarfObject>>;
}

/**
 * The attribute names the text parser keeps (what the facts below read, by
 * dwarf-die.ts DieAttrs); a kernel unit's dump is mostly producer, decl_*
 * and pc attributes nobody reads, and keeping them was most of the parse's
 * garbage. A new attribute read below must be added here and to storeAttr.
 */
const KEPT_ATTRS: readonly string[] = [
  'DW_AT_name',
  'DW_AT_type',
  'DW_AT_declaration',
  'DW_AT_external',
  'DW_AT_location',
  'DW_AT_byte_size',
  'DW_AT_encoding',
  'DW_AT_data_member_location',
  'DW_AT_data_bit_offset',
  'DW_AT_bit_size',
  'DW_AT_count',
  'DW_AT_upper_bound',
  'DW_AT_const_value',
];

/** KEPT_ATTRS by length: a line's name is matched in place, without slicing it out. */
const KEPT_BY_LENGTH: ReadonlyMap<number, readonly string[]> = (() => {
  const m = new Map<number, string[]>();
  for (const a of KEPT_ATTRS) m.set(a.length, [...(m.get(a.length) ?? []), a]);
  return m;
})();

const CH_TAB = 9;
const CH_SPACE = 32;
const CH_PAREN_OPEN = 40;
const CH_PAREN_CLOSE = 41;
const CH_0 = 48;
const CH_COLON = 58;

/** Is `c` a char of JavaScript's `\s` (what the line grammar below means by white space)? */
function isSpace(c: number): boolean {
  if (c === CH_SPACE || c === CH_TAB) return true;
  if (c < 128) return c >= 10 && c <= 13;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Is `c` a char of `\w`? */
function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= CH_0 && c <= 57) || c === 95;
}

/** Value of the lowercase hex digit `c`, or -1. */
function hexDigit(c: number): number {
  if (c >= CH_0 && c <= 57) return c - CH_0;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** A line terminator other than `\n` (what `.` does not match inside a line). */
const OTHER_LINE_BREAK = /[\r\u2028\u2029]/;

/** Does the text hold any OTHER_LINE_BREAK (`includes` is a fast scan, and instant for a wide char in a one-byte string)? */
function hasOtherLineBreak(text: string): boolean {
  return text.includes('\r') || text.includes('\u2028') || text.includes('\u2029');
}

/**
 * The DIE tree of a dump, scanned line by line in place (no split, no
 * per-line regex): a tag line is `0xOFFSET:<indent>DW_TAG_x` (or `NULL`,
 * which closes the current DIE's attributes), its indent giving the depth;
 * an attribute line is `<indent>DW_AT_x<space>(VALUE)<space>`, VALUE
 * running to the line's last `)`. Anything else is skipped.
 */
function parseDies(text: string): DieTree {
  const roots: Die[] = [];
  const byOffset = new Map<number, Die>();
  const depths: number[] = [];
  const open: Die[] = [];
  // Only a text holding such a char can have a value `.` would not span.
  const checkBreaks = hasOtherLineBreak(text);
  let current: Die | undefined;
  const n = text.length;
  for (let start = 0; start <= n; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const first = start < end ? text.charCodeAt(start) : -1;
    if (first === CH_0) {
      const tag = tagLine(text, start, end);
      if (tag !== undefined) {
        if (tag.tag === 'NULL') current = undefined;
        else {
          const die: Die = { offset: tag.offset, tag: tag.tag, attrs: {}, children: [] };
          while (depths.length > 0 && depths[depths.length - 1] >= tag.depth) {
            depths.pop();
            open.pop();
          }
          const parent = open[open.length - 1];
          if (parent === undefined) roots.push(die);
          else parent.children.push(die);
          depths.push(tag.depth);
          open.push(die);
          byOffset.set(die.offset, die);
          current = die;
        }
      }
    } else if (current !== undefined && first >= 0 && isSpace(first)) {
      attrLine(text, start, end, current, checkBreaks);
    }
    start = end + 1;
  }
  return { roots, byOffset };
}

/** A tag line's offset, indent and tag (`NULL` included), or undefined when the line is none. */
function tagLine(text: string, start: number, end: number): { offset: number; depth: number; tag: string } | undefined {
  if (text.charCodeAt(start + 1) !== 120 /* x */) return undefined;
  let i = start + 2;
  let offset = 0;
  while (i < end && hexDigit(text.charCodeAt(i)) >= 0) offset = offset * 16 + hexDigit(text.charCodeAt(i++));
  const digits = i - start - 2;
  if (digits === 0 || i >= end || text.charCodeAt(i) !== CH_COLON) return undefined;
  // Past 13 digits a running sum can round differently from parseInt.
  if (digits > 13) offset = Number.parseInt(text.slice(start, i), 16);
  const indentAt = ++i;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const depth = i - indentAt;
  if (depth === 0) return undefined;
  if (text.startsWith('DW_TAG_', i)) {
    let j = i + 7;
    while (j < end && isWord(text.charCodeAt(j))) j++;
    return j > i + 7 ? { offset, depth, tag: text.slice(i, j) } : undefined;
  }
  return text.startsWith('NULL', i) && i + 4 <= end ? { offset, depth, tag: 'NULL' } : undefined;
}

/** The kept attribute name text[from, to) spells, or undefined. */
function keptName(text: string, from: number, to: number): string | undefined {
  for (const a of KEPT_BY_LENGTH.get(to - from) ?? []) if (text.startsWith(a, from)) return a;
  return undefined;
}

/** Record a kept attribute of an attribute line on `die` (a later one of the same name wins). */
function attrLine(text: string, start: number, end: number, die: Die, checkBreaks: boolean): void {
  let i = start + 1;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  if (!text.startsWith('DW_AT_', i) || i + 6 > end) return;
  let j = i + 6;
  while (j < end && isWord(text.charCodeAt(j))) j++;
  if (j === i + 6) return;
  const name = keptName(text, i, j);
  if (name === undefined) return;
  let k = j;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  if (k === j || k >= end || text.charCodeAt(k) !== CH_PAREN_OPEN) return;
  let close = end - 1;
  while (close > k && isSpace(text.charCodeAt(close))) close--;
  if (close <= k || text.charCodeAt(close) !== CH_PAREN_CLOSE) return;
  const value = text.slice(k + 1, close);
  if (checkBreaks && OTHER_LINE_BREAK.test(value)) return;
  storeAttr(die.attrs, name, value);
}

/** A kept attribute's printed value, given the meaning DieAttrs says (a later one of the same name wins). */
function storeAttr(attrs: DieAttrs, name: string, v: string): void {
  switch (name) {
    case 'DW_AT_name':
      attrs.name = quoted(v);
      return;
    case 'DW_AT_type':
      attrs.type = { target: hexPrefix(v), text: quoted(v) };
      return;
    case 'DW_AT_declaration':
      attrs.declaration = true;
      return;
    case 'DW_AT_external':
      attrs.external = true;
      return;
    case 'DW_AT_location':
      attrs.location = true;
      return;
    case 'DW_AT_byte_size':
      attrs.byteSize = num(v);
      return;
    case 'DW_AT_data_member_location':
      attrs.memberLocation = num(v);
      return;
    case 'DW_AT_data_bit_offset':
      attrs.dataBitOffset = num(v);
      return;
    case 'DW_AT_bit_size':
      attrs.bitSize = num(v);
      return;
    case 'DW_AT_count':
      attrs.count = { value: num(v) };
      return;
    case 'DW_AT_upper_bound':
      attrs.upperBound = { value: num(v) };
      return;
    case 'DW_AT_encoding':
      attrs.encoding = v;
      return;
    case 'DW_AT_const_value':
      attrs.constValue = v;
      return;
  }
}

/** A printed value's string payload: `"x"` → x, `0x2e "int[3]"` → int[3], `-1` → -1. */
function quoted(v: string): string {
  const q = /"((?:[^"\\]|\\.)*)"/.exec(v);
  return q ? q[1] : v;
}

/** The number a printed value starts with (`0x08`, `-1`, `4`), or undefined (an expression). */
function num(v: string): number | undefined {
  const m = /^(0x[0-9a-f]+|-?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

function ref(die: Die, byOffset: ReadonlyMap<number, Die>): Die | undefined {
  const offset = die.attrs.type?.target;
  return offset !== undefined ? byOffset.get(offset) : undefined;
}

/** The number a leading `0x` and lowercase hex digits spell, or undefined. */
function hexPrefix(v: string): number | undefined {
  if (v.charCodeAt(0) !== CH_0 || v.charCodeAt(1) !== 120 /* x */) return undefined;
  let i = 2;
  let value = 0;
  for (let d = hexDigit(v.charCodeAt(i)); d >= 0; d = hexDigit(v.charCodeAt(++i))) value = value * 16 + d;
  if (i === 2) return undefined;
  // Past 13 digits a running sum can round differently from parseInt.
  return i - 2 > 13 ? Number.parseInt(v.slice(0, i), 16) : value;
}

/** C-like name of the type `die` names by DW_AT_type (`struct grid *`, `_Atomic int *`, `int[2][3]`); `void` when none. */
function typeName(die: Die, byOffset: ReadonlyMap<number, Die>, depth = 0): string {
  const t = ref(die, byOffset);
  if (!t) return 'void';
  if (depth > 16) return '...';
  const name = t.attrs.name;
  switch (t.tag) {
    case 'DW_TAG_base_type':
    case 'DW_TAG_typedef':
      return name ?? '?';
    case 'DW_TAG_structure_type':
      return `struct ${name ?? '{...}'}`;
    case 'DW_TAG_union_type':
      return `union ${name ?? '{...}'}`;
    case 'DW_TAG_enumeration_type':
      return `enum ${name ?? '{...}'}`;
    case 'DW_TAG_pointer_type':
      return `${typeName(t, byOffset, depth + 1)} *`;
    case 'DW_TAG_const_type':
      return `const ${typeName(t, byOffset, depth + 1)}`;
    case 'DW_TAG_volatile_type':
      return `volatile ${typeName(t, byOffset, depth + 1)}`;
    case 'DW_TAG_restrict_type':
      return `restrict ${typeName(t, byOffset, depth + 1)}`;
    case 'DW_TAG_atomic_type':
      return `_Atomic ${typeName(t, byOffset, depth + 1)}`;
    case 'DW_TAG_array_type': {
      // dimsOf names the element at this depth (t is the array itself): one walk, and a cycle of arrays meets the bound.
      const d = dimsOf(die, byOffset, depth + 1);
      return `${d?.element ?? '?'}${(d?.counts ?? []).map((c) => `[${c ?? ''}]`).join('')}`;
    }
    case 'DW_TAG_subroutine_type':
      return 'function';
    default:
      // Only the text route has llvm's name for other tags (the in-process reader declines such a unit).
      return die.attrs.type?.text ?? '?';
  }
}

const QUALIFIERS = new Set(['DW_TAG_const_type', 'DW_TAG_volatile_type', 'DW_TAG_restrict_type', 'DW_TAG_atomic_type']);

/** The shape of the array `die`'s DW_AT_type names (through qualifiers, not typedefs); `depth` is typeName's, for its element. */
function dimsOf(die: Die, byOffset: ReadonlyMap<number, Die>, depth = 0): DwarfDims | undefined {
  let t = ref(die, byOffset);
  for (let i = 0; t && QUALIFIERS.has(t.tag) && i < 8; i++) t = ref(t, byOffset);
  if (t?.tag !== 'DW_TAG_array_type') return undefined;
  const subs = t.children.filter((c) => c.tag === 'DW_TAG_subrange_type');
  const counts = subs.map((s) => {
    const count = s.attrs.count?.value;
    if (count !== undefined) return count;
    const ub = s.attrs.upperBound?.value;
    return ub !== undefined ? ub + 1 : null;
  });
  const bounds = subs
    .map((s) =>
      s.attrs.count !== undefined ? `count ${s.attrs.count.value}` : s.attrs.upperBound !== undefined ? `upper_bound ${s.attrs.upperBound.value}` : 'no bound',
    )
    .join(', ');
  return { element: typeName(t, byOffset, depth), counts, bounds };
}

const TYPE_KEYWORD: Readonly<Record<string, string>> = {
  DW_TAG_structure_type: 'struct',
  DW_TAG_union_type: 'union',
  DW_TAG_enumeration_type: 'enum',
  DW_TAG_typedef: 'typedef',
};

/** The facts of an `llvm-dwarfdump --debug-info` text (the fallback when the object's DWARF is not read in-process). */
export function parseDwarfFacts(dump: string): DwarfFacts {
  return dwarfFacts(parseDies(dump));
}

/** Every type, function and variable of every compile unit of the tree; the first definition of a name wins. */
export function dwarfFacts({ roots, byOffset }: DieTree): DwarfFacts {
  const types: Record<string, DwarfType> = {};
  const funcs: Record<string, DwarfObject> = {};
  const vars: Record<string, DwarfObject> = {};
  const visit = (die: Die, inFunction: boolean): void => {
    const name = die.attrs.name;
    const declaration = die.attrs.declaration === true;
    if (name !== undefined && (TYPE_KEYWORD[die.tag] !== undefined || die.tag === 'DW_TAG_base_type')) {
      const key = die.tag === 'DW_TAG_base_type' ? name : `${TYPE_KEYWORD[die.tag]} ${name}`;
      if (!declaration && !Object.hasOwn(types, key)) types[key] = typeFact(die, byOffset);
    } else if (name !== undefined && die.tag === 'DW_TAG_subprogram') {
      const prev = funcs[name];
      if (!prev || (prev.declaration && !declaration)) {
        const params = die.children.filter((c) => c.tag === 'DW_TAG_formal_parameter').map((p) => ({ name: p.attrs.name ?? '', type: typeName(p, byOffset) }));
        funcs[name] = { external: die.attrs.external === true, declaration, type: typeName(die, byOffset), params };
      }
    } else if (name !== undefined && die.tag === 'DW_TAG_variable' && (!inFunction || die.attrs.location === true)) {
      const prev = vars[name];
      if (!prev || (prev.declaration && !declaration)) {
        const dims = dimsOf(die, byOffset);
        vars[name] = {
          external: die.attrs.external === true,
          declaration,
          type: typeName(die, byOffset),
          ...(dims ? { dims } : {}),
          ...(inFunction ? { local: true } : {}),
        };
      }
    }
    for (const c of die.children) visit(c, inFunction || die.tag === 'DW_TAG_subprogram');
  };
  for (const r of roots) visit(r, false);
  return { types, funcs, vars };
}

function typeFact(die: Die, byOffset: ReadonlyMap<number, Die>): DwarfType {
  const size = die.attrs.byteSize;
  const encoding = die.attrs.encoding;
  const type = die.attrs.type !== undefined ? typeName(die, byOffset) : undefined;
  const dims = die.tag === 'DW_TAG_typedef' ? dimsOf(die, byOffset) : undefined;
  const members =
    die.tag === 'DW_TAG_structure_type' || die.tag === 'DW_TAG_union_type'
      ? die.children
          .filter((c) => c.tag === 'DW_TAG_member')
          .map((m): DwarfMember => {
            const byteOff = m.attrs.memberLocation;
            const bitOff = m.attrs.dataBitOffset ?? (byteOff !== undefined ? byteOff * 8 : die.tag === 'DW_TAG_union_type' ? 0 : undefined);
            const bitSize = m.attrs.bitSize;
            const d = dimsOf(m, byOffset);
            return {
              name: m.attrs.name ?? '',
              type: typeName(m, byOffset),
              ...(bitOff !== undefined ? { bitOffset: bitOff } : {}),
              ...(bitSize !== undefined ? { bitSize } : {}),
              ...(d ? { dims: d } : {}),
            };
          })
      : undefined;
  const enumerators =
    die.tag === 'DW_TAG_enumeration_type'
      ? die.children
          .filter((c) => c.tag === 'DW_TAG_enumerator')
          .map((e) => [e.attrs.name ?? '', constValue(e.attrs.constValue ?? '', enumSigned(die, byOffset))] as const)
      : undefined;
  return {
    tag: die.tag,
    ...(size !== undefined ? { size } : {}),
    ...(encoding !== undefined ? { encoding } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(dims ? { dims } : {}),
    ...(members ? { members } : {}),
    ...(enumerators ? { enumerators } : {}),
  };
}

/** Is the enumeration's underlying type signed (its DW_AT_type, else its own DW_AT_encoding)? */
function enumSigned(die: Die, byOffset: ReadonlyMap<number, Die>): boolean {
  const base = ref(die, byOffset);
  const enc = base?.attrs.encoding ?? die.attrs.encoding ?? '';
  return /DW_ATE_signed/.test(enc);
}

/**
 * A DW_AT_const_value as a decimal: llvm-dwarfdump prints DW_FORM_sdata in
 * decimal and DW_FORM_dataN in hex of the form's width (`0x01`, `0xffffffff`,
 * 16 digits for data8), which a signed enumeration sign-extends.
 */
export function constValue(printed: string, signed: boolean): string {
  const hex = /^0x([0-9a-f]+)$/.exec(printed);
  if (!hex) return printed;
  const v = BigInt(`0x${hex[1]}`);
  const bits = BigInt(hex[1].length * 4);
  if (signed && bits > 0n && v >= 1n << (bits - 1n)) return (v - (1n << bits)).toString();
  return v.toString();
}
