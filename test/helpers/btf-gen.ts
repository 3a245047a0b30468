/**
 * A structure-aware generator of hostile BTF and ELF inputs for the fuzz
 * tests. Where test/fuzz-loadbtf.test.ts flips bits in real files (most
 * mutants die at the header), this builds inputs that get past the
 * framing and attack what comes after it, through the project's encoder
 * (src/btf/encode.ts) and a hand-built ELF writer (elf-build.ts):
 *
 * - random graphs of every kind, references in range or not;
 * - cycles through every kind that refers (modifiers, typedefs, arrays,
 *   struct members by value, prototypes, vars, decl tags);
 * - long chains (thousands of PTR/CONST/TYPEDEF/ARRAY/STRUCT links);
 * - huge vlen (up to 65535 members, enumerators, parameters, DATASEC entries);
 * - DATASEC/VAR/FUNC/DECL_TAG reference errors (a VAR of a FUNC, a FUNC of
 *   an INT, a DATASEC entry of id 0 or of 0xffffffff, component_idx past
 *   the members, linkage 7, overlapping entries), odd INT/ENUM sizes;
 * - raw tweaks of an encoded blob at type-header granularity (kind_flag,
 *   vlen and kind fields, name offsets, header lengths and offsets, archives);
 * - split BTF over a base, with references and names across the boundary;
 * - ELF section-table attacks: offsets and sizes near 2^64, shstrndx and
 *   extended numbering, short or long shentsize, a table overlapping data,
 *   names past the string table, several or compressed or NOBITS .BTF,
 *   broken symbol tables, ELF32 and big-endian, truncation.
 *
 * Every case is a value (bytes, optional base) plus its family and a
 * one-line note, so a failure says what the input was. Deterministic for a
 * given fast-check seed.
 */
import fc from 'fast-check';
import { decodeBtf } from '../../src/btf/decode.js';
import { encodeBtf } from '../../src/btf/encode.js';
import type { Btf, BtfMember, BtfType } from '../../src/btf/types.js';
import { buildElf, SHT_NOBITS, SHT_STRTAB, SHT_SYMTAB, type SectionSpec } from './elf-build.js';

export interface GenCase {
  readonly family: Family;
  readonly note: string;
  readonly bytes: Uint8Array;
  readonly base?: Btf;
}

export const FAMILIES = ['graph', 'cycle', 'chain', 'vlen', 'refs', 'raw', 'split', 'elf'] as const;
export type Family = (typeof FAMILIES)[number];

export interface GenSettings {
  /** Longest chain of random draws (types); extremeCases goes to `chainCap`. */
  readonly maxChain: number;
  /** Largest vlen of random draws; extremeCases goes to 65535. */
  readonly maxVlen: number;
  /** Chain length of extremeCases, per pattern (TYPEDEF chains separately: they are the costliest). */
  readonly chainCap: number;
  readonly typedefChainCap: number;
  /** Chains get a named root (a VAR of the chain's head, so the diff renders its C type) up to this length. */
  readonly rootedChainCap: number;
  /** Longest ring with a FUNC_PROTO in it (a prototype refers to the next link twice: fan-out). */
  readonly fanOutRingCap: number;
  /** Relative weights of the families (0: never). */
  readonly weights: Readonly<Record<Family, number>>;
}

const KINDS = [
  'INT',
  'PTR',
  'ARRAY',
  'STRUCT',
  'UNION',
  'ENUM',
  'FWD',
  'TYPEDEF',
  'VOLATILE',
  'CONST',
  'RESTRICT',
  'FUNC',
  'FUNC_PROTO',
  'VAR',
  'DATASEC',
  'FLOAT',
  'DECL_TAG',
  'TYPE_TAG',
  'ENUM64',
] as const;
type Kind = (typeof KINDS)[number];
const REF_KINDS = ['PTR', 'TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG'] as const;

/** Values where off-by-one and overflow bugs live. */
const EDGE_U32 = [0, 1, 2, 7, 8, 31, 32, 63, 64, 0xff, 0x100, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

const IDENTS = ['a', 'b', 'x', 'int', 'char', 'long', 's', 'u', 'e', 'f', 'v', 'next', 'data', 'size', 'list_head', 'task_struct', '_', '__u32', 'T', 'pad'];

const nameArb: fc.Arbitrary<string> = fc.oneof(
  // Identifiers from a pool (with repeats, so names collide across types as they do in real BTF); cheap to draw.
  { weight: 8, arbitrary: fc.nat({ max: 199 }).map((i) => (i < 20 ? IDENTS[i] : `${IDENTS[i % 20]}_${i}`)) },
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('a\nb', '\x1b[2J', 'x\tq\r', '\udcff\udcfe', '__proto__', 'constructor', 'toString', 'é😀', 'a|b`c', '\u202eevil', '\\x41'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 1000 }).map((n) => 'n'.repeat(n)) },
);

