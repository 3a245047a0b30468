/**
 * The DWARF verdict on a finding: which side departs from what the
 * compiler's own DWARF (the same compile's `.debug_info`) and the object's
 * ELF symbol table say, with the fact quoted. Pure: the facts come from
 * dwarf-facts.ts, the symbols from the object.
 *
 * Only where the DWARF settles it: array dimensions and order, element
 * counts, INT encodings (signed char, bool), FLOAT vs INT, enum size,
 * signedness and enumerators, member offsets and bitfields, sizes, member,
 * parameter and return types (qualifiers included), function and variable
 * presence and linkage, DATASEC entries. Everything else: no verdict.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import { parseEntity } from '../canonical/entity.js';
import type { Departs, Finding, Verdict } from '../findings/finding.js';
import type { DwarfDims, DwarfFacts, DwarfMember, DwarfObject, DwarfType } from './dwarf-facts.js';

/** What a unit's verdicts rest on: its DWARF facts and its object's symbols. */
export interface Witness {
  readonly dwarf?: DwarfFacts;
  readonly symbols?: readonly ElfSymbol[];
  /** The object's section sizes by name (a DATASEC's size is its section's). */
  readonly sectionSizes?: Readonly<Record<string, number>>;
}

/** Does a side agree with the fact? undefined: this side's text cannot be compared. */
type Agrees = boolean | undefined;

function verdict(left: Agrees, right: Agrees, dwarf: string): Verdict | undefined {
  if (left === undefined || right === undefined) return undefined;
  const departs: Departs = !left && !right ? 'both' : !left ? 'left' : !right ? 'right' : 'neither';
  return { departs, dwarf };
}

function both(f: Finding, agrees: (text: string) => Agrees, dwarf: string): Verdict | undefined {
  return verdict(agrees(f.left), agrees(f.right), dwarf);
}

/** Whitespace-free, `_Atomic`-free text of a C type (BTF has no _Atomic). */
function normType(s: string): string {
  return s.replace(/_Atomic\s*/g, '').replace(/\s+/g, '');
}

/** `int[3][2]` → element `int`, dims [3, 2]; `[]` counts as null; undefined for a non-array. */
export function arrayShape(text: string): { element: string; dims: (number | null)[] } | undefined {
  const m = /^(.*?)((?:\[\d*\])+)$/.exec(text.trim());
  if (!m) return undefined;
  const dims = [...m[2].matchAll(/\[(\d*)\]/g)].map((d) => (d[1] === '' ? null : Number(d[1])));
  return { element: m[1].trim(), dims };
}

/** Quote of an array's DWARF: `DW_TAG_subrange_type upper_bound 1, upper_bound 2 (int[2][3])`. */
export function dimsQuote(d: DwarfDims): string {
  return `DW_TAG_subrange_type ${d.bounds} (${d.element}${d.counts.map((c) => `[${c ?? ''}]`).join('')})`;
}

/**
 * A side's array text against DWARF's dimensions: the same dimensions, in
 * order, agree; one dimension holding them all (pahole flattens) agrees as
 * to layout; any other nesting (reversed, regrouped) departs.
 */
export function arrayAgrees(text: string, d: DwarfDims): Agrees {
  const s = arrayShape(text);
  if (!s) return undefined;
  const same = s.dims.length === d.counts.length && s.dims.every((n, i) => n === d.counts[i]);
  if (same) return true;
  if (s.dims.length === 1 && d.counts.length > 1 && d.counts.every((c) => c !== null)) {
    return s.dims[0] === d.counts.reduce<number>((a, c) => a * (c ?? 0), 1);
  }
  return false;
}

function typeKey(entity: string): string | undefined {
  const e = parseEntity(entity);
  if (e.keyword === 'base') return e.name;
  if (e.keyword === 'struct' || e.keyword === 'union' || e.keyword === 'enum' || e.keyword === 'typedef') return `${e.keyword} ${e.name}`;
  return undefined;
}

function memberOf(t: DwarfType | undefined, path: string): DwarfMember | undefined {
  if (!t?.members || path === '' || path.includes('.')) return undefined;
  return t.members.find((m) => m.name === path);
}

/** INT text `INT 'char' size=1 SIGNED|CHAR` → its size and flags. */
function intText(text: string): { size: number; flags: Set<string> } | undefined {
  const m = /^INT '.*' size=(\d+)(?: bits=\d+(?: offset=\d+)?)? (.+)$/.exec(text);
  if (!m) return undefined;
  return { size: Number(m[1]), flags: new Set(m[2] === '(none)' ? [] : m[2].split('|')) };
}

