/**
 * The compiler's DWARF read in-process: `.debug_abbrev` + `.debug_info` (and
 * the string sections its forms point into) of an ELF object, decoded into
 * the DIE tree the DWARF facts are computed from (dwarf-die.ts), keeping only
 * the attributes the facts read. DWARF 2-5, 32-bit format, either byte order;
 * every DWARF 5 form is at least skipped by its size.
 *
 * Whatever this reader does not handle (DWARF64, type units, split DWARF,
 * zstd, an unknown form or relocation type, data that runs past its section,
 * a value whose meaning it would have to guess) makes it decline with a
 * one-line reason naming the section and offset; the pipeline then reads
 * the object with llvm-dwarfdump. It never throws. Pure.
 */
import type { Die, DieAttrs, DieTree } from './dwarf-die.js';
import { type DebugSection, DwarfDecline, debugSection } from './dwarf-sections.js';
import { AT, ATE_NAMES, FORM, TAG_NAMES, UT_COMPILE, UT_PARTIAL } from './dwarf-tables.js';
import type { ElfFile } from './elf.js';

export type DwarfRead = { readonly kind: 'dies'; readonly tree: DieTree } | { readonly kind: 'declined'; readonly reason: string };

/** Deepest DIE nesting accepted (real C units nest a few levels; the facts walk the tree recursively). */
export const MAX_DIE_DEPTH = 256;

/** Tags whose name the facts build themselves; a DW_AT_type naming any other would need llvm's type printer. */
const NAMED_BY_FACTS = new Set([
  'DW_TAG_base_type',
  'DW_TAG_typedef',
  'DW_TAG_structure_type',
  'DW_TAG_union_type',
  'DW_TAG_enumeration_type',
  'DW_TAG_pointer_type',
  'DW_TAG_const_type',
  'DW_TAG_volatile_type',
  'DW_TAG_restrict_type',
  'DW_TAG_atomic_type',
  'DW_TAG_array_type',
  'DW_TAG_subroutine_type',
]);

/** The DIE tree of every compile unit of the object, or why it was not read. */
export function readDwarfDies(elf: ElfFile): DwarfRead {
  try {
    return { kind: 'dies', tree: readTree(elf) };
  } catch (e) {
    if (e instanceof DwarfDecline) return { kind: 'declined', reason: e.message };
    if (e instanceof RangeError) return { kind: 'declined', reason: `DWARF data out of range (${e.message})` };
    throw e;
  }
}

interface Sections {
  readonly info: DebugSection;
  readonly abbrev: DebugSection;
  readonly str: Uint8Array | undefined;
  readonly lineStr: Uint8Array | undefined;
  readonly strOffsets: Cursor | undefined;
  readonly little: boolean;
}

function readTree(elf: ElfFile): DieTree {
  if (elf.sections.some((s) => s.name === '.debug_types' && s.size > 0)) throw new DwarfDecline('.debug_types: type units are not read');
  const info = debugSection(elf, '.debug_info');
  if (info === undefined) throw new DwarfDecline('no .debug_info');
  const little = elf.byteOrder === 'little';
  const strOffsets = debugSection(elf, '.debug_str_offsets');
  const s: Sections = {
    info,
    abbrev: debugSection(elf, '.debug_abbrev') ?? { bytes: new Uint8Array(0), unread: undefined },
    // Strings are read up to their NUL, never through a relocated field: their unread marks do not matter.
    str: debugSection(elf, '.debug_str')?.bytes,
    lineStr: debugSection(elf, '.debug_line_str')?.bytes,
    strOffsets: strOffsets ? new Cursor(strOffsets, little, '.debug_str_offsets') : undefined,
    little,
  };
  const roots: Die[] = [];
  const byOffset = new Map<number, Die>();
  const abbrevs = new Map<number, Map<number, Abbrev>>();
  const strings = new StringTables(s);
  const c = new Cursor(info, little, '.debug_info');
  while (c.pos < c.bytes.length) {
    const unit = readUnitHeader(c);
    let table = abbrevs.get(unit.abbrevOffset);
    if (!table) {
      table = readAbbrevs(s.abbrev, unit.abbrevOffset, little);
      abbrevs.set(unit.abbrevOffset, table);
    }
    readUnitDies(c, unit, table, strings, roots, byOffset);
    c.pos = unit.end;
  }
  for (const die of byOffset.values()) {
    const target = die.attrs.type?.target;
    const t = target !== undefined ? byOffset.get(target) : undefined;
    if (t && !NAMED_BY_FACTS.has(t.tag)) throw new DwarfDecline(`.debug_info: DW_AT_type at 0x${die.offset.toString(16)} names a ${t.tag}`);
  }
  return { roots, byOffset };
}