const u32Arb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_U32) },
  { weight: 2, arbitrary: fc.nat({ max: 4096 }) },
  fc.nat(),
);

const INT = (id: number, name = 'int', size = 4, bits = 32): BtfType => ({
  kind: 'INT',
  id,
  name,
  nameOff: 0,
  size,
  encoding: { signed: true, char: false, bool: false },
  encodingBits: 1,
  bitsOffset: 0,
  bits,
});

/** One type of `kind` with id `id`, its references drawn from `refs` (cycled), numbers from `nums`. */
function makeType(
  kind: Kind,
  id: number,
  name: string,
  refs: readonly number[],
  nums: readonly number[],
  vlen: number,
  flag: boolean,
  names: readonly string[],
): BtfType {
  const r = (i: number): number => refs[i % refs.length] ?? 0;
  const n = (i: number): number => nums[i % nums.length] ?? 0;
  const nm = (i: number): string => names[i % names.length] ?? '';
  switch (kind) {
    case 'INT':
      return {
        kind,
        id,
        name,
        nameOff: 0,
        size: n(0),
        encoding: { signed: false, char: false, bool: false },
        encodingBits: n(1) & 0xf,
        bitsOffset: n(2) & 0xff,
        bits: n(3) & 0xff,
      };
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return { kind, id, name, nameOff: 0, type: r(0) };
    case 'ARRAY':
      return { kind, id, name, nameOff: 0, type: r(0), indexType: r(1), nelems: n(0) };
    case 'STRUCT':
    case 'UNION': {
      const members: BtfMember[] = [];
      for (let i = 0; i < vlen; i++)
        members.push({ name: nm(i), nameOff: 0, type: r(i), bitsOffset: flag ? n(i) & 0xffffff : n(i), bitfieldSize: flag ? n(i + 1) & 0xff : 0 });
      return { kind, id, name, nameOff: 0, size: n(0), kindFlag: flag, members };
    }
    case 'ENUM':
    case 'ENUM64': {
      const values = Array.from({ length: vlen }, (_, i) => ({ name: nm(i), nameOff: 0, value: BigInt(n(i)) - (flag ? 0x80000000n : 0n) }));
      return { kind, id, name, nameOff: 0, size: n(0) % 2 === 0 ? (kind === 'ENUM' ? 4 : 8) : n(0), signed: flag, values };
    }
    case 'FWD':
      return { kind, id, name, nameOff: 0, fwdKind: flag ? 'union' : 'struct' };
    case 'FUNC':
      return { kind, id, name, nameOff: 0, type: r(0), linkage: n(0) % 4 === 3 ? n(1) & 0xffff : (['static', 'global', 'extern'] as const)[n(0) % 3] };
    case 'FUNC_PROTO':
      return {
        kind,
        id,
        name: '',
        nameOff: 0,
        returnType: r(0),
        params: Array.from({ length: vlen }, (_, i) => ({ name: nm(i), nameOff: 0, type: r(i + 1) })),
      };
    case 'VAR':
      return { kind, id, name, nameOff: 0, type: r(0), linkage: n(0) % 4 === 3 ? n(1) : (['static', 'global', 'extern'] as const)[n(0) % 3] };
    case 'DATASEC':
      return { kind, id, name, nameOff: 0, size: n(0), vars: Array.from({ length: vlen }, (_, i) => ({ type: r(i), offset: n(i + 1), size: n(i + 2) })) };
    case 'FLOAT':
      return { kind, id, name, nameOff: 0, size: n(0) };
    case 'DECL_TAG':
      return { kind, id, name, nameOff: 0, type: r(0), componentIdx: n(0) % 3 === 0 ? -1 : n(0) % 3 === 1 ? n(1) % 8 : n(1) | 0 };
  }
}

interface TypePlan {
  kind: Kind;
  name: string;
  refs: number[];
  nums: number[];
  vlen: number;
  flag: boolean;
  names: string[];
}

/**
 * Plans for whole graphs are drawn from a seeded PRNG rather than one
 * fast-check arbitrary per field: same coverage, a tenth of the cost per
 * case (the suite draws tens of thousands), and a failing case is still
 * reproduced exactly by its seed. (Shrinking is of no use here: a failure
 * is reported with its note, endOnFailure.)
 */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** xorshift32 */
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(max: number): number {
    return this.u32() % (max + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.u32() % items.length];
  }
  chance(oneIn: number): boolean {
    return this.u32() % oneIn === 0;
  }
}

const WEIRD_NAMES = ['a\nb', '\x1b[2J', 'x\tq\r', '\udcff\udcfe', '__proto__', 'constructor', 'toString', 'é😀', 'a|b`c', '\u202eevil', '\\x41'];

function rngName(r: Rng): string {
  const k = r.int(13);
  if (k < 8) {
    const i = r.int(199);
    return i < 20 ? IDENTS[i] : `${IDENTS[i % 20]}_${i}`;
  }
  if (k < 11) return '';
  if (k < 13) return r.pick(WEIRD_NAMES);
  return 'n'.repeat(200 + r.int(800));
}

