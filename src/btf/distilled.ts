/**
 * Split BTF over a distilled base: a kernel module's `.BTF` whose base is
 * not vmlinux but the small `.BTF.base` beside it (pahole
 * `--btf_features=distilled_base`, pahole >= 1.28). The distilled base holds
 * only named INT, FLOAT, ENUM, STRUCT, UNION and FWD types standing for the
 * vmlinux types the module refers to (composites with their size and no
 * members). Read alone, the module is split BTF over that base; given the
 * full base, it is relocated onto it as libbpf's btf__relocate does (and
 * bpftool 7.8 with `-B`): each distilled type is matched to a base type by
 * name, kind and size, the module's own ids move to follow the full base,
 * and its references and name offsets are rewritten. Pure.
 *
 * The matching, described from libbpf's behaviour (tools/lib/bpf/btf_relocate.c):
 * - every distilled type must be one of those kinds and named;
 * - base INT, FLOAT, ENUM, ENUM64 match by name and size; FWD by name;
 *   STRUCT and UNION by name, and by size too when the base has several
 *   composites of that name;
 * - the kinds must fit: a distilled FWD takes a base FWD of the same
 *   flavour or the STRUCT/UNION its flavour names; INT needs the same
 *   encoding; a distilled ENUM takes ENUM or ENUM64; a distilled composite
 *   that a module composite embeds (through qualifiers, typedefs, type
 *   tags and arrays, not pointers) must have the base type's size;
 * - a distilled type matched twice is ambiguous, one matched never is
 *   missing: both are errors (the module cannot be loaded on that base).
 */
import { InputError } from '../errors.js';
import type { LazyBtf, LazyTypes } from './decode.js';
import { remapNames, remapType } from './refs.js';
import { stringSpaceEnd } from './strings.js';
import type { Btf, BtfHeader, BtfType, ByteOrder } from './types.js';

/** Types in id order: the base, distilled base and split blobs as either a graph or a LazyBtf. */
export interface TypeList {
  readonly startId: number;
  /** This list's own types. */
  readonly count: number;
  typeAt(index: number): BtfType;
}

/** Where a relocated module's ids and name offsets go. */
export interface Relocation {
  /** The relocated id of a split or distilled id (void stays 0). */
  readonly id: (id: number) => number;
  /** The relocated name offset of a split type's (or entry's) name. */
  readonly nameOff: (off: number) => number;
  /** First id of the relocated module: the full base's count + 1. */
  readonly startId: number;
}

/** Kinds a distilled base may hold. */
const DISTILLED_KINDS: ReadonlySet<BtfType['kind']> = new Set(['INT', 'FLOAT', 'ENUM', 'STRUCT', 'UNION', 'FWD']);

/** The `size` a type is matched by (0 for kinds without one, as the header word holds for FWD). */
function sizeOf(t: BtfType): number {
  return 'size' in t ? t.size : 0;
}

/**
 * How `split` (a module over `dist`, its distilled base) maps onto `base`.
 * `distStrLen` and `baseStrLen` are where each base's strings end: module
 * names past the distilled strings move by the difference, names the module
 * shares with the distilled base take the matched base type's offset.
 */
