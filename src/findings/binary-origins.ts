/**
 * Where the records of a deduplicated whole-binary BTF came from: which
 * objects' blobs hold a record that libbpf's dedup merged into each one.
 * Pure.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import type { Btf, BtfType } from '../btf/types.js';
import { typeById, typeCount } from '../btf/types.js';
import { entityFamily } from '../canonical/entity.js';
import { StructuralEquality } from '../canonical/equiv.js';
import { shapeSignature } from '../canonical/shape.js';

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
 * Which objects each record of the deduplicated graph came from. A name
 * with one surviving record owns every object that has a record of that
 * name; a name with several copies is decided per object record by
 * structural equality with each copy (the first equal copy wins; an object
 * record equal to none, e.g. a FWD that the dedup resolved, goes to the
 * first copy of the same kind).
 */
export class RecordOrigins {
  private readonly records: Map<string, number[]>;
  private readonly owners = new Map<number, number[]>();
  private readonly perObject: Array<Map<string, number[]>>;
  private readonly equalities: Array<StructuralEquality | undefined>;
  private readonly signatures = new Map<number, string>();
  private readonly objectSignatures: Array<Map<number, string> | undefined> = [];

  constructor(
    readonly dedup: Btf,
    readonly objects: readonly BinaryObject[],
  ) {
    this.records = entityRecords(dedup);
    this.perObject = objects.map((o) => entityRecords(o.btf));
    this.equalities = objects.map(() => undefined);
  }

  /** Copies of a name in the deduplicated graph (family + NUL + name). */
  copies(key: string): readonly number[] {
    return this.records.get(key) ?? [];
  }

  /** Object i's records of an entity key (family + NUL + name). */
  objectRecords(i: number, key: string): readonly number[] {
    return this.perObject[i].get(key) ?? [];
  }

  /** Keys whose records remain duplicated. */
  duplicatedKeys(): string[] {
    return [...this.records].filter(([, ids]) => ids.length > 1).map(([k]) => k);
  }

  /** Indices (into objects) of the objects whose records went into `id`. */
  objectsOf(id: number): readonly number[] {
    const memo = this.owners.get(id);
    if (memo) return memo;
    const t = typeById(this.dedup, id);
    const k = t && entityKeyOf(t);
    const out: number[] = [];
    if (k !== undefined) {
      const copies = this.copies(k);
      this.perObject.forEach((recs, i) => {
        const mine = recs.get(k);
        if (!mine) return;
        if (copies.length === 1 || mine.some((r) => this.copyOf(i, r, copies) === id)) out.push(i);
      });
    }
    this.owners.set(id, out);
    return out;
  }

  /** The copy among `copies` that object i's record `rec` was merged into. */
  copyOf(i: number, rec: number, copies: readonly number[]): number {
    this.equalities[i] ??= new StructuralEquality(this.objects[i].btf, this.dedup);
    const eq = this.equalities[i];
    const same = copies.find((c) => eq.same(rec, c));
    if (same !== undefined) return same;
    // Equal to no copy: the dedup resolved some of its FWDs, so the copy it went
    // into is a mix no object holds as such. The copy whose shape agrees deepest
    // (a FUNC's parameter names are two levels down) is the one.
    for (const depth of [4, 3, 2, 1]) {
      this.objectSignatures[i] ??= new Map();
      const mine = shapeSignature(this.objects[i].btf, rec, depth, this.objectSignatures[i]);
      const hit = copies.find((c) => shapeSignature(this.dedup, c, depth, this.signatures) === mine);
      if (hit !== undefined) return hit;
    }
    return copies[0];
  }
}