function rngU32(r: Rng): number {
  const k = r.int(5);
  return k < 3 ? r.pick(EDGE_U32) : k < 5 ? r.int(4096) : r.u32();
}

function rngRef(r: Rng, n: number, bad: boolean): number {
  return bad && r.chance(10) ? r.pick([n + 1, n + 1000, 0x7fffffff, 0xffffffff]) : r.int(n);
}

function rngPlan(r: Rng, n: number, bad: boolean): TypePlan {
  const list = <T>(min: number, max: number, f: () => T): T[] => Array.from({ length: min + r.int(max - min) }, f);
  return {
    kind: r.pick(KINDS),
    name: rngName(r),
    refs: list(1, 6, () => rngRef(r, n, bad)),
    nums: list(1, 6, () => rngU32(r)),
    vlen: r.int(6),
    flag: r.chance(2),
    names: list(1, 3, () => rngName(r)),
  };
}

function plansArb(n: number, bad: boolean): fc.Arbitrary<TypePlan[]> {
  return fc.nat().map((seed) => {
    const r = new Rng(seed);
    return Array.from({ length: n }, () => rngPlan(r, n, bad));
  });
}

function fromPlans(plans: readonly TypePlan[], startId = 1): BtfType[] {
  return plans.map((p, i) => makeType(p.kind, startId + i, p.name, p.refs, p.nums, p.vlen, p.flag, p.names));
}

/** Random graphs: any kind, any reference; with `bad`, some references point past the last id. */
const graphArb: fc.Arbitrary<{ types: BtfType[]; note: string }> = fc
  .record({ n: fc.integer({ min: 1, max: 24 }), bad: fc.boolean() })
  .chain(({ n, bad }) => plansArb(n, bad).map((plans) => ({ types: fromPlans(plans), note: `${n} random types${bad ? ', some refs out of range' : ''}` })));

const CYCLE_KINDS = [...REF_KINDS, 'ARRAY', 'STRUCT', 'UNION', 'FUNC_PROTO', 'VAR', 'FUNC', 'DECL_TAG'] as const;

/** A ring of k types, each referring to the next, the last to the first; plus a few hangers-on. */
function cycleArb(settings: GenSettings): fc.Arbitrary<{ types: BtfType[]; note: string }> {
  return fc
    .record({
      k0: fc.integer({ min: 1, max: 60 }),
      kinds: fc.array(fc.constantFrom(...CYCLE_KINDS), { minLength: 1, maxLength: 8 }),
      names: fc.array(nameArb, { minLength: 1, maxLength: 4 }),
    })
    .map(({ k0, kinds, names }) => {
      const k = kinds.includes('FUNC_PROTO') ? Math.min(k0, settings.fanOutRingCap) : k0;
      // id 1 is int; the ring is ids 2..k+1.
      const types: BtfType[] = [INT(1)];
      for (let i = 0; i < k; i++) {
        const id = i + 2;
        const next = i === k - 1 ? 2 : id + 1;
        const kind = kinds[i % kinds.length];
        types.push(makeType(kind, id, names[i % names.length], [next, 1, next], [4, 8, 0, 32], kind === 'FUNC_PROTO' ? 2 : 2, false, ['a', 'b']));
      }
      // A struct holding itself by value, and a typedef of itself.
      const s = types.length + 1;
      types.push({
        kind: 'STRUCT',
        id: s,
        name: 'self',
        nameOff: 0,
        size: 8,
        kindFlag: false,
        members: [{ name: 'me', nameOff: 0, type: s, bitsOffset: 0, bitfieldSize: 0 }],
      });
      types.push({ kind: 'TYPEDEF', id: s + 1, name: 'loop_t', nameOff: 0, type: s + 1 });
      return { types, note: `ring of ${k} (${kinds.join('→')})` };
    });
}

const CHAIN_PATTERNS = ['PTR', 'CONST/VOLATILE/TYPEDEF', 'ARRAY', 'STRUCT-by-value', 'FUNC_PROTO-return', 'TYPEDEF', 'mixed'] as const;

type ChainPattern = (typeof CHAIN_PATTERNS)[number];
type ChainEnd = 'int' | 'void' | 'loop';

/**
 * A chain of length `len`: type i refers to i-1 (or, forward, i+1), ending
 * at int, void or a loop back; with `rooted`, a VAR `root` of the chain's head.
 */