interface Unit {
  readonly offset: number;
  readonly end: number;
  readonly version: number;
  readonly addrSize: number;
  readonly abbrevOffset: number;
  strOffsetsBase: number | undefined;
}

function readUnitHeader(c: Cursor): Unit {
  const offset = c.pos;
  const length = c.u32();
  if (length === 0xffffffff) throw new DwarfDecline(`.debug_info: unit at ${offset} is DWARF64`);
  if (length >= 0xfffffff0) throw new DwarfDecline(`.debug_info: unit at ${offset} has reserved length 0x${length.toString(16)}`);
  const end = c.pos + length;
  if (end > c.bytes.length) throw new DwarfDecline(`.debug_info: unit at ${offset} (length ${length}) runs past the section (${c.bytes.length} bytes)`);
  const version = c.u16();
  if (version < 2 || version > 5) throw new DwarfDecline(`.debug_info: unit at ${offset} has DWARF version ${version}`);
  let addrSize: number;
  let abbrevOffset: number;
  if (version === 5) {
    const type = c.u8();
    if (type !== UT_COMPILE && type !== UT_PARTIAL)
      throw new DwarfDecline(`.debug_info: unit at ${offset} has unit type ${type} (only compile units are read)`);
    addrSize = c.u8();
    abbrevOffset = c.u32();
  } else {
    abbrevOffset = c.u32();
    addrSize = c.u8();
  }
  if (addrSize !== 2 && addrSize !== 4 && addrSize !== 8) throw new DwarfDecline(`.debug_info: unit at ${offset} has address size ${addrSize}`);
  return { offset, end, version, addrSize, abbrevOffset, strOffsetsBase: undefined };
}

interface AttrSpec {
  readonly at: number;
  readonly form: number;
  readonly implicit: bigint | undefined;
}

interface Abbrev {
  readonly tag: string;
  readonly hasChildren: boolean;
  readonly specs: readonly AttrSpec[];
}

/** The abbreviation table at `offset` of .debug_abbrev, by code. */
function readAbbrevs(section: DebugSection, offset: number, little: boolean): Map<number, Abbrev> {
  const c = new Cursor(section, little, '.debug_abbrev');
  if (offset > c.bytes.length) throw new DwarfDecline(`.debug_abbrev: table offset ${offset} is past the section (${c.bytes.length} bytes)`);
  c.pos = offset;
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return out;
    const tagCode = c.uleb();
    const hasChildren = c.u8() !== 0;
    const specs: AttrSpec[] = [];
    for (;;) {
      const at = c.uleb();
      const form = c.uleb();
      if (at === 0 && form === 0) break;
      specs.push({ at, form, implicit: form === FORM.implicit_const ? c.slebBig() : undefined });
    }
    out.set(code, { tag: TAG_NAMES.get(tagCode) ?? `DW_TAG_0x${tagCode.toString(16)}`, hasChildren, specs });
  }
}

/** The children of every DIE whose abbreviation says it has none: one array (only a parent's array is pushed to), less garbage. */
const NO_CHILDREN: Die[] = [];

/** The unit's DIEs from the cursor (just past the header) to its end, attached to `roots` and `byOffset`. */
function readUnitDies(c: Cursor, unit: Unit, table: Map<number, Abbrev>, strings: StringTables, roots: Die[], byOffset: Map<number, Die>): void {
  const open: Die[] = [];
  while (c.pos < unit.end) {
    const offset = c.pos;
    const code = c.uleb();
    if (code === 0) {
      open.pop();
      continue;
    }
    const abbrev = table.get(code);
    if (!abbrev) throw new DwarfDecline(`.debug_info: DIE at ${offset} uses abbreviation ${code}, which its table lacks`);
    const die: Die = { offset, tag: abbrev.tag, attrs: readAttrs(c, unit, abbrev, strings), children: abbrev.hasChildren ? [] : NO_CHILDREN };
    if (c.pos > unit.end) throw new DwarfDecline(`.debug_info: DIE at ${offset} runs past its unit's end (${unit.end})`);
    const parent = open[open.length - 1];
    if (parent) parent.children.push(die);
    else roots.push(die);
    byOffset.set(offset, die);
    if (abbrev.hasChildren) {
      if (open.length >= MAX_DIE_DEPTH) throw new DwarfDecline(`.debug_info: DIE at ${offset} nests deeper than ${MAX_DIE_DEPTH}`);
      open.push(die);
    }
  }
}