/** The BTF INT encoding a DWARF base type asks for: SIGNED for signed kinds, BOOL for boolean, at most one flag. */
function intAgrees(text: string, t: DwarfType): Agrees {
  const i = intText(text);
  if (!i) return undefined;
  const enc = t.encoding ?? '';
  const signed = /DW_ATE_signed/.test(enc);
  const bool = /DW_ATE_boolean/.test(enc);
  // BTF gives an INT one encoding at most (the kernel refuses SIGNED|CHAR); CHAR alone marks a char for printing.
  const oneEncoding = i.flags.size <= 1;
  return oneEncoding && i.flags.has('SIGNED') === signed && i.flags.has('BOOL') === bool && (t.size === undefined || i.size === t.size);
}

function baseQuote(name: string, t: DwarfType): string {
  return `DW_TAG_base_type ${name} DW_AT_encoding ${t.encoding ?? '?'}, DW_AT_byte_size ${t.size ?? '?'}`;
}

const FLOAT_ENCODINGS = /DW_ATE_(float|complex_float|decimal_float|lo_user)/;

function fitsEnum32(values: readonly (readonly [string, string])[]): boolean {
  return values.every(([, v]) => {
    const n = BigInt(v);
    return n >= -(1n << 31n) && n < 1n << 32n;
  });
}

function linkageOf(o: DwarfObject): string {
  return o.declaration ? 'extern' : o.external ? 'global' : 'static';
}

function objectQuote(tag: string, name: string, o: DwarfObject | undefined, sym: ElfSymbol | undefined): string {
  const dw = o
    ? `${tag} ${name}${o.declaration ? ' DW_AT_declaration' : ''}${o.external ? ' DW_AT_external' : ''}${o.local ? ' (in a function)' : ''}`
    : `no ${tag} ${name}`;
  const elf = sym ? `ELF symbol ${name} ${sym.shndx === 0 ? 'UND' : `in ${sym.section}`} ${sym.binding}` : `no ELF symbol ${name}`;
  return `${dw}; ${elf}`;
}