export function chainTypes(len: number, pattern: ChainPattern, end: ChainEnd, forward: boolean, rooted = false): { types: BtfType[]; note: string } {
  const types: BtfType[] = [INT(1)];
  const first = 2;
  const last = first + len - 1;
  for (let i = 0; i < len; i++) {
    const id = first + i;
    // forward: each refers to the next id (the reader sees the reference before the type).
    let target = forward ? id + 1 : id - 1;
    if (forward && id === last) target = end === 'int' ? 1 : end === 'void' ? 0 : first;
    if (!forward && id === first) target = end === 'int' ? 1 : end === 'void' ? 0 : last;
    const kind: Kind =
      pattern === 'mixed'
        ? (['PTR', 'CONST', 'ARRAY', 'STRUCT', 'TYPEDEF', 'FUNC_PROTO', 'VOLATILE'] as const)[i % 7]
        : pattern === 'CONST/VOLATILE/TYPEDEF'
          ? (['CONST', 'VOLATILE', 'TYPEDEF'] as const)[i % 3]
          : pattern === 'STRUCT-by-value'
            ? 'STRUCT'
            : pattern === 'FUNC_PROTO-return'
              ? 'FUNC_PROTO'
              : pattern;
    types.push(makeType(kind, id, kind === 'TYPEDEF' || kind === 'STRUCT' ? `t${i}` : '', [target, 1], [4, 1, 0, 0], 1, false, ['m']));
  }
  if (rooted) types.push({ kind: 'VAR', id: types.length + 1, name: 'root', nameOff: 0, type: forward ? first : last, linkage: 'global' });
  return { types, note: `chain of ${len} ${pattern}, ${forward ? 'forward' : 'backward'}, ending at ${end}${rooted ? ', rooted at a VAR' : ''}` };
}

/** Chains whose named links are typedefs: the pairing compares them pairwise (see GenSettings.typedefChainCap). */
const typedefHeavy = (p: ChainPattern): boolean => p === 'TYPEDEF' || p === 'CONST/VOLATILE/TYPEDEF' || p === 'mixed';

function chainArb(settings: GenSettings): fc.Arbitrary<{ types: BtfType[]; note: string }> {
  return fc
    .record({
      pattern: fc.constantFrom(...CHAIN_PATTERNS),
      end: fc.constantFrom<ChainEnd>('int', 'void', 'loop'),
      forward: fc.boolean(),
      len: fc.integer({ min: 20, max: settings.maxChain }),
      rooted: fc.boolean(),
    })
    .map(({ len, pattern, end, forward, rooted }) => {
      const n = typedefHeavy(pattern) ? Math.min(len, settings.typedefChainCap) : len;
      return chainTypes(n, pattern, end, forward, rooted && n <= settings.rootedChainCap);
    });
}

const VLEN_KINDS = ['STRUCT', 'UNION', 'ENUM', 'ENUM64', 'FUNC_PROTO', 'DATASEC-of-vars', 'DATASEC-of-int'] as const;

type VlenKind = (typeof VLEN_KINDS)[number];

/** One type of vlen `vlen` (65535 is the field's maximum) of `kind`, with distinct or duplicate names. */
export function vlenTypes(vlen: number, kind: VlenKind, dupNames: boolean): { types: BtfType[]; note: string } {
  const types: BtfType[] = [INT(1)];
  const name = (i: number): string => (dupNames ? 'same' : `m${i}`);
  if (kind === 'DATASEC-of-vars') {
    for (let i = 0; i < vlen; i++) types.push({ kind: 'VAR', id: types.length + 1, name: name(i), nameOff: 0, type: 1, linkage: 'global' });
    const vars = Array.from({ length: vlen }, (_, i) => ({ type: i + 2, offset: dupNames ? 0 : i * 4, size: 4 }));
    types.push({ kind: 'DATASEC', id: types.length + 1, name: '.data', nameOff: 0, size: vlen * 4, vars });
  } else if (kind === 'DATASEC-of-int') {
    types.push({
      kind: 'DATASEC',
      id: 2,
      name: '.bss',
      nameOff: 0,
      size: 4,
      vars: Array.from({ length: vlen }, (_, i) => ({ type: i % 3, offset: i, size: 0xffffffff })),
    });
  } else {
    types.push(makeType(kind, 2, 'big', [1], [4, 0, 32], vlen, false, dupNames ? ['same'] : Array.from({ length: Math.min(vlen, 5000) }, (_, i) => name(i))));
  }
  return { types, note: `${kind} with vlen ${vlen}${dupNames ? ', duplicate names' : ''}` };
}

function vlenArb(maxVlen: number): fc.Arbitrary<{ types: BtfType[]; note: string }> {
  return fc
    .record({ vlen: fc.integer({ min: 64, max: maxVlen }), kind: fc.constantFrom(...VLEN_KINDS), dupNames: fc.boolean() })
    .map(({ vlen, kind, dupNames }) => vlenTypes(vlen, kind, dupNames));
}

