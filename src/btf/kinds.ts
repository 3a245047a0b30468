/**
 * The per-kind facts of the BTF format, in one table: each kind's code,
 * the fixed bytes after its 12-byte type header, its vlen entries (which
 * list of the decoded type holds them, bytes per entry) and which fields
 * hold type ids. The reader, the writer, the validation and every walk
 * over references (refs.ts, btf-index.ts) take these facts from here.
 *
 * Layout per Documentation/bpf/btf.rst. A type takes
 * 12 + extra + stride * (number of entries) bytes.
 */
import type { BtfRef, BtfType, RefKind } from './types.js';

/** The kind names, as bpftool prints them. */
export type BtfKind = BtfType['kind'];
/** The former name of BtfKind. */
export type BtfKindName = BtfKind;
/** The decoded variant that kind `K` decodes to (PTR: BtfRef, UNION: BtfComposite, ...). */
export type TypeOfKind<K extends BtfKind> = BtfType extends infer T ? (T extends BtfType ? (K extends T['kind'] ? T : never) : never) : never;

/** The vlen lists of the decoded types. */
export type EntryList = 'members' | 'values' | 'params' | 'vars';

/**
 * What the entries of each list hold besides their own data: a name
 * (string offset) and a type id in `type`.
 *
 * `ids: 'unchecked'`: DATASEC entries (`vars`) are the one reference the
 * decoder does not require to exist, as bpftool prints them without
 * looking them up; every walk of the graph still follows them (typeRefs),
 * and the consumers treat an id past the last as dangling. So the
 * decoder's check and messages (validate.ts) skip them, and nothing else does.
 */
export const ENTRIES: { readonly [L in EntryList]: EntryFacts } = {
  members: { named: true, ids: 'checked', word: (name) => `member '${name}'` },
  values: { named: true, ids: 'none' },
  params: { named: true, ids: 'checked', word: (_, i) => `param ${i + 1}` },
  vars: { named: false, ids: 'unchecked' },
};

interface EntryFacts {
  /** Entries hold a name (`name`, `nameOff`). */
  readonly named: boolean;
  /** Entries hold a type id (`type`), and whether the decoder requires it to exist. */
  readonly ids: 'none' | 'checked' | 'unchecked';
  /** How messages name entry `i` (lists with checked ids). */
  readonly word?: (name: string, i: number) => string;
}

/** The fields of a type itself that can hold a type id. */
type IdField = 'type' | 'indexType' | 'returnType';

/** The facts of one kind, with the names of its id fields and entry list. */
interface Facts<Id extends IdField, List extends EntryList> {
  /** Kind code (info bits 24..28). */
  readonly code: number;
  /** Bytes after the type header, before any entries. */
  readonly extra: number;
  /** The list holding the vlen entries (absent: the kind has none), and bytes per entry (0 without). */
  readonly entries?: List;
  readonly stride: number;
  /** Fields of the type itself holding a type id, in record order, with the word messages use for each. */
  readonly ids: readonly (readonly [field: Id, word: string])[];
}

/** The facts of the kind whose decoded variant is `T`: field names are checked against it. */
export type KindFacts<T> = Facts<Extract<keyof T, IdField>, Extract<keyof T, EntryList>>;

/** Any kind's facts, for code that reads the table without knowing the kind. */
export type AnyKindFacts = Facts<IdField, EntryList>;

const TARGET = [['type', 'target']] as const;

