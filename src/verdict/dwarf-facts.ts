/**
 * The facts a DWARF verdict needs, read from `llvm-dwarfdump --debug-info`
 * text (src/witness/dwarf.ts runs the reader): per named type, function and
 * variable, what the compiler said about it. Plain JSON data, so it is
 * cached with the unit's artifacts. Pure.
 */

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

interface Die {
  readonly offset: number;
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly children: Die[];
  parent?: Die;
}

function parseDies(text: string): { roots: Die[]; byOffset: Map<number, Die> } {
  const roots: Die[] = [];
  const byOffset = new Map<number, Die>();
  const stack: { depth: number; die: Die }[] = [];
  let current: Die | undefined;
  for (const line of text.split('\n')) {
    const tag = /^(0x[0-9a-f]+):(\s+)(DW_TAG_\w+|NULL)/.exec(line);
    if (tag) {
      if (tag[3] === 'NULL') {
        current = undefined;
        continue;
      }
      const depth = tag[2].length;
      const die: Die = { offset: Number.parseInt(tag[1], 16), tag: tag[3], attrs: {}, children: [] };
      while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
      if (stack.length === 0) roots.push(die);
      else {
        const parent = stack[stack.length - 1].die;
        parent.children.push(die);
        die.parent = parent;
      }
      stack.push({ depth, die });
      byOffset.set(die.offset, die);
      current = die;
      continue;
    }
    const attr = /^\s+(DW_AT_\w+)\s+\((.*)\)\s*$/.exec(line);
    if (attr && current) current.attrs[attr[1]] = attr[2];
  }
  return { roots, byOffset };
}

/** The attribute's string payload: `("x")` → x, `(0x2e "int[3]")` → int[3], `(-1)` → -1. */
function text(die: Die, name: string): string | undefined {
  const v = die.attrs[name];
  if (v === undefined) return undefined;
  const q = /"((?:[^"\\]|\\.)*)"/.exec(v);
  return q ? q[1] : v;
}

function num(die: Die, name: string): number | undefined {
  const v = die.attrs[name];
  if (v === undefined) return undefined;
  const m = /^(0x[0-9a-f]+|-?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

function ref(die: Die, byOffset: Map<number, Die>): Die | undefined {
  const v = die.attrs.DW_AT_type;
  const m = v ? /^(0x[0-9a-f]+)/.exec(v) : null;
  return m ? byOffset.get(Number.parseInt(m[1], 16)) : undefined;
}

/** C-like name of the type `die` names by DW_AT_type (`struct grid *`, `_Atomic int *`, `int[2][3]`); `void` when none. */
function typeName(die: Die, byOffset: Map<number, Die>, depth = 0): string {
  const t = ref(die, byOffset);
  if (!t) return 'void';
  if (depth > 16) return '...';
  const name = text(t, 'DW_AT_name');
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
      const d = dimsOf(die, byOffset);
      return `${typeName(t, byOffset, depth + 1)}${(d?.counts ?? []).map((c) => `[${c ?? ''}]`).join('')}`;
    }
    case 'DW_TAG_subroutine_type':
      return 'function';
    default:
      return text(die, 'DW_AT_type') ?? '?';
  }
}

const QUALIFIERS = new Set(['DW_TAG_const_type', 'DW_TAG_volatile_type', 'DW_TAG_restrict_type', 'DW_TAG_atomic_type']);

/** The shape of the array `die`'s DW_AT_type names (through qualifiers, not typedefs). */
function dimsOf(die: Die, byOffset: Map<number, Die>): DwarfDims | undefined {
  let t = ref(die, byOffset);
  for (let i = 0; t && QUALIFIERS.has(t.tag) && i < 8; i++) t = ref(t, byOffset);
  if (t?.tag !== 'DW_TAG_array_type') return undefined;
  const subs = t.children.filter((c) => c.tag === 'DW_TAG_subrange_type');
  const counts = subs.map((s) => {
    const count = num(s, 'DW_AT_count');
    if (count !== undefined) return count;
    const ub = num(s, 'DW_AT_upper_bound');
    return ub !== undefined ? ub + 1 : null;
  });
  const bounds = subs
    .map((s) =>
      s.attrs.DW_AT_count !== undefined
        ? `count ${num(s, 'DW_AT_count')}`
        : s.attrs.DW_AT_upper_bound !== undefined
          ? `upper_bound ${num(s, 'DW_AT_upper_bound')}`
          : 'no bound',
    )
    .join(', ');
  return { element: typeName(t, byOffset), counts, bounds };
}