/** A small well-formed unit (int, struct, proto, func, var, datasec, decl tag) with 1..3 reference faults. */
function refsArb(): fc.Arbitrary<{ types: BtfType[]; note: string }> {
  const FAULTS = [
    'var-of-func',
    'var-of-datasec',
    'var-of-void',
    'func-of-int',
    'func-of-var',
    'func-of-void',
    'datasec-id0',
    'datasec-id-max',
    'datasec-of-int',
    'datasec-of-itself',
    'datasec-overflow',
    'datasec-overlap',
    'decltag-idx-past',
    'decltag-idx-neg',
    'decltag-of-datasec',
    'func-linkage-7',
    'var-linkage-max',
    'variadic-middle',
    'array-index-struct',
    'enum-size-3',
    'int-bits-past-size',
    'member-past-size',
    'bitfield-wide',
    'fwd-anon',
    'proto-named-func',
  ] as const;
  return fc.uniqueArray(fc.constantFrom(...FAULTS), { minLength: 1, maxLength: 3 }).map((faults) => {
    // 1 int, 2 struct s {a; b}, 3 proto int(int, int), 4 func f, 5 var v, 6 datasec .data {v}, 7 decl tag on member 1 of s
    const t: BtfType[] = [
      INT(1),
      {
        kind: 'STRUCT',
        id: 2,
        name: 's',
        nameOff: 0,
        size: 8,
        kindFlag: false,
        members: [
          { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 },
          { name: 'b', nameOff: 0, type: 1, bitsOffset: 32, bitfieldSize: 0 },
        ],
      },
      {
        kind: 'FUNC_PROTO',
        id: 3,
        name: '',
        nameOff: 0,
        returnType: 1,
        params: [
          { name: 'x', nameOff: 0, type: 1 },
          { name: 'y', nameOff: 0, type: 1 },
        ],
      },
      { kind: 'FUNC', id: 4, name: 'f', nameOff: 0, type: 3, linkage: 'global' },
      { kind: 'VAR', id: 5, name: 'v', nameOff: 0, type: 2, linkage: 'global' },
      { kind: 'DATASEC', id: 6, name: '.data', nameOff: 0, size: 8, vars: [{ type: 5, offset: 0, size: 8 }] },
      { kind: 'DECL_TAG', id: 7, name: 'tag', nameOff: 0, type: 2, componentIdx: 1 },
    ];
    const set = (i: number, patch: Partial<BtfType>): void => {
      t[i] = { ...t[i], ...patch } as BtfType;
    };
    const ds = () => t[5] as Extract<BtfType, { kind: 'DATASEC' }>;
    for (const f of faults) {
      if (f === 'var-of-func') set(4, { type: 4 });
      else if (f === 'var-of-datasec') set(4, { type: 6 });
      else if (f === 'var-of-void') set(4, { type: 0 });
      else if (f === 'func-of-int') set(3, { type: 1 });
      else if (f === 'func-of-var') set(3, { type: 5 });
      else if (f === 'func-of-void') set(3, { type: 0 });
      else if (f === 'datasec-id0') set(5, { vars: [...ds().vars, { type: 0, offset: 0, size: 4 }] });
      else if (f === 'datasec-id-max') set(5, { vars: [...ds().vars, { type: 0xffffffff, offset: 4, size: 4 }] });
      else if (f === 'datasec-of-int') set(5, { vars: [{ type: 1, offset: 0, size: 4 }] });
      else if (f === 'datasec-of-itself') set(5, { vars: [{ type: 6, offset: 0, size: 4 }] });
      else if (f === 'datasec-overflow') set(5, { vars: [{ type: 5, offset: 0xfffffff0, size: 0x20 }] });
      else if (f === 'datasec-overlap') set(5, { vars: [...ds().vars, { type: 5, offset: 2, size: 8 }] });
      else if (f === 'decltag-idx-past') set(6, { componentIdx: 2 });
      else if (f === 'decltag-idx-neg') set(6, { componentIdx: -2 });
      else if (f === 'decltag-of-datasec') set(6, { type: 6, componentIdx: 5 });
      else if (f === 'func-linkage-7') set(3, { linkage: 7 });
      else if (f === 'var-linkage-max') set(4, { linkage: 0xffffffff });
      else if (f === 'variadic-middle')
        set(2, {
          params: [
            { name: '', nameOff: 0, type: 0 },
            { name: 'y', nameOff: 0, type: 1 },
          ],
        });
      else if (f === 'array-index-struct') t.push({ kind: 'ARRAY', id: t.length + 1, name: '', nameOff: 0, type: 1, indexType: 2, nelems: 0xffffffff });
      else if (f === 'enum-size-3')
        t.push({ kind: 'ENUM', id: t.length + 1, name: 'e', nameOff: 0, size: 3, signed: true, values: [{ name: 'A', nameOff: 0, value: -1n }] });
      else if (f === 'int-bits-past-size') set(0, { bits: 200, bitsOffset: 100 } as Partial<BtfType>);
      else if (f === 'member-past-size')
        set(1, {
          members: [
            { name: 'a', nameOff: 0, type: 1, bitsOffset: 0xffffffff, bitfieldSize: 0 },
            { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 },
          ],
        });
      else if (f === 'bitfield-wide') set(1, { kindFlag: true, members: [{ name: 'a', nameOff: 0, type: 1, bitsOffset: 3, bitfieldSize: 200 }] });
      else if (f === 'fwd-anon') t.push({ kind: 'FWD', id: t.length + 1, name: '', nameOff: 0, fwdKind: 'union' });
      else if (f === 'proto-named-func') set(2, { name: 'named_proto' });
    }
    return { types: t, note: `reference faults: ${faults.join(', ')}` };
  });
}