export function relocation(split: TypeList, dist: TypeList, base: TypeList, distStrLen: number, baseStrLen: number): Relocation {
  checkDistilled(dist);
  const distCount = dist.count;
  const baseCount = base.startId - 1 + base.count;
  const map = new Int32Array(distCount + 1); // distilled id -> base id, 0 while unmatched
  const strMap = new Map<number, number>();
  const embedded = embeddedComposites(split, dist);
  const byName = distilledByName(dist);
  const composites = compositeNameCounts(base);
  for (let i = 0; i < base.count; i++) {
    const b = base.typeAt(i);
    if (b.name === '') continue;
    const bySize = needsSize(b, composites);
    if (bySize === undefined) continue;
    for (const d of byName.get(b.name) ?? []) {
      if (bySize && sizeOf(d) !== sizeOf(b)) continue;
      if (!fits(d, b, embedded.has(d.id))) continue;
      if (map[d.id] !== 0) {
        throw new InputError(
          `distilled base type '${d.name}' [${d.id}] (size ${sizeOf(b)}) matches base types [${map[d.id]}] and [${b.id}]: ambiguous relocation`,
        );
      }
      map[d.id] = b.id;
      strMap.set(d.nameOff, b.nameOff);
    }
  }
  for (let id = 1; id <= distCount; id++) {
    if (map[id] === 0) {
      const d = dist.typeAt(id - 1);
      throw new InputError(`distilled base type ${d.kind} '${d.name}' [${id}] has no match in the base BTF (${baseCount} types)`);
    }
  }
  const shift = baseCount - distCount;
  return {
    startId: baseCount + 1,
    id: (id) => (id === 0 ? 0 : id <= distCount ? map[id] : id + shift),
    nameOff: (off) => (off === 0 ? 0 : off >= distStrLen ? off + baseStrLen - distStrLen : baseString(off, strMap)),
  };
}

/** A module name held in the distilled base's strings: only a matched distilled type's name has a place in the base (libbpf refuses any other). */
function baseString(off: number, strMap: ReadonlyMap<number, number>): number {
  const to = strMap.get(off);
  if (to === undefined)
    throw new InputError(`name offset ${off} is in the distilled base's strings but names no distilled type: it has no place in the base BTF`);
  return to;
}

/** The module's types relocated: new ids, references and name offsets. */
export function relocateType(t: BtfType, r: Relocation): BtfType {
  return remapNames(remapType(t, r.id(t.id), r.id), r.nameOff);
}

/** A decoded graph as a TypeList. */
function graphList(btf: Btf): TypeList {
  return { startId: btf.startId, count: btf.types.length, typeAt: (i) => btf.types[i] };
}

/**
 * The module `split` (decoded over its distilled base `dist`) relocated onto
 * `base`. Its own string section stays valid as it is: its strings are at
 * the same place after the full base's as they were after the distilled one's.
 */
export function relocateBtf(split: Btf, dist: Btf, base: Btf): Btf {
  const r = relocation(graphList(split), graphList(dist), graphList(base), dist.header.strLen, stringSpaceEnd(base));
  const types = split.types.map((t) => relocateType(t, r));
  return { ...split, startId: r.startId, types, base };
}

/** As relocateBtf for a LazyBtf module: each type is relocated when asked. */
export class RelocatedLazy implements LazyTypes {
  readonly header: BtfHeader;
  readonly byteOrder: ByteOrder;
  readonly byteLength: number;
  readonly startId: number;
  readonly count: number;
  private readonly r: Relocation;

  constructor(
    private readonly split: LazyBtf,
    dist: LazyBtf,
    readonly base: LazyBtf,
  ) {
    this.header = split.header;
    this.byteOrder = split.byteOrder;
    this.byteLength = split.byteLength;
    this.count = split.count;
    this.r = relocation(split, dist, base, dist.header.strLen, base.strings.end);
    this.startId = this.r.startId;
  }

  get typeCount(): number {
    return this.startId - 1 + this.count;
  }

  typeAt(index: number): BtfType {
    return relocateType(this.split.typeAt(index), this.r);
  }

  typeById(id: number): BtfType | undefined {
    if (id <= 0) return undefined;
    if (id < this.startId) return this.base.typeById(id);
    return id - this.startId < this.count ? this.typeAt(id - this.startId) : undefined;
  }
}

function checkDistilled(dist: TypeList): void {
  for (let i = 0; i < dist.count; i++) {
    const t = dist.typeAt(i);
    if (!DISTILLED_KINDS.has(t.kind))
      throw new InputError(`distilled base type [${t.id}] is a ${t.kind}; a distilled base holds only INT, FLOAT, ENUM, STRUCT, UNION and FWD`);
    if (t.name === '') throw new InputError(`distilled base type [${t.id}] (${t.kind}) is anonymous; distilled base types are named`);
  }
}