/** One DIE's kept attributes; the others are skipped by their form's size. */
function readAttrs(c: Cursor, unit: Unit, abbrev: Abbrev, strings: StringTables): DieAttrs {
  const attrs: DieAttrs = {};
  let strx: number | undefined;
  for (const spec of abbrev.specs) {
    let form = spec.form;
    const at = c.pos;
    if (form === FORM.indirect) {
      form = c.uleb();
      if (form === FORM.indirect || form === FORM.implicit_const)
        throw new DwarfDecline(`.debug_info: attribute at ${at} is indirect to form 0x${form.toString(16)}`);
    }
    switch (spec.at) {
      case AT.name:
        if (isStrx(form)) strx = readStrx(c, form);
        else attrs.name = readString(c, form, unit, strings, at);
        break;
      case AT.type:
        attrs.type = { target: readRef(c, form, unit, at) };
        break;
      case AT.declaration:
        attrs.declaration = true;
        skip(c, form, unit, at);
        break;
      case AT.external:
        attrs.external = true;
        skip(c, form, unit, at);
        break;
      case AT.location:
        attrs.location = isExpression(form, unit, at);
        skip(c, form, unit, at);
        break;
      case AT.byte_size:
        attrs.byteSize = constNumber(c, form, unit, spec, at);
        break;
      case AT.data_member_location:
        attrs.memberLocation = constNumber(c, form, unit, spec, at);
        break;
      case AT.data_bit_offset:
        attrs.dataBitOffset = constNumber(c, form, unit, spec, at);
        break;
      case AT.bit_size:
        attrs.bitSize = constNumber(c, form, unit, spec, at);
        break;
      case AT.count:
        attrs.count = { value: constNumber(c, form, unit, spec, at) };
        break;
      case AT.upper_bound:
        attrs.upperBound = { value: constNumber(c, form, unit, spec, at) };
        break;
      case AT.encoding:
        attrs.encoding = encodingName(c, form, spec, at);
        break;
      case AT.const_value:
        attrs.constValue = printedConst(c, form, unit, spec, abbrev.tag, at);
        break;
      case AT.str_offsets_base:
        if (form !== FORM.sec_offset) throw new DwarfDecline(`.debug_info: DW_AT_str_offsets_base at ${at} has form 0x${form.toString(16)}`);
        unit.strOffsetsBase = c.u32();
        break;
      default:
        skip(c, form, unit, at);
    }
  }
  // A unit's own DIE can name itself by strx before its DW_AT_str_offsets_base: resolved once all are read.
  if (strx !== undefined) attrs.name = strings.strx(unit, strx);
  return attrs;
}

function isStrx(form: number): boolean {
  return form === FORM.strx || form === FORM.strx1 || form === FORM.strx2 || form === FORM.strx3 || form === FORM.strx4;
}

function readStrx(c: Cursor, form: number): number {
  switch (form) {
    case FORM.strx1:
      return c.u8();
    case FORM.strx2:
      return c.u16();
    case FORM.strx3:
      return c.u24();
    case FORM.strx4:
      return c.u32();
    default:
      return c.uleb();
  }
}

function readString(c: Cursor, form: number, unit: Unit, strings: StringTables, at: number): string {
  switch (form) {
    case FORM.string: {
      const end = c.bytes.indexOf(0, c.pos);
      if (end < 0 || end >= unit.end) throw new DwarfDecline(`.debug_info: string at ${at} is not terminated within its unit`);
      const value = escapeLikeDwarfdump(c.bytes, c.pos, end);
      c.pos = end + 1;
      return value;
    }
    case FORM.strp:
      return strings.at('.debug_str', c.u32());
    case FORM.line_strp:
      return strings.at('.debug_line_str', c.u32());
    default:
      throw new DwarfDecline(`.debug_info: DW_AT_name at ${at} has form 0x${form.toString(16)}, which this reader does not read`);
  }
}

