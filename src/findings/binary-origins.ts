/**
 * Where the records of a deduplicated whole-binary BTF came from: which
 * objects' blobs hold a record that libbpf's dedup merged into each one.
 * Pure.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import { BtfIndex } from '../btf/btf-index.js';
import type { Btf, BtfType } from '../btf/types.js';
import { typeById, typeCount } from '../btf/types.js';
import { entityFamily } from '../canonical/entity.js';
import { StructuralEquality } from '../canonical/equiv.js';
import { shapeSignature } from '../canonical/shape.js';
import { kindText } from './diff-types.js';

/** One object of the binary: its name (as reports show it), its own BTF blob and symbols. */
export interface BinaryObject {
  readonly name: string;
  readonly btf: Btf;
  readonly symbols?: readonly ElfSymbol[];
}

/** family + NUL + name, the key of an entity within one graph. */
export function entityKeyOf(t: BtfType): string | undefined {
  const f = entityFamily(t);
  return f === undefined || t.name === '' ? undefined : `${f}\u0000${t.name}`;
}

/** Every named entity record of a graph by key, ids ascending. */
export function entityRecords(btf: Btf): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const n = typeCount(btf);
  for (let id = 1; id <= n; id++) {
    const k = entityKeyOf(typeById(btf, id)!);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(id);
    else m.set(k, [id]);
  }
  return m;
}

/**
 * Which objects each record of the deduplicated graph came from, built one
 * object at a time (`add`) so that a binary of thousands of objects never
 * holds more than one object's decoded blob beside the deduplicated graph:
 * what is kept per object is its name, the functions it defines, and per
 * entity name the kinds of its records.
 *
 * A name with one surviving record owns every object that has a record of
 * that name; a name with several copies is decided per object record by
 * structural equality with each copy (the first equal copy wins; an object
 * record equal to none, e.g. a FWD that the dedup resolved, goes to the copy
 * whose shape agrees deepest, else the first copy of the same name).
 */
export class RecordOrigins {
  private readonly records: Map<string, number[]>;
  /** Deduplicated record id → indices of the objects whose records went into it, ascending. */
  private readonly owners = new Map<number, number[]>();
  /** Entity key → kind text of an object's record (`FWD 'x'`, `STRUCT 'x' size=8 vlen=1`, the blocker report's view of a leaf) → object indices. */
  private readonly kinds = new Map<string, Map<string, number[]>>();
  /**
   * Copy id * 8 + depth → a 53-bit hash of its shape signature. Not the signature: an unfolding
   * four levels deep of a kernel struct is kilobytes, and keeping them (with the memo of every
   * level below) was most of the index — 51 of its 59 MB on fs/ext4, and it grows with the
   * deduplicated graph. The hash only picks the copy a non-equal record is attributed to; two
   * different signatures sharing one (odds ~ n² / 2⁵³) would attribute it to the wrong copy.
   */
  private readonly copySignatures = new Map<number, number>();
  private readonly names: string[] = [];
  private readonly defines: Array<ReadonlySet<string>> = [];
  /** Indexed once: every object's equality walk reads the deduplicated graph through it. */
  private readonly dedupIndex: BtfIndex;

  constructor(readonly dedup: Btf) {
    this.records = entityRecords(dedup);
    this.dedupIndex = new BtfIndex(dedup);
  }

  /** Take one object's contributions; its blob is not kept. */
  add(object: BinaryObject): void {
    const i = this.names.length;
    this.names.push(object.name);
    this.defines.push(new Set((object.symbols ?? []).filter((s) => s.type === 'func' && s.shndx !== 0).map((s) => s.name)));
    let eq: StructuralEquality | undefined;
    // Both memos live for this object only: the signatures of what one object refers to are shared by its records.
    const objectSignatures = new Map<number, string>();
    const dedupSignatures = new Map<number, string>();
    for (const [key, recs] of entityRecords(object.btf)) {
      const byKind = this.kinds.get(key) ?? new Map<string, number[]>();
      this.kinds.set(key, byKind);
      for (const r of recs) addOnce(byKind, kindText(typeById(object.btf, r)!), i);
      const copies = this.records.get(key);
      if (copies === undefined) continue;
      if (copies.length === 1) addOnce(this.owners, copies[0], i);
      else {
        eq ??= new StructuralEquality(object.btf, this.dedupIndex);
        for (const r of recs) addOnce(this.owners, this.copyOf(object.btf, eq, { object: objectSignatures, dedup: dedupSignatures }, r, copies), i);
      }
    }
  }

  /** Report names of the objects, in the order they were added. */
  get objectNames(): readonly string[] {
    return this.names;
  }

  /** Whether object i defines (not only declares) function `name`. */
  definesFunction(i: number, name: string): boolean {
    return this.defines[i].has(name);
  }

  /** Copies of a name in the deduplicated graph (family + NUL + name). */
  copies(key: string): readonly number[] {
    return this.records.get(key) ?? [];
  }

  /** Indices of the objects holding a record of `key` that reads as `kind`, ascending. */
  objectsWithKind(key: string, kind: string): readonly number[] {
    return this.kinds.get(key)?.get(kind) ?? [];
  }

  /** Keys whose records remain duplicated. */
  duplicatedKeys(): string[] {
    return [...this.records].filter(([, ids]) => ids.length > 1).map(([k]) => k);
  }

  /** Indices (into objectNames) of the objects whose records went into `id`, ascending. */
  objectsOf(id: number): readonly number[] {
    return this.owners.get(id) ?? [];
  }

  /** The copy among `copies` that an object's record `rec` was merged into. */
  private copyOf(btf: Btf, eq: StructuralEquality, memo: SignatureMemos, rec: number, copies: readonly number[]): number {
    const same = copies.find((c) => eq.same(rec, c));
    if (same !== undefined) return same;
    // Equal to no copy: the dedup resolved some of its FWDs, so the copy it went
    // into is a mix no object holds as such. The copy whose shape agrees deepest
    // (a FUNC's parameter names are two levels down) is the one.
    for (const depth of [4, 3, 2, 1]) {
      const mine = hashText(shapeSignature(btf, rec, depth, memo.object));
      const hit = copies.find((c) => this.copySignature(c, depth, memo.dedup) === mine);
      if (hit !== undefined) return hit;
    }
    return copies[0];
  }

  private copySignature(copy: number, depth: number, memo: Map<number, string>): number {
    const at = copy * 8 + depth;
    let h = this.copySignatures.get(at);
    if (h === undefined) {
      h = hashText(shapeSignature(this.dedup, copy, depth, memo));
      this.copySignatures.set(at, h);
    }
    return h;
  }
}

interface SignatureMemos {
  readonly object: Map<number, string>;
  readonly dedup: Map<number, string>;
}

/** Two 32-bit FNV-1a passes (different offset bases) over the code units, folded to 53 bits. */
function hashText(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Append `i` to the list at `key` unless it is already its last element (objects are added in order). */
function addOnce<K>(m: Map<K, number[]>, key: K, i: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [i]);
  else if (list[list.length - 1] !== i) list.push(i);
}