/** Distilled types by name. */
function distilledByName(dist: TypeList): Map<string, BtfType[]> {
  const out = new Map<string, BtfType[]>();
  for (let i = 0; i < dist.count; i++) {
    const t = dist.typeAt(i);
    const list = out.get(t.name);
    if (list) list.push(t);
    else out.set(t.name, [t]);
  }
  return out;
}

/** How many base composites carry each name: a name held by several is matched by size too. */
function compositeNameCounts(base: TypeList): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < base.count; i++) {
    const t = base.typeAt(i);
    if ((t.kind === 'STRUCT' || t.kind === 'UNION') && t.name !== '') out.set(t.name, (out.get(t.name) ?? 0) + 1);
  }
  return out;
}

/** Whether base type `b` is matched by size too; undefined for kinds a distilled type never stands for. */
function needsSize(b: BtfType, composites: ReadonlyMap<string, number>): boolean | undefined {
  switch (b.kind) {
    case 'INT':
    case 'FLOAT':
    case 'ENUM':
    case 'ENUM64':
      return true;
    case 'FWD':
      return false;
    case 'STRUCT':
    case 'UNION':
      return (composites.get(b.name) ?? 0) > 1;
    default:
      return undefined;
  }
}

/** Whether distilled `d` may stand for base `b` of the same name. */
function fits(d: BtfType, b: BtfType, isEmbedded: boolean): boolean {
  switch (d.kind) {
    case 'FWD':
      if (b.kind === 'FWD') return b.fwdKind === d.fwdKind;
      // A base composite's kind_flag (bitfield offsets) is what libbpf compares with the FWD's union flag.
      if (b.kind === 'STRUCT' || b.kind === 'UNION') return b.kindFlag === (b.kind === 'UNION');
      return false;
    case 'INT':
      return b.kind === 'INT' && b.encodingBits === d.encodingBits;
    case 'FLOAT':
      return b.kind === 'FLOAT';
    case 'ENUM':
      return b.kind === 'ENUM' || b.kind === 'ENUM64';
    case 'STRUCT':
    case 'UNION':
      return (b.kind === 'STRUCT' || b.kind === 'UNION') && (!isEmbedded || b.size === d.size);
    default:
      return false;
  }
}

/** Distilled composites that a module struct/union holds by value (through qualifiers, typedefs, type tags, arrays). */
function embeddedComposites(split: TypeList, dist: TypeList): Set<number> {
  const distCount = dist.count;
  const byId = (id: number): BtfType | undefined =>
    id >= split.startId && id < split.startId + split.count ? split.typeAt(id - split.startId) : id >= 1 && id <= distCount ? dist.typeAt(id - 1) : undefined;
  const out = new Set<number>();
  for (let i = 0; i < split.count; i++) {
    const t = split.typeAt(i);
    if (t.kind !== 'STRUCT' && t.kind !== 'UNION') continue;
    for (const m of t.members) {
      // Bounded by the number of types: a chain of modifiers cannot loop in valid BTF, and an invalid one stops here.
      let id = m.type;
      for (let steps = 0; id !== 0 && steps <= split.count + distCount; steps++) {
        const u = byId(id);
        if (u === undefined) break;
        if (u.kind === 'CONST' || u.kind === 'VOLATILE' || u.kind === 'RESTRICT' || u.kind === 'TYPEDEF' || u.kind === 'TYPE_TAG' || u.kind === 'ARRAY') {
          id = u.type;
          continue;
        }
        if ((u.kind === 'STRUCT' || u.kind === 'UNION') && id <= distCount) out.add(id);
        break;
      }
    }
  }
  return out;
}