/** A reference's target as a .debug_info offset (unit-relative forms are made absolute, as llvm prints them). */
function readRef(c: Cursor, form: number, unit: Unit, at: number): number {
  switch (form) {
    case FORM.ref1:
      return unit.offset + c.u8();
    case FORM.ref2:
      return unit.offset + c.u16();
    case FORM.ref4:
      return unit.offset + c.u32();
    case FORM.ref8:
      return unit.offset + c.u64();
    case FORM.ref_udata:
      return unit.offset + c.uleb();
    case FORM.ref_addr:
      return unit.version === 2 ? c.fixed(unit.addrSize) : c.u32();
    default:
      throw new DwarfDecline(`.debug_info: reference at ${at} has form 0x${form.toString(16)}, which this reader does not follow`);
  }
}

/**
 * DW_AT_location as one expression (exprloc, block) rather than a location
 * list (llvm-dwarfdump prints a list over several lines, which the text
 * route does not record: an automatic variable with a list is not a
 * located one there, and must not be here).
 */
function isExpression(form: number, unit: Unit, at: number): boolean {
  switch (form) {
    case FORM.exprloc:
    case FORM.block:
    case FORM.block1:
    case FORM.block2:
    case FORM.block4:
      return true;
    case FORM.sec_offset:
    case FORM.loclistx:
      return false;
    case FORM.data4:
    case FORM.data8:
      if (unit.version < 4) return false; // DWARF 2/3: a location list's offset
      break;
  }
  throw new DwarfDecline(`.debug_info: DW_AT_location at ${at} has form 0x${form.toString(16)}`);
}

/**
 * A constant attribute as the number the text route reads from llvm's
 * print: a constant's value; a reference's absolute offset (printed
 * `0x...`); undefined for an expression (a VLA bound, DWARF 2's member
 * location), which llvm prints as operators.
 */
function constNumber(c: Cursor, form: number, unit: Unit, spec: AttrSpec, at: number): number | undefined {
  const k = constant(c, form, spec);
  if (k !== undefined) return Number(k.value);
  switch (form) {
    case FORM.ref1:
    case FORM.ref2:
    case FORM.ref4:
    case FORM.ref8:
    case FORM.ref_udata:
    case FORM.ref_addr:
      return readRef(c, form, unit, at);
    case FORM.sec_offset:
      return c.u32();
    case FORM.exprloc:
    case FORM.block:
    case FORM.block1:
    case FORM.block2:
    case FORM.block4:
      skip(c, form, unit, at);
      return undefined;
  }
  throw new DwarfDecline(`.debug_info: constant attribute at ${at} has form 0x${form.toString(16)}`);
}

interface Constant {
  readonly value: bigint | number;
  /** Bytes of a DW_FORM_dataN (printed in hex of that width); 0 for the LEB128 forms (printed in decimal). */
  readonly width: number;
}

/** A constant-class value (dataN, sdata, udata, implicit_const), or undefined (nothing read) for another form. */
function constant(c: Cursor, form: number, spec: AttrSpec): Constant | undefined {
  switch (form) {
    case FORM.data1:
      return { value: c.u8(), width: 1 };
    case FORM.data2:
      return { value: c.u16(), width: 2 };
    case FORM.data4:
      return { value: c.u32(), width: 4 };
    case FORM.data8:
      return { value: c.u64Big(), width: 8 };
    case FORM.sdata:
      return { value: c.slebBig(), width: 0 };
    case FORM.udata:
      return { value: c.ulebBig(), width: 0 };
    case FORM.implicit_const:
      return { value: spec.implicit ?? 0n, width: 0 };
    default:
      return undefined;
  }
}

/** DW_AT_encoding by its standard name; a vendor value (gcc's 0x80 for `complex int`) printed as its form is, as llvm-dwarfdump does. */
function encodingName(c: Cursor, form: number, spec: AttrSpec, at: number): string {
  const k = constant(c, form, spec);
  if (k === undefined) throw new DwarfDecline(`.debug_info: DW_AT_encoding at ${at} has form 0x${form.toString(16)}`);
  return ATE_NAMES.get(Number(k.value)) ?? printed(k);
}

/** DW_AT_const_value as llvm-dwarfdump prints it (see DieAttrs.constValue); a non-constant only off enumerators, skipped. */
function printedConst(c: Cursor, form: number, unit: Unit, spec: AttrSpec, tag: string, at: number): string | undefined {
  const k = constant(c, form, spec);
  if (k === undefined) {
    if (tag === 'DW_TAG_enumerator') throw new DwarfDecline(`.debug_info: enumerator's DW_AT_const_value at ${at} has form 0x${form.toString(16)}`);
    skip(c, form, unit, at);
    return undefined;
  }
  return printed(k);
}