type Raw =
  | { op: 'kflag' | 'vlen' | 'kind' | 'nameoff'; type: number; value: number }
  | { op: 'hdrlen' | 'typeoff' | 'stroff' | 'strlen'; value: number }
  | { op: 'archive' | 'be' | 'strnul' };

const rawArb: fc.Arbitrary<Raw> = fc.oneof(
  fc.record({ op: fc.constantFrom('kflag' as const, 'vlen' as const, 'kind' as const, 'nameoff' as const), type: fc.nat(), value: u32Arb }),
  fc.record({ op: fc.constantFrom('hdrlen' as const, 'typeoff' as const, 'stroff' as const, 'strlen' as const), value: u32Arb }),
  fc.record({ op: fc.constantFrom('archive' as const, 'be' as const, 'strnul' as const) }),
);

/** Offsets (in the type section) where each encoded type starts: walk the encoder's sizes. */
function typeStarts(bytes: Uint8Array, le: boolean): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hdr = v.getUint32(4, le);
  const len = v.getUint32(12, le);
  const out: number[] = [];
  let at = hdr;
  while (at + 12 <= hdr + len) {
    out.push(at);
    const info = v.getUint32(at + 4, le);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const extra =
      kind === 1 || kind === 14 || kind === 17 ? 4 : kind === 3 ? 12 : [4, 5, 15, 19].includes(kind) ? 12 * vlen : kind === 6 || kind === 13 ? 8 * vlen : 0;
    at += 12 + extra;
  }
  return out;
}

/** An encoded random graph, then raw changes at type-header and blob-header granularity. */
function rawArbCase(): fc.Arbitrary<{ bytes: Uint8Array; note: string }> {
  return fc.record({ g: graphArb, raws: fc.array(rawArb, { minLength: 1, maxLength: 3 }) }).map(({ g, raws }) => {
    const be = raws.some((r) => r.op === 'be');
    let bytes = encodeBtf(
      { types: g.types },
      { byteOrder: be ? 'big' : 'little', ...(raws.some((r) => r.op === 'hdrlen' && r.value % 2 === 0) ? { headerLength: 32 } : {}) },
    );
    const le = !be;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const starts = typeStarts(bytes, le);
    for (const r of raws) {
      if ((r.op === 'kflag' || r.op === 'vlen' || r.op === 'kind' || r.op === 'nameoff') && starts.length > 0) {
        const at = starts[r.type % starts.length];
        const info = v.getUint32(at + 4, le);
        if (r.op === 'kflag') v.setUint32(at + 4, (info ^ 0x80000000) >>> 0, le);
        else if (r.op === 'vlen') v.setUint32(at + 4, ((info & 0xffff0000) | (r.value & 0xffff)) >>> 0, le);
        else if (r.op === 'kind') v.setUint32(at + 4, ((info & 0xe0ffffff) | ((r.value & 0x1f) << 24)) >>> 0, le);
        else v.setUint32(at, r.value >>> 0, le);
      } else if (r.op === 'hdrlen') v.setUint32(4, r.value % 3 === 0 ? r.value >>> 0 : v.getUint32(4, le), le);
      else if (r.op === 'typeoff') v.setUint32(8, r.value >>> 0, le);
      else if (r.op === 'stroff') v.setUint32(16, r.value >>> 0, le);
      else if (r.op === 'strlen') v.setUint32(20, r.value >>> 0, le);
      else if (r.op === 'strnul') bytes[bytes.length - 1] = 0x41;
      else if (r.op === 'archive') {
        const second = encodeBtf({ types: g.types.slice(0, Math.max(1, g.types.length >> 1)) });
        const out = new Uint8Array(bytes.length + 3 + second.length + 5);
        out.set(bytes, 0);
        out.set(second, bytes.length + 3); // three bytes of zero padding between the blobs
        out.set([0x9f, 0xeb, 1, 0, 24], bytes.length + 3 + second.length); // a third blob's header cut short
        bytes = out;
      }
    }
    return { bytes, note: `${g.note}; raw ${raws.map((r) => r.op + ('value' in r ? `=${r.value}` : '')).join(', ')}` };
  });
}