const TYPE_KEYWORD: Readonly<Record<string, string>> = {
  DW_TAG_structure_type: 'struct',
  DW_TAG_union_type: 'union',
  DW_TAG_enumeration_type: 'enum',
  DW_TAG_typedef: 'typedef',
};

/** Every type, function and variable of every compile unit the text holds; the first definition of a name wins. */
export function parseDwarfFacts(dump: string): DwarfFacts {
  const { roots, byOffset } = parseDies(dump);
  const types: Record<string, DwarfType> = {};
  const funcs: Record<string, DwarfObject> = {};
  const vars: Record<string, DwarfObject> = {};
  const visit = (die: Die, inFunction: boolean): void => {
    const name = text(die, 'DW_AT_name');
    const declaration = die.attrs.DW_AT_declaration !== undefined;
    if (name !== undefined && (TYPE_KEYWORD[die.tag] !== undefined || die.tag === 'DW_TAG_base_type')) {
      const key = die.tag === 'DW_TAG_base_type' ? name : `${TYPE_KEYWORD[die.tag]} ${name}`;
      if (!declaration && !Object.hasOwn(types, key)) types[key] = typeFact(die, byOffset);
    } else if (name !== undefined && die.tag === 'DW_TAG_subprogram') {
      const prev = funcs[name];
      if (!prev || (prev.declaration && !declaration)) {
        const params = die.children
          .filter((c) => c.tag === 'DW_TAG_formal_parameter')
          .map((p) => ({ name: text(p, 'DW_AT_name') ?? '', type: typeName(p, byOffset) }));
        funcs[name] = { external: die.attrs.DW_AT_external !== undefined, declaration, type: typeName(die, byOffset), params };
      }
    } else if (name !== undefined && die.tag === 'DW_TAG_variable' && (!inFunction || die.attrs.DW_AT_location !== undefined)) {
      const prev = vars[name];
      if (!prev || (prev.declaration && !declaration)) {
        const dims = dimsOf(die, byOffset);
        vars[name] = {
          external: die.attrs.DW_AT_external !== undefined,
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

function typeFact(die: Die, byOffset: Map<number, Die>): DwarfType {
  const size = num(die, 'DW_AT_byte_size');
  const encoding = die.attrs.DW_AT_encoding;
  const type = die.attrs.DW_AT_type !== undefined ? typeName(die, byOffset) : undefined;
  const dims = die.tag === 'DW_TAG_typedef' ? dimsOf(die, byOffset) : undefined;
  const members =
    die.tag === 'DW_TAG_structure_type' || die.tag === 'DW_TAG_union_type'
      ? die.children
          .filter((c) => c.tag === 'DW_TAG_member')
          .map((m): DwarfMember => {
            const byteOff = num(m, 'DW_AT_data_member_location');
            const bitOff = num(m, 'DW_AT_data_bit_offset') ?? (byteOff !== undefined ? byteOff * 8 : die.tag === 'DW_TAG_union_type' ? 0 : undefined);
            const bitSize = num(m, 'DW_AT_bit_size');
            const d = dimsOf(m, byOffset);
            return {
              name: text(m, 'DW_AT_name') ?? '',
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
          .map((e) => [text(e, 'DW_AT_name') ?? '', constValue(e.attrs.DW_AT_const_value ?? '', enumSigned(die, byOffset))] as const)
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
function enumSigned(die: Die, byOffset: Map<number, Die>): boolean {
  const base = ref(die, byOffset);
  const enc = base?.attrs.DW_AT_encoding ?? die.attrs.DW_AT_encoding ?? '';
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