/** A constant as llvm-dwarfdump prints its form: dataN in hex of the form's width, the LEB128 forms in decimal. */
function printed(k: Constant): string {
  if (k.width === 0) return k.value.toString();
  return `0x${k.value.toString(16).padStart(k.width * 2, '0')}`;
}

/** Move past one attribute value of `form` (every DWARF 5 form, and gcc's GNU ones). */
function skip(c: Cursor, form: number, unit: Unit, at: number): void {
  switch (form) {
    case FORM.flag_present:
    case FORM.implicit_const:
      return;
    case FORM.data1:
    case FORM.ref1:
    case FORM.flag:
    case FORM.strx1:
    case FORM.addrx1:
      c.advance(1);
      return;
    case FORM.data2:
    case FORM.ref2:
    case FORM.strx2:
    case FORM.addrx2:
      c.advance(2);
      return;
    case FORM.strx3:
    case FORM.addrx3:
      c.advance(3);
      return;
    case FORM.data4:
    case FORM.ref4:
    case FORM.strp:
    case FORM.line_strp:
    case FORM.sec_offset:
    case FORM.ref_sup4:
    case FORM.strp_sup:
    case FORM.strx4:
    case FORM.addrx4:
    case FORM.GNU_ref_alt:
    case FORM.GNU_strp_alt:
      c.advance(4);
      return;
    case FORM.data8:
    case FORM.ref8:
    case FORM.ref_sig8:
    case FORM.ref_sup8:
      c.advance(8);
      return;
    case FORM.data16:
      c.advance(16);
      return;
    case FORM.sdata:
    case FORM.udata:
    case FORM.ref_udata:
    case FORM.strx:
    case FORM.addrx:
    case FORM.loclistx:
    case FORM.rnglistx:
    case FORM.GNU_addr_index:
    case FORM.GNU_str_index:
      c.skipLeb();
      return;
    case FORM.string: {
      const end = c.bytes.indexOf(0, c.pos);
      if (end < 0) throw new DwarfDecline(`.debug_info: string at ${at} is not terminated`);
      c.pos = end + 1;
      return;
    }
    case FORM.block1:
      c.advance(c.u8());
      return;
    case FORM.block2:
      c.advance(c.u16());
      return;
    case FORM.block4:
      c.advance(c.u32());
      return;
    case FORM.block:
    case FORM.exprloc:
      c.advance(c.uleb());
      return;
    case FORM.addr:
    case FORM.ref_addr:
      c.advance(form === FORM.addr || unit.version === 2 ? unit.addrSize : 4);
      return;
  }
  throw new DwarfDecline(`.debug_info: attribute at ${at} has unknown form 0x${form.toString(16)}`);
}

/** The string sections, decoded once per offset. */
class StringTables {
  private readonly cache = new Map<string, Map<number, string>>();
  constructor(private readonly s: Sections) {}

  at(section: '.debug_str' | '.debug_line_str', offset: number): string {
    let m = this.cache.get(section);
    if (!m) {
      m = new Map();
      this.cache.set(section, m);
    }
    const hit = m.get(offset);
    if (hit !== undefined) return hit;
    const bytes = section === '.debug_str' ? this.s.str : this.s.lineStr;
    if (bytes === undefined) throw new DwarfDecline(`${section}: missing, but .debug_info points into it`);
    const end = offset < bytes.length ? bytes.indexOf(0, offset) : -1;
    if (end < 0) throw new DwarfDecline(`${section}: no string at offset ${offset} (section is ${bytes.length} bytes)`);
    const value = escapeLikeDwarfdump(bytes, offset, end);
    m.set(offset, value);
    return value;
  }

  /** String `index` of the unit's .debug_str_offsets contribution (32-bit entries). */
  strx(unit: Unit, index: number): string {
    const table = this.s.strOffsets;
    if (table === undefined || unit.strOffsetsBase === undefined) {
      throw new DwarfDecline(
        `.debug_info: unit at ${unit.offset} uses strx forms without ${table === undefined ? '.debug_str_offsets' : 'DW_AT_str_offsets_base'}`,
      );
    }
    table.pos = unit.strOffsetsBase + index * 4;
    return this.at('.debug_str', table.u32());
  }
}