/** The verdict on one finding, when the DWARF (or the symbol table) settles it. */
export function dwarfVerdict(f: Finding, w: Witness): Verdict | undefined {
  const facts = w.dwarf;
  if (!facts) return undefined;
  const e = parseEntity(f.entity);
  const key = typeKey(f.entity);
  const t = key !== undefined ? facts.types[key] : undefined;
  const sym = (name: string): ElfSymbol | undefined => w.symbols?.find((s) => s.name === name && s.type !== 'section' && s.type !== 'file');
  switch (f.category) {
    case 'only-left':
    case 'only-right': {
      if (e.keyword === 'func' || e.keyword === 'var') {
        if (e.name === '') {
          // A FUNC names a function; DWARF has no function without a name (gcc writes one per function type).
          return both(f, (text) => text === 'absent', `no DW_TAG_subprogram without DW_AT_name`);
        }
        const o = e.keyword === 'func' ? facts.funcs[e.name] : facts.vars[e.name];
        const quote = objectQuote(e.keyword === 'func' ? 'DW_TAG_subprogram' : 'DW_TAG_variable', e.name, o, sym(e.name));
        return both(f, (text) => (text === 'absent') === (o === undefined), quote);
      }
      if (e.keyword === 'datasec') {
        const defined = w.symbols?.filter((s) => s.section === e.name && s.shndx !== 0 && (s.type === 'object' || s.type === 'notype'));
        if (!w.symbols) return undefined;
        const quote =
          defined && defined.length > 0 ? `ELF section ${e.name} defines ${defined.map((s) => s.name).join(', ')}` : `no ELF symbol defined in ${e.name}`;
        return both(f, (text) => (text === 'absent') === (defined === undefined || defined.length === 0), quote);
      }
      if (key === undefined) return undefined;
      const quote = t ? `${t.tag} ${key.replace(/^(struct|union|enum|typedef) /, '')} (defined)` : `no definition of ${key} in DWARF`;
      return both(f, (text) => (text === 'absent') === (t === undefined), quote);
    }
    case 'array': {
      const dims =
        e.keyword === 'var' && f.path === '' ? facts.vars[e.name]?.dims : e.keyword === 'typedef' && f.path === '' ? t?.dims : memberOf(t, f.path)?.dims;
      if (!dims) return undefined;
      // An index-type finding (`int` vs `long unsigned int`): DWARF's subrange type is not BTF's index type.
      if (!arrayShape(f.left) && !arrayShape(f.right)) return undefined;
      return both(f, (text) => arrayAgrees(text, dims), dimsQuote(dims));
    }
    case 'encoding':
      if (t?.tag !== 'DW_TAG_base_type' || f.path !== '') return undefined;
      return both(f, (text) => intAgrees(text, t), baseQuote(e.name, t));
    case 'signedness': {
      if (!t || f.path !== '') return undefined;
      if (t.tag === 'DW_TAG_base_type') return both(f, (text) => intAgrees(text, t), baseQuote(e.name, t));
      if (t.tag !== 'DW_TAG_enumeration_type') return undefined;
      const signed = /signed/.test(t.encoding ?? '') ? !/unsigned/.test(t.encoding ?? '') : t.type !== undefined ? !/unsigned/.test(t.type) : undefined;
      if (signed === undefined) return undefined;
      const quote = `DW_TAG_enumeration_type ${e.name} DW_AT_type ${t.type ?? '?'}${t.encoding ? ` DW_AT_encoding ${t.encoding}` : ''}`;
      return both(f, (text) => (/encoding=UNSIGNED/.test(text) ? !signed : /encoding=SIGNED/.test(text) ? signed : undefined), quote);
    }
    case 'kind': {
      if (!t || f.path !== '') return undefined;
      const kindOf = (text: string): string | undefined => /^([A-Z_0-9]+) /.exec(text)?.[1];
      if (t.tag === 'DW_TAG_base_type') {
        const want = FLOAT_ENCODINGS.test(t.encoding ?? '') ? 'FLOAT' : 'INT';
        return both(f, (text) => (kindOf(text) === undefined ? undefined : kindOf(text) === want), `${baseQuote(e.name, t)} (BTF ${want})`);
      }
      if (t.tag === 'DW_TAG_enumeration_type' && t.enumerators) {
        const values = t.enumerators;
        const needs64 = !fitsEnum32(values);
        const quote = `DW_TAG_enumeration_type ${e.name} DW_AT_byte_size ${t.size ?? '?'}, ${values.length} DW_TAG_enumerator (${values.map(([n, v]) => `${n} = ${v}`).join(', ')})`;
        return both(
          f,
          (text) => {
            const k = kindOf(text);
            const vlen = /vlen=(\d+)/.exec(text)?.[1];
            if (k === undefined || vlen === undefined) return undefined;
            return (k === 'ENUM64' || (k === 'ENUM' && !needs64)) && Number(vlen) === values.length;
          },
          quote,
        );
      }
      if (t.tag === 'DW_TAG_structure_type' || t.tag === 'DW_TAG_union_type') {
        return both(
          f,
          (text) => (kindOf(text) === undefined ? undefined : kindOf(text) !== 'FWD'),
          `${t.tag} ${e.name} defined, DW_AT_byte_size ${t.size ?? '?'}`,
        );
      }
      return undefined;
    }
    case 'size': {
      if (!t || f.path !== '' || t.size === undefined) return undefined;
      const size = t.size;
      return both(
        f,
        (text) => (/^size=(\d+)$/.test(text) ? Number(/^size=(\d+)$/.exec(text)?.[1]) === size : undefined),
        `${t.tag} ${e.name} DW_AT_byte_size ${size}`,
      );
    }
    case 'enum-value': {
      if (!t?.enumerators || !f.path.startsWith('enumerator ')) return undefined;
      const name = f.path.slice('enumerator '.length);
      const found = t.enumerators.find(([n]) => n === name);
      const quote = found ? `DW_TAG_enumerator ${name} DW_AT_const_value ${found[1]}` : `no DW_TAG_enumerator ${name}`;
      return both(
        f,
        (text) => {
          if (text === 'absent') return found === undefined;
          const v = /=\s*(-?\d+)\s*$/.exec(text)?.[1];
          if (v === undefined) return undefined;
          return found !== undefined && BigInt(v) === BigInt(found[1]);
        },
        quote,
      );
    }
    case 'offset': {
      const m = memberOf(t, f.path);
      if (m?.bitOffset === undefined) return undefined;
      const off = m.bitOffset;
      const num = (text: string): Agrees => {
        const v = /^bits_offset=(\d+)$/.exec(text)?.[1];
        return v === undefined ? undefined : Number(v) === off;
      };
      return both(f, num, `DW_TAG_member ${f.path} at bit ${off} (DW_AT_data_member_location / DW_AT_data_bit_offset)`);
    }
    case 'bitfield': {
      const m = memberOf(t, f.path);
      if (!m) return undefined;
      const width = m.bitSize;
      const agrees = (text: string): Agrees => {
        if (text === 'not a bitfield') return width === undefined;
        const v = /^bitfield_size=(\d+)$/.exec(text)?.[1];
        return v === undefined ? undefined : Number(v) === width;
      };
      return both(f, agrees, width !== undefined ? `DW_TAG_member ${f.path} DW_AT_bit_size ${width}` : `DW_TAG_member ${f.path} has no DW_AT_bit_size`);
    }
    case 'member-type':
    case 'qualifier':
    case 'proto': {
      const want = refType(f, facts, t);
      if (want === undefined || /function/.test(want.type)) return undefined;
      const w2 = normType(want.type);
      const agrees = (text: string): Agrees => {
        if (text === 'absent') return undefined;
        const n = normType(text);
        return n === w2 || (want.name !== undefined && want.name !== '' && n === normType(`${want.type} ${want.name}`));
      };
      return both(f, agrees, want.quote);
    }
    case 'linkage': {
      if (e.keyword !== 'func' && e.keyword !== 'var') return undefined;
      const o = e.keyword === 'func' ? facts.funcs[e.name] : facts.vars[e.name];
      if (!o) return undefined;
      const want = linkageOf(o);
      const s = sym(e.name);
      return both(
        f,
        (text) => (/^(static|global|extern)$/.test(text) ? text === want : undefined),
        objectQuote(e.keyword === 'func' ? 'DW_TAG_subprogram' : 'DW_TAG_variable', e.name, o, s),
      );
    }
    case 'datasec': {
      if (e.keyword === 'datasec' && f.path === '') {
        const size = w.sectionSizes?.[e.name];
        if (size === undefined) return undefined;
        return both(f, (text) => (/^size=(\d+)$/.test(text) ? Number(text.slice(5)) === size : undefined), `ELF section ${e.name} sh_size ${size}`);
      }
      if (e.keyword !== 'datasec' || !w.symbols) return undefined;
      const s = w.symbols.find((x) => x.name === f.path && x.section === e.name && x.shndx !== 0);
      if (!s) return undefined;
      const agrees = (text: string): Agrees => {
        const m = /^offset=(\d+) size=(\d+)$/.exec(text);
        return m ? BigInt(m[1]) === s.value && BigInt(m[2]) === s.size : undefined;
      };
      return both(f, agrees, `ELF symbol ${s.name} in ${s.section} st_value ${s.value} st_size ${s.size}`);
    }
    default:
      return undefined;
  }
}