/** Split BTF over a small base, referring (and naming) across the boundary, sometimes past both. */
function splitArb(): fc.Arbitrary<GenCase> {
  return fc.record({ baseN: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 1, max: 20 }), bad: fc.boolean() }).chain(({ baseN, n, bad }) =>
    fc
      .record({
        basePlans: plansArb(baseN, false),
        plans: plansArb(baseN + n, bad),
      })
      .map(({ basePlans, plans }) => {
        let base: Btf;
        try {
          base = decodeBtf(encodeBtf({ types: fromPlans(basePlans) }));
        } catch {
          base = decodeBtf(encodeBtf({ types: [INT(1)] }));
        }
        const start = base.types.length + 1;
        const bytes = encodeBtf({ types: fromPlans(plans, start) }, { base });
        return {
          family: 'split' as const,
          note: `split: ${plans.length} types over a base of ${base.types.length}${bad ? ', some refs out of range' : ''}`,
          bytes,
          base,
        };
      }),
  );
}

const ELF_ATTACKS = [
  'plain',
  'elf32',
  'big-endian',
  'btf-offset-past-eof',
  'btf-offset-2^64',
  'btf-size-2^64',
  'btf-size-0',
  'btf-nobits',
  'btf-compressed',
  'two-btf',
  'btf-ext',
  'shstrndx-out-of-range',
  'shstrndx-0',
  'shstrndx-xindex',
  'shnum-0-huge',
  'shnum-0-small',
  'shentsize-small',
  'shentsize-large',
  'shoff-past-eof',
  'shoff-2^64',
  'shoff-into-btf',
  'name-past-shstrtab',
  'shstrtab-no-nul',
  'symtab-garbage',
  'symtab-link-out-of-range',
  'symtab-odd-size',
  'overlapping-sections',
  'truncated',
] as const;

/** A hand-built ELF around a BTF blob (valid, or from the graph family), with one or two section-table attacks. */
function elfArb(): fc.Arbitrary<GenCase> {
  return fc
    .record({
      g: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: graphArb }),
      attacks: fc.uniqueArray(fc.constantFrom(...ELF_ATTACKS), { minLength: 1, maxLength: 2 }),
      cut: fc.nat(),
      junk: fc.uint8Array({ minLength: 0, maxLength: 64 }),
    })
    .map(({ g, attacks, cut, junk }) => {
      const types = g?.types ?? [INT(1), { kind: 'VAR', id: 2, name: 'v', nameOff: 0, type: 1, linkage: 'global' }];
      const has = (a: (typeof ELF_ATTACKS)[number]) => attacks.includes(a);
      const btf = encodeBtf({ types }, { byteOrder: has('big-endian') ? 'big' : 'little' });
      const sec: SectionSpec = {
        name: '.BTF',
        data: btf,
        ...(has('btf-offset-past-eof') ? { offset: 1n << 20n } : {}),
        ...(has('btf-offset-2^64') ? { offset: 0xffffffffffffffffn } : {}),
        ...(has('btf-size-2^64') ? { size: 0xfffffffffffffff0n } : {}),
        ...(has('btf-size-0') ? { size: 0n } : {}),
        ...(has('btf-nobits') ? { type: SHT_NOBITS } : {}),
        ...(has('btf-compressed') ? { flags: 0x800n } : {}),
        ...(has('name-past-shstrtab') ? {} : {}),
      };
      // A symbol table: null symbol + one named `v` in section 1.
      const strtab = new TextEncoder().encode('\0v\0');
      const symSize = has('elf32') ? 16 : 24;
      const sym = new Uint8Array(symSize * 2);
      const sv = new DataView(sym.buffer);
      sv.setUint32(symSize, 1, !has('big-endian'));
      sym[symSize + (has('elf32') ? 12 : 4)] = 0x11; // GLOBAL OBJECT
      sv.setUint16(symSize + (has('elf32') ? 14 : 6), has('symtab-link-out-of-range') ? 0xfff0 : 1, !has('big-endian'));
      const sections: SectionSpec[] = [
        sec,
        { name: '.strtab', type: SHT_STRTAB, data: strtab },
        {
          name: '.symtab',
          type: SHT_SYMTAB,
          data: has('symtab-garbage') ? junk : has('symtab-odd-size') ? sym.subarray(0, symSize + 5) : sym,
          link: has('symtab-link-out-of-range') ? 999 : 2,
          entsize: symSize,
        },
      ];
      if (has('two-btf')) sections.push({ name: '.BTF', data: junk });
      if (has('btf-ext')) sections.push({ name: '.BTF.ext', data: junk });
      if (has('overlapping-sections')) sections.push({ name: '.overlap', data: junk, offset: 70n, size: BigInt(btf.length) });
      const count = sections.length + 2;
      let bytes = buildElf({
        class: has('elf32') ? 32 : 64,
        little: !has('big-endian'),
        sections,
        ...(has('shstrndx-out-of-range') ? { shstrndx: count + 5 } : {}),
        ...(has('shstrndx-0') ? { shstrndx: 0 } : {}),
        ...(has('shstrndx-xindex') ? { shstrndx: 0xffff } : {}),
        ...(has('shnum-0-huge') || has('shnum-0-small') ? { shnum: 0 } : {}),
        ...(has('shentsize-small') ? { shentsize: 16 } : {}),
        ...(has('shoff-2^64') ? { shoff: 0xfffffffffffffff8n } : {}),
        ...(has('shoff-into-btf') ? { shoff: 72n } : {}),
      });
      const is64 = !has('elf32');
      const le = !has('big-endian');
      const v = new DataView(bytes.buffer);
      const shoffAt = is64 ? 0x28 : 0x20;
      const shoff = is64 ? Number(v.getBigUint64(shoffAt, le) & 0xffffffffn) : v.getUint32(shoffAt, le);
      if (has('shnum-0-huge') && shoff + 64 <= bytes.length) {
        if (is64) v.setBigUint64(shoff + 32, 0xffffffffffffn, le);
        else v.setUint32(shoff + 20, 0xffffffff, le);
      }
      if (has('shnum-0-small') && shoff + 64 <= bytes.length) {
        if (is64) v.setBigUint64(shoff + 32, 2n, le);
        else v.setUint32(shoff + 20, 2, le);
      }
      if (has('shstrndx-xindex') && shoff + 64 <= bytes.length) v.setUint32(shoff + (is64 ? 40 : 24), cut % 2 === 0 ? count - 1 : 0xfffffff, le);
      if (has('shentsize-large')) {
        // Re-lay the table with 128-byte entries is beyond the builder: claim 128, so entries are read at the wrong stride.
        v.setUint16(is64 ? 0x3a : 0x2e, 128, le);
      }
      if (has('shoff-past-eof')) {
        if (is64) v.setBigUint64(shoffAt, BigInt(bytes.length + 8), le);
        else v.setUint32(shoffAt, bytes.length + 8, le);
      }
      if (has('name-past-shstrtab') && shoff + 128 <= bytes.length) v.setUint32(shoff + (is64 ? 64 : 40), 0xfffff, le);
      if (has('shstrtab-no-nul')) {
        const at = Buffer.from(bytes).lastIndexOf('.shstrtab\0');
        if (at > 0) bytes[at + 9] = 0x41;
      }
      if (has('truncated')) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      return { family: 'elf' as const, note: `ELF ${attacks.join(' + ')}${g ? ` around ${g.note}` : ''}`, bytes };
    });
}

