/**
 * The local shape of a BTF type: everything about it except the ids it
 * refers to. Two types can only be the same if their shapes are equal;
 * partition refinement (refine.ts) then tells apart types whose shapes agree
 * but whose referenced types differ.
 *
 * The shape string is also the canonical dump line with the references
 * left out, so it is written to be read: `STRUCT 'list' size=24 ...`.
 * Names are JSON-quoted so that no name can forge a separator.
 */
import { BTF_KIND, type BtfKind, isRef, isRefPair, kindPair } from '../btf/kinds.js';
import { typeRefs } from '../btf/refs.js';
import type { Btf, BtfComposite, BtfEnum, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { enumSignWord, linkageText } from '../btf/words.js';
import { assertNever, byCodeUnit } from '../lang.js';

/** Quote a name unambiguously; plain identifiers (nearly all names) skip JSON escaping. */
const q = (s: string): string => (isPlain(s) ? `"${s}"` : JSON.stringify(s));
const isPlain = (s: string): boolean => /^[\w.$ ]*$/.test(s);

/**
 * The local shape. Every piece of a type that is not a type reference is
 * in it, and it also fixes how many references the type has (vlen is part
 * of every variable-length kind), so the reference lists of two types with
 * equal shapes line up position by position.
 */
export function localShape(t: BtfType): string {
  if (isRef(t)) return `${t.kind} ${q(t.name)}${t.kindFlag ? ' kflag=1' : ''}`;
  switch (t.kind) {
    case 'INT':
      return `INT ${q(t.name)} size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.bits} encoding=${t.encodingBits}`;
    case 'ARRAY':
      return `ARRAY nr_elems=${t.nelems}`;
    case 'STRUCT':
    case 'UNION': {
      const ms = t.members.map((m) => `${q(m.name)}@${m.bitsOffset}${m.bitfieldSize ? `:${m.bitfieldSize}` : ''}`);
      return `${t.kind} ${q(t.name)} size=${t.size} kflag=${t.kindFlag ? 1 : 0} vlen=${t.members.length} {${ms.join(' ')}}`;
    }
    case 'ENUM':
    case 'ENUM64': {
      const vs = t.values.map((v) => `${q(v.name)}=${v.value}`);
      return `${t.kind} ${q(t.name)} size=${t.size} ${enumSignWord(t.signed)} vlen=${t.values.length} {${vs.join(' ')}}`;
    }
    case 'FWD':
      return `FWD ${q(t.name)} fwd_kind=${t.fwdKind}`;
    case 'FUNC':
      return `FUNC ${q(t.name)} linkage=${linkageText(t.linkage)}`;
    case 'FUNC_PROTO':
      return `FUNC_PROTO vlen=${t.params.length} (${t.params.map((p) => q(p.name)).join(' ')})`;
    case 'VAR':
      return `VAR ${q(t.name)} linkage=${linkageText(t.linkage)}`;
    case 'DATASEC': {
      const vs = t.vars.map((v) => `@${v.offset}+${v.size}`);
      return `DATASEC ${q(t.name)} size=${t.size} vlen=${t.vars.length} {${vs.join(' ')}}`;
    }
    case 'FLOAT':
      return `FLOAT ${q(t.name)} size=${t.size}`;
    case 'DECL_TAG':
      return `DECL_TAG ${q(t.name)} component_idx=${t.componentIdx}${t.kindFlag ? ' kflag=1' : ''}`;
  }
  return assertNever(t);
}

/**
 * Kinds whose shape does not start with `KIND q(name)` (the name is not
 * part of their shape); every other kind's does, which compareShapes
 * relies on (test/canonical-shape-order.test.ts checks it on random types).
 */
const NAMELESS: ReadonlySet<BtfKind> = new Set<BtfKind>(['ARRAY', 'FUNC_PROTO']);

/**
 * Per kind, the rank of `KIND ` in code-unit order: every shape starts with
 * its kind word and a space, and no `KIND ` is a prefix of another's (no
 * kind word has a space), so shapes of different kinds order as these do.
 */
const KIND_RANK: ReadonlyMap<BtfKind, number> = new Map(
  (Object.keys(BTF_KIND) as BtfKind[])
    .map((k) => [k, `${k} `] as const)
    .sort((a, b) => byCodeUnit(a[1], b[1]))
    .map(([k], r) => [k, r]),
);

/**
 * Per node (1 .. size - 1; `typeOf(node)` its type), the dense rank of its
 * shape in byCodeUnit order of localShape; void (node 0) ranks 0, before
 * every real shape.
 *
 * Equal to sorting the localShape strings (as canonicalize did until
 * issue 13) but most strings are never built: shapes of different kinds
 * order as their kind words (KIND_RANK), and shapes `KIND q(name) ...` of
 * one kind with different names order as their quoted names, because a
 * JSON string literal is never a proper prefix of another (its closing
 * quote is the only unescaped one). Only types of one kind and one name
 * (PTRs, anonymous structs, every FUNC_PROTO) compare whole shapes,
 * built once each. The 56k FUNCs of a kernel have unique names: building
 * and sorting ~6 MB of shape strings was most of canonicalize's time.
 */
export function rankShapes(size: number, typeOf: (node: number) => BtfType): Int32Array {
  const kind = new Uint8Array(size);
  const plain = new Uint8Array(size);
  const names: string[] = new Array(size).fill('');
  const types: BtfType[] = new Array(size);
  for (let n = 1; n < size; n++) {
    const t = typeOf(n);
    types[n] = t;
    kind[n] = KIND_RANK.get(t.kind)!;
    names[n] = t.name;
    plain[n] = isPlain(t.name) ? 1 : 0;
  }
  const shapes: (string | undefined)[] = new Array(size);
  const shape = (n: number): string => (shapes[n] ??= localShape(types[n]));
  // Within one kind: named kinds by quoted name first, then (and nameless kinds at once) by the whole shape.
  const byShape = (a: number, b: number): number => byCodeUnit(shape(a), shape(b));
  const byName = (a: number, b: number): number => {
    const c = plain[a] === 1 && plain[b] === 1 ? comparePlainQuoted(names[a], names[b]) : byCodeUnit(q(names[a]), q(names[b]));
    return c !== 0 ? c : byShape(a, b);
  };
  const rank = new Int32Array(size);
  let r = 0;
  for (const nodes of byKind(size, kind)) {
    // A group is one kind: whether it is named is its first node's kind's.
    const compare = NAMELESS.has(types[nodes[0]].kind) ? byShape : byName;
    nodes.sort(compare);
    for (let i = 0; i < nodes.length; i++) {
      if (i === 0 || compare(nodes[i - 1], nodes[i]) !== 0) r++;
      rank[nodes[i]] = r;
    }
  }
  return rank;
}

/** Nodes 1 .. size - 1 grouped by `kind` (a KIND_RANK), the groups in rank order, empty ones left out. */
function byKind(size: number, kind: Uint8Array): number[][] {
  const groups: number[][] = Array.from({ length: KIND_RANK.size }, () => []);
  for (let n = 1; n < size; n++) groups[kind[n]].push(n);
  return groups.filter((g) => g.length > 0);
}

/**
 * byCodeUnit(q(x), q(y)) for two plain names (q quotes them as they are)
 * without building either: names order as themselves, except where one
 * is a prefix of the other: there the shorter's closing quote (0x22)
 * meets the longer's next code unit, which a space (0x20) is below and
 * every other plain character ([\w.$]) above.
 */
export function comparePlainQuoted(x: string, y: string): number {
  // The prefix test runs only when the longer name goes on with a space: nearly never, as kernel names have none.
  if (x < y) return y.charCodeAt(x.length) === 0x20 && y.startsWith(x) ? 1 : -1;
  if (y < x) return x.charCodeAt(y.length) === 0x20 && x.startsWith(y) ? -1 : 1;
  return 0;
}

/**
 * `localShape(a) === localShape(b)`, decided field by field without
 * building either string: the pairwise equality (equiv.ts) asks this for
 * every pair it visits, ~250k times on a kernel diff. Must stay in step
 * with localShape: every field that goes into the string is compared here,
 * and nothing else (ARRAY and FUNC_PROTO names are not in the shape).
 */
export function sameLocalShape(a: BtfType, b: BtfType): boolean {
  const p = kindPair(a, b);
  if (p === undefined) return false;
  // kind_flag is set on TYPE_TAGs only (BtfRef.kindFlag); absent and false agree, as in localShape.
  if (isRefPair(p)) return a.name === b.name && !p.l.kindFlag === !p.r.kindFlag;
  switch (p.kind) {
    case 'INT': {
      const { l, r } = p;
      return l.name === r.name && l.size === r.size && l.bitsOffset === r.bitsOffset && l.bits === r.bits && l.encodingBits === r.encodingBits;
    }
    case 'ARRAY':
      return p.l.nelems === p.r.nelems;
    case 'STRUCT':
    case 'UNION':
      return sameComposite(p.l, p.r);
    case 'ENUM':
    case 'ENUM64':
      return sameEnum(p.l, p.r);
    case 'FWD':
      return a.name === b.name && p.l.fwdKind === p.r.fwdKind;
    case 'FUNC':
    case 'VAR':
      return a.name === b.name && p.l.linkage === p.r.linkage;
    case 'FUNC_PROTO': {
      const { l, r } = p;
      if (l.params.length !== r.params.length) return false;
      for (let i = 0; i < l.params.length; i++) if (l.params[i].name !== r.params[i].name) return false;
      return true;
    }
    case 'DATASEC': {
      const { l, r } = p;
      if (l.name !== r.name || l.size !== r.size || l.vars.length !== r.vars.length) return false;
      for (let i = 0; i < l.vars.length; i++) if (l.vars[i].offset !== r.vars[i].offset || l.vars[i].size !== r.vars[i].size) return false;
      return true;
    }
    case 'FLOAT':
      return a.name === b.name && p.l.size === p.r.size;
    case 'DECL_TAG':
      return a.name === b.name && p.l.componentIdx === p.r.componentIdx && p.l.kindFlag === p.r.kindFlag;
  }
  return assertNever(p);
}

function sameComposite(a: BtfComposite, b: BtfComposite): boolean {
  if (a.name !== b.name || a.size !== b.size || !a.kindFlag !== !b.kindFlag || a.members.length !== b.members.length) return false;
  for (let i = 0; i < a.members.length; i++) {
    const x = a.members[i];
    const y = b.members[i];
    // localShape writes a zero width as nothing, so 0 and a missing width agree.
    if (x.name !== y.name || x.bitsOffset !== y.bitsOffset || (x.bitfieldSize || 0) !== (y.bitfieldSize || 0)) return false;
  }
  return true;
}

function sameEnum(a: BtfEnum, b: BtfEnum): boolean {
  if (a.name !== b.name || a.size !== b.size || !a.signed !== !b.signed || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) if (a.values[i].name !== b.values[i].name || !sameValue(a.values[i].value, b.values[i].value)) return false;
  return true;
}

/** Values are bigints once decoded; hand-built graphs may hold numbers, which the shape text prints alike. */
const sameValue = (x: bigint, y: bigint): boolean => x === y || String(x) === String(y);

/**
 * A bounded unfolding of local shapes from `id`: its shape, then each
 * reference's signature one level shallower, in typeRefs order; at depth
 * 0 only kind and name (a part of the shape). Equal
 * types (bisimilar, equiv.ts) have equal signatures at every depth, so
 * different signatures prove two types different without a walk: used to
 * bucket the many definitions one name can have (gcc emits hundreds of
 * anonymous FUNCs per kernel unit) instead of comparing each with all.
 * Void is `void`; a dangling id is kept as is (the same dangling id is the
 * same type within one graph, different ones are different).
 */
export function shapeSignature(btf: Btf, id: number, depth: number, memo?: Map<number, string>): string {
  if (id === 0) return 'void';
  // Definitions of one name share most of what they refer to (parameter types): `memo` keeps signatures by id and depth.
  const at = id * 8 + depth;
  const known = depth > 0 && depth < 8 ? memo?.get(at) : undefined;
  if (known !== undefined) return known;
  const t = typeById(btf, id);
  if (!t) return `?${id}`;
  // At the last level kind and name (part of the shape) keep it cheap: a struct's full shape lists every member.
  if (depth <= 0) return `${t.kind} ${q(t.name)}`;
  const sig = `${localShape(t)}[${typeRefs(t)
    .map((r) => shapeSignature(btf, r, depth - 1, memo))
    .join(',')}]`;
  if (depth < 8) memo?.set(at, sig);
  return sig;
}