/** The table. Entry ids come after the type's own ids (record order). */
export const KINDS: { readonly [K in BtfKind]: KindFacts<TypeOfKind<K>> } = {
  INT: { code: 1, extra: 4, stride: 0, ids: [] },
  PTR: { code: 2, extra: 0, stride: 0, ids: TARGET },
  ARRAY: {
    code: 3,
    extra: 12,
    stride: 0,
    ids: [
      ['type', 'element'],
      ['indexType', 'index'],
    ],
  },
  STRUCT: { code: 4, extra: 0, entries: 'members', stride: 12, ids: [] },
  UNION: { code: 5, extra: 0, entries: 'members', stride: 12, ids: [] },
  ENUM: { code: 6, extra: 0, entries: 'values', stride: 8, ids: [] },
  FWD: { code: 7, extra: 0, stride: 0, ids: [] },
  TYPEDEF: { code: 8, extra: 0, stride: 0, ids: TARGET },
  VOLATILE: { code: 9, extra: 0, stride: 0, ids: TARGET },
  CONST: { code: 10, extra: 0, stride: 0, ids: TARGET },
  RESTRICT: { code: 11, extra: 0, stride: 0, ids: TARGET },
  FUNC: { code: 12, extra: 0, stride: 0, ids: TARGET },
  FUNC_PROTO: { code: 13, extra: 0, entries: 'params', stride: 8, ids: [['returnType', 'return']] },
  VAR: { code: 14, extra: 4, stride: 0, ids: TARGET },
  DATASEC: { code: 15, extra: 0, entries: 'vars', stride: 12, ids: [] },
  FLOAT: { code: 16, extra: 0, stride: 0, ids: [] },
  DECL_TAG: { code: 17, extra: 4, stride: 0, ids: TARGET },
  TYPE_TAG: { code: 18, extra: 0, stride: 0, ids: TARGET },
  ENUM64: { code: 19, extra: 0, entries: 'values', stride: 12, ids: [] },
};

const KIND_LIST = Object.keys(KINDS) as BtfKind[];

/** Kind by code; undefined for 0 and codes past the last kind. */
export const KIND_BY_CODE: readonly (BtfKind | undefined)[] = (() => {
  const out: (BtfKind | undefined)[] = [undefined];
  for (const k of KIND_LIST) out[KINDS[k].code] = k;
  return out;
})();

/** Kind codes by name. */
export const BTF_KIND: { readonly [K in BtfKind]: number } = Object.fromEntries(KIND_LIST.map((k) => [k, KINDS[k].code])) as { [K in BtfKind]: number };

/** Names indexed by kind code; index 0 is UNKN, as in bpftool. */
export const KIND_NAMES: readonly string[] = KIND_BY_CODE.map((k) => k ?? 'UNKN');

/** Bytes following the 12-byte type header for a `kind` with `vlen` entries. */
export function extraBytes(kind: BtfKind, vlen: number): number {
  const f: AnyKindFacts = KINDS[kind];
  return f.extra + f.stride * vlen;
}

/** The entries of `t` (members, values, params or DATASEC vars); empty for kinds without. */
export function entriesOf(t: BtfType): readonly object[] {
  const list = (KINDS[t.kind] as AnyKindFacts).entries;
  return list === undefined ? [] : (t as unknown as Record<EntryList, readonly object[]>)[list];
}

/** Byte size of `t` in the type section (header, fixed part, entries). */
export function typeSize(t: BtfType): number {
  return 12 + extraBytes(t.kind, entriesOf(t).length);
}

const REF_KINDS: ReadonlySet<BtfKind> = new Set<RefKind>(['PTR', 'TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);

/** Whether kind `k` is one of the plain single-reference kinds (BtfRef). */
export function isRefKind(k: BtfKind): k is RefKind {
  return REF_KINDS.has(k);
}

/** Whether `t` is a PTR, TYPEDEF, qualifier or TYPE_TAG: a name and one reference, nothing else. */
export function isRef(t: BtfType): t is BtfRef {
  return REF_KINDS.has(t.kind);
}

/**
 * Two types of one kind as one value whose `kind` narrows both: in
 * `switch (p.kind)`, `p.l` and `p.r` have the type of that case, so code
 * that compares two types field by field needs no casts.
 */
export type KindPair = { [K in BtfKind]: { readonly kind: K; readonly l: TypeOfKind<K>; readonly r: TypeOfKind<K> } }[BtfKind];

/** The pair of `l` and `r` when they have the same kind, else undefined. */
export function kindPair(l: BtfType, r: BtfType): KindPair | undefined {
  // The one place the compiler cannot follow: equal kinds make the variants equal.
  return l.kind === r.kind ? ({ kind: l.kind, l, r } as KindPair) : undefined;
}

/** Whether a pair is of one of the plain single-reference kinds (see isRef). */
export function isRefPair(p: KindPair): p is Extract<KindPair, { kind: RefKind }> {
  return REF_KINDS.has(p.kind);
}
