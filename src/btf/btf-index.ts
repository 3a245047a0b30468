/**
 * The derived data of one Btf that several passes need, made once by
 * whoever owns the Btf and passed to them: every type of the split chain
 * by id, the flat reference adjacency, and the string lookups that split
 * BTF decoded over it uses. One explicit object instead of caches kept
 * beside the graph: a decoded and a hand-built Btf get the same index, and
 * its lifetime is its owner's.
 *
 * Parts are computed on first use: a base decoded only to resolve a split
 * blob's strings never pays for its adjacency.
 */
import { forEachRef } from './refs.js';
import { type StringLookup, stringsOf } from './strings.js';
import type { Btf, BtfType } from './types.js';
import { typeById, typeCount } from './types.js';

/**
 * Every reference of every type, in typeRefs order: id `id` refers to
 * `to[start[id] .. start[id + 1])`. Void (id 0) refers to nothing, so
 * `start` has typeCount + 2 entries and the node numbering is the id.
 */
export interface Adjacency {
  readonly start: Int32Array;
  /** Unsigned: a DATASEC entry may hold any u32 (it is not range-checked). */
  readonly to: Uint32Array;
}

export class BtfIndex {
  /** Ids defined, base chain included (typeCount). */
  readonly count: number;
  /** Every type of the split chain: types[id - 1] has id `id`. */
  readonly types: readonly BtfType[];
  private adjacency: Adjacency | undefined;
  private strs: StringLookup | undefined;

  constructor(readonly btf: Btf) {
    this.count = typeCount(btf);
    this.types = btf.base === undefined ? btf.types : chainTypes(btf, this.count);
  }

  /** The type of id `id`; undefined for void and ids past the last. */
  type(id: number): BtfType | undefined {
    return id > 0 && id <= this.count ? this.types[id - 1] : undefined;
  }

  /** The flat adjacency (built on first use). */
  get refs(): Adjacency {
    this.adjacency ??= buildAdjacency(this.types);
    return this.adjacency;
  }

  /** String lookups over the chain (built on first use). */
  get strings(): StringLookup {
    this.strs ??= stringsOf(this.btf);
    return this.strs;
  }
}

/** The index of `x`, made here when `x` is a bare Btf. */
export function asIndex(x: Btf | BtfIndex): BtfIndex {
  return x instanceof BtfIndex ? x : new BtfIndex(x);
}

function chainTypes(btf: Btf, n: number): BtfType[] {
  const out = new Array<BtfType>(n);
  for (let id = 1; id <= n; id++) out[id - 1] = typeById(btf, id)!;
  return out;
}

/** One pass of forEachRef over every type, into growing typed arrays. */
function buildAdjacency(types: readonly BtfType[]): Adjacency {
  const n = types.length;
  const start = new Int32Array(n + 2);
  let to = new Uint32Array(Math.max(16, n * 4));
  let e = 0;
  const push = (id: number): void => {
    if (e === to.length) {
      const bigger = new Uint32Array(to.length * 2);
      bigger.set(to);
      to = bigger;
    }
    to[e++] = id;
  };
  for (let i = 0; i < n; i++) {
    forEachRef(types[i], push);
    start[i + 2] = e;
  }
  return { start, to: to.slice(0, e) };
}