/**
 * Bytes [from, to) as llvm-dwarfdump prints a string: printable ASCII as
 * is, backslash, tab, newline and double quote escaped with a backslash,
 * every other byte (controls, and each byte of a UTF-8 sequence) as a
 * backslash and three octal digits. The text route's names are these
 * escaped spellings, so this route gives the same; for C identifiers the
 * spelling is the name itself.
 */
const ASCII = new TextDecoder('latin1'); // used on printable ASCII only, where every label of it agrees

export function escapeLikeDwarfdump(bytes: Uint8Array, from: number, to: number): string {
  let plain = true;
  for (let i = from; i < to && plain; i++) {
    const b = bytes[i];
    plain = b >= 0x20 && b <= 0x7e && b !== 0x5c && b !== 0x22;
  }
  if (plain) return ASCII.decode(bytes.subarray(from, to));
  let out = '';
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x22) out += '\\"';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\${(b >> 6).toString(8)}${((b >> 3) & 7).toString(8)}${(b & 7).toString(8)}`;
  }
  return out;
}

/** A bounds-checked reader over one section. */
class Cursor {
  pos = 0;
  readonly bytes: Uint8Array;
  private readonly unread: ReadonlySet<number> | undefined;
  private readonly view: DataView;
  constructor(
    data: DebugSection,
    private readonly little: boolean,
    private readonly section: string,
  ) {
    this.bytes = data.bytes;
    this.unread = data.unread;
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.bytes.length) throw new DwarfDecline(`${this.section}: ${n} bytes at ${at} run past the section (${this.bytes.length} bytes)`);
    this.pos = at + n;
    return at;
  }
  /** A multi-byte field's offset, checked against the fields whose relocation was not applied. */
  private field(n: number): number {
    const at = this.need(n);
    if (this.unread?.has(at)) throw new DwarfDecline(`${this.section}: the field at ${at} has a relocation this reader does not compute`);
    return at;
  }
  advance(n: number): void {
    this.need(n);
  }
  u8(): number {
    return this.bytes[this.need(1)];
  }
  u16(): number {
    return this.view.getUint16(this.field(2), this.little);
  }
  u24(): number {
    const at = this.field(3);
    const b = this.bytes;
    return this.little ? b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) : (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  }
  u32(): number {
    return this.view.getUint32(this.field(4), this.little);
  }
  u64Big(): bigint {
    return this.view.getBigUint64(this.field(8), this.little);
  }
  /** A 64-bit offset as a number; past 2^53 it is no offset this reader can follow. */
  u64(): number {
    const v = this.u64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DwarfDecline(`${this.section}: 64-bit value at ${this.pos - 8} is too large`);
    return Number(v);
  }
  fixed(size: number): number {
    return size === 8 ? this.u64() : size === 4 ? this.u32() : this.u16();
  }
  /** An unsigned LEB128 used as a count, code or offset (must stay below 2^53). */
  uleb(): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
      if (scale > 2 ** 49) throw new DwarfDecline(`${this.section}: LEB128 at ${start} is too large`);
    }
    return value;
  }
  skipLeb(): void {
    while (this.u8() & 0x80);
  }
  /** An unsigned LEB128 constant, exact up to 64 bits. */
  ulebBig(): bigint {
    const { value, bits } = this.lebBits();
    if (value >> 64n !== 0n) throw new DwarfDecline(`${this.section}: LEB128 at ${this.pos} exceeds 64 bits (${bits} bits)`);
    return value;
  }
  /** A signed LEB128 constant, exact up to 64 bits. */
  slebBig(): bigint {
    const { value, bits, last } = this.lebBits();
    const signed = (last & 0x40) !== 0 ? value - (1n << BigInt(bits)) : value;
    if (signed < -(1n << 63n) || signed >= 1n << 63n) throw new DwarfDecline(`${this.section}: LEB128 at ${this.pos} exceeds 64 bits`);
    return signed;
  }
  private lebBits(): { value: bigint; bits: number; last: number } {
    const start = this.pos;
    let value = 0n;
    let bits = 0;
    for (;;) {
      const b = this.u8();
      value |= BigInt(b & 0x7f) << BigInt(bits);
      bits += 7;
      if ((b & 0x80) === 0) return { value, bits, last: b };
      if (bits > 70) throw new DwarfDecline(`${this.section}: LEB128 at ${start} is longer than 10 bytes`);
    }
  }
}