/** The type DWARF gives the place a member-type / qualifier / proto finding is at. */
function refType(f: Finding, facts: DwarfFacts, t: DwarfType | undefined): { type: string; name?: string; quote: string } | undefined {
  const e = parseEntity(f.entity);
  if (e.keyword === 'func') {
    const fn = facts.funcs[e.name];
    if (!fn) return undefined;
    if (f.path === 'return') return { type: fn.type, quote: `DW_TAG_subprogram ${e.name} DW_AT_type ${fn.type}` };
    const p = /^param (\d+)$/.exec(f.path);
    const param = p ? fn.params?.[Number(p[1]) - 1] : undefined;
    if (!param) return undefined;
    return { type: param.type, name: param.name, quote: `DW_TAG_formal_parameter ${p?.[1]} of ${e.name}: ${param.name} DW_AT_type ${param.type}` };
  }
  if (e.keyword === 'var' && f.path === '') {
    const v = facts.vars[e.name];
    return v ? { type: v.type, quote: `DW_TAG_variable ${e.name} DW_AT_type ${v.type}` } : undefined;
  }
  if (e.keyword === 'typedef' && f.path === '' && t?.type !== undefined) return { type: t.type, quote: `DW_TAG_typedef ${e.name} DW_AT_type ${t.type}` };
  const m = memberOf(t, f.path);
  return m ? { type: m.type, quote: `DW_TAG_member ${f.path} DW_AT_type ${m.type}` } : undefined;
}