export const DEFAULT_SETTINGS: GenSettings = {
  maxChain: 300,
  maxVlen: 2048,
  chainCap: 20_000,
  typedefChainCap: 20_000,
  rootedChainCap: 20_000,
  fanOutRingCap: 60,
  weights: { graph: 30, cycle: 10, chain: 1, vlen: 0.5, refs: 15, raw: 20, split: 8, elf: 20 },
};

/**
 * The extremes, one case each, deterministic: vlen 65535 of every kind
 * that has a vlen, and a chain at the cap of every pattern.
 */
export function extremeCases(settings: GenSettings = DEFAULT_SETTINGS): GenCase[] {
  const out: GenCase[] = [];
  for (const kind of VLEN_KINDS) {
    const { types, note } = vlenTypes(65535, kind, kind === 'STRUCT');
    out.push({ family: 'vlen', note, bytes: encodeBtf({ types }) });
  }
  for (const [i, pattern] of CHAIN_PATTERNS.entries()) {
    const len = typedefHeavy(pattern) ? settings.typedefChainCap : settings.chainCap;
    const { types, note } = chainTypes(len, pattern, (['int', 'void', 'loop'] as const)[i % 3], i % 2 === 0);
    out.push({ family: 'chain', note, bytes: encodeBtf({ types }) });
  }
  // The longest chain the diff has to render as one C type.
  const rooted = chainTypes(settings.rootedChainCap, 'PTR', 'int', false, true);
  out.push({ family: 'chain', note: rooted.note, bytes: encodeBtf({ types: rooted.types }) });
  return out;
}

/** The generator: one hostile input per draw, family chosen by `settings.weights`. */
export function btfCase(settings: GenSettings = DEFAULT_SETTINGS): fc.Arbitrary<GenCase> {
  const typed = (family: Family, arb: fc.Arbitrary<{ types: BtfType[]; note: string }>) =>
    arb.map(({ types, note }): GenCase => ({ family, note, bytes: encodeBtf({ types }) }));
  const all: Record<Family, fc.Arbitrary<GenCase>> = {
    graph: typed('graph', graphArb),
    cycle: typed('cycle', cycleArb(settings)),
    chain: typed('chain', chainArb(settings)),
    vlen: typed('vlen', vlenArb(settings.maxVlen)),
    refs: typed('refs', refsArb()),
    raw: rawArbCase().map(({ bytes, note }) => ({ family: 'raw' as const, note, bytes })),
    split: splitArb(),
    elf: elfArb(),
  };
  // fast-check weights are integers: scale so that a weight of 0.5 is 1.
  const arms = FAMILIES.filter((f) => settings.weights[f] > 0).map((f) => ({ weight: Math.max(1, Math.round(settings.weights[f] * 2)), arbitrary: all[f] }));
  return fc.oneof(...arms);
}
