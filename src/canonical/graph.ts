/**
 * The ID-free canonical form of a BTF type graph.
 *
 * Every type of the BTF (including the base chain of split BTF) is a node;
 * void is one extra node. Nodes are partitioned into classes of bisimilar
 * types by partition refinement (refine.ts): two types are in one class iff
 * they have the same local shape (shape.ts) and their references lead to the
 * same classes, position by position, however deep and however cyclic. So
 * renumbering changes nothing, and duplicated definitions (as an
 * un-deduplicated object or an archive has) fall into the class of their
 * original.
 *
 * Canonical ids are the classes' positions in the refined order, which is
 * sorted by shape first and by referenced classes second, so the ids (and
 * the dump) depend only on the structure of the graph.
 *
 * `canonicalizeJoint` refines several BTFs together so that class ids are
 * comparable across them: the diff uses that to skip entities that are
 * identical on both sides.
 */
import { asIndex, type BtfIndex } from '../btf/btf-index.js';
import type { Btf } from '../btf/types.js';
import { textOf } from '../btf/byte-sink.js';
import { writeCanonical } from './dump.js';
import { refinePartition } from './refine.js';
import { rankShapes } from './shape.js';

export interface CanonicalGraph {
  readonly btf: Btf;
  /** Canonical id of each raw type id; index 0 (void) is 0. Length typeCount(btf) + 1. */
  readonly classOf: Int32Array;
  /** Canonical ids that occur in this BTF, ascending, without 0. */
  readonly classes: Int32Array;
  /** Indexed by canonical id: the smallest raw id of that class in this BTF, 0 if absent. */
  readonly representative: Int32Array;
  /** Number of classes over all graphs refined together (excluding void). */
  readonly classCount: number;
  /** Refinement rounds until stable (a measure of the graph's depth). */
  readonly rounds: number;
}

/** Canonicalize one BTF (with its base chain). */
export function canonicalize(btf: Btf | BtfIndex): CanonicalGraph {
  return canonicalizeJoint([btf])[0];
}

/**
 * Canonicalize several BTFs in one refinement, so that a class id means the
 * same structure in all of them. Bare Btfs are indexed here.
 */
export function canonicalizeJoint(btfs: readonly (Btf | BtfIndex)[]): CanonicalGraph[] {
  const indexes = btfs.map(asIndex);
  const offsets: number[] = [];
  let size = 1; // node 0 is void, shared by all graphs
  for (const x of indexes) {
    offsets.push(size - 1);
    size += x.count;
  }
  const { shapeRank, refStart, refTo } = buildNodes(indexes, offsets, size);
  const { rank, rounds } = refinePartition({ size, shapeRank, refStart, refTo });
  const dense = denseIds(rank);
  const classCount = countClasses(dense);
  return indexes.map((x, i) => graphFor(x, offsets[i], rank, dense, classCount, rounds));
}

/** Shape ranks and the reference lists of all graphs, as flat arrays over nodes. */
function buildNodes(indexes: readonly BtfIndex[], offsets: readonly number[], size: number) {
  const refStart = new Int32Array(size + 1);
  let edges = 0;
  for (const x of indexes) edges += x.refs.to.length;
  const refTo = new Int32Array(edges);
  let node = 1;
  let e = 0;
  indexes.forEach((x, i) => {
    const { start, to } = x.refs;
    for (let id = 1; id <= x.count; id++, node++) {
      refStart[node] = e;
      for (let k = start[id]; k < start[id + 1]; k++) {
        const r = to[k];
        refTo[e++] = r === 0 ? 0 : r + offsets[i];
      }
    }
  });
  refStart[size] = e;
  // refStart[0] = 0 already: void has no references.
  const types = indexes.length === 1 ? indexes[0].types : indexes.flatMap((x) => x.types);
  const shapeRank = rankShapes(size, (node) => types[node - 1]);
  return { shapeRank, refStart, refTo };
}

/** Block positions → 0, 1, 2, ... in order (void's block is position 0); index = position. */
function denseIds(rank: Int32Array): Int32Array {
  const used = new Uint8Array(rank.length);
  // Indexed loops, not for-of: this runs once per process, mostly before the JIT has optimised it, where a typed array's iterator is slow.
  for (let n = 0; n < rank.length; n++) used[rank[n]] = 1;
  const dense = new Int32Array(rank.length).fill(-1);
  for (let r = 0, next = 0; r < rank.length; r++) if (used[r]) dense[r] = next++;
  return dense;
}

function countClasses(dense: Int32Array): number {
  let max = 0;
  for (let r = 0; r < dense.length; r++) if (dense[r] > max) max = dense[r];
  return max;
}

function graphFor(x: BtfIndex, offset: number, rank: Int32Array, dense: Int32Array, classCount: number, rounds: number): CanonicalGraph {
  const n = x.count;
  const classOf = new Int32Array(n + 1);
  const representative = new Int32Array(classCount + 1);
  let present = 0;
  for (let id = 1; id <= n; id++) {
    const c = dense[rank[id + offset]];
    classOf[id] = c;
    if (representative[c] === 0) {
      representative[c] = id;
      present++;
    }
  }
  const classes = new Int32Array(present);
  for (let c = 1, k = 0; c <= classCount; c++) if (representative[c] !== 0) classes[k++] = c;
  return { btf: x.btf, classOf, classes, representative, classCount, rounds };
}

/** Whether two raw ids of one graph are the same type up to numbering and duplication. */
export function sameClass(g: CanonicalGraph, a: number, b: number): boolean {
  return g.classOf[a] === g.classOf[b];
}

/** The canonical id of a raw id (0 for void). */
export function canonicalId(g: CanonicalGraph, id: number): number {
  return g.classOf[id];
}

/**
 * One line per class, `[cid] KIND 'name' fields { parts }`, bpftool's field
 * names with canonical ids in place of raw ids. Byte-identical for BTFs
 * that differ only in numbering or duplication. The text is dump.ts's
 * (writeCanonical); the CLI streams its bytes instead.
 */
export function dumpCanonical(g: CanonicalGraph): string {
  return textOf((write) => writeCanonical(g, write, 'original'));
}

/**
 * Canonical positions of the types reachable from `roots` (raw ids, per
 * BTF), comparable across the BTFs: equal position = same class, and
 * positions are ordered as the classes of canonicalizeJoint over the whole
 * graphs are. Refining only what the roots reach is enough because both
 * facts about two types depend only on what they reach: refinement splits
 * a block by the successors' blocks of the previous round, and orders the
 * parts by those successors' positions, so by induction over the rounds
 * the partition and order among reachable types are the same whether or
 * not the rest of the graph is refined along (test/canonical-equiv.test.ts
 * checks this against the whole-graph refinement).
 *
 * The diff needs the order only to break ties between equally similar
 * definitions of one name, for a handful of types; refining their closure
 * instead of two whole kernels is what keeps that rare path cheap.
 */
export function canonicalPositions(btfs: readonly (Btf | BtfIndex)[], roots: readonly (readonly number[])[]): ClosurePositions[] {
  const indexes = btfs.map(asIndex);
  // Per graph, raw id → node (0: not reached); typed arrays, not Maps: a kernel unit's closure is thousands of ids.
  const nodeOf = indexes.map((x) => new Int32Array(x.count + 1));
  // Per node (1-based; 0 is void): the graph and raw id it stands for.
  const owner: number[] = [0];
  const rawId: number[] = [0];
  let edges = 0;
  indexes.forEach((x, i) => {
    const n = x.count;
    const { start, to } = x.refs;
    const seen = nodeOf[i];
    const add = (id: number): void => {
      if (seen[id] !== 0) return;
      seen[id] = rawId.length;
      rawId.push(id);
      owner.push(i);
      edges += start[id + 1] - start[id];
    };
    const first = rawId.length;
    for (const id of roots[i]) if (id > 0 && id <= n) add(id);
    for (let k = first; k < rawId.length; k++) {
      const id = rawId[k];
      for (let e = start[id]; e < start[id + 1]; e++) if (to[e] > 0 && to[e] <= n) add(to[e]);
    }
  });
  const size = rawId.length;
  const refStart = new Int32Array(size + 1);
  const refTo = new Int32Array(edges);
  let e = 0;
  for (let node = 1; node < size; node++) {
    const x = indexes[owner[node]];
    const seen = nodeOf[owner[node]];
    const id = rawId[node];
    refStart[node] = e;
    // A dangling reference (DATASEC entries are not range-checked) counts as void here.
    const { start, to } = x.refs;
    for (let k = start[id]; k < start[id + 1]; k++) refTo[e++] = to[k] <= x.count ? seen[to[k]] : 0;
  }
  refStart[size] = e;
  const shapeRank = rankShapes(size, (node) => indexes[owner[node]].types[rawId[node] - 1]);
  const { rank } = refinePartition({ size, shapeRank, refStart, refTo });
  return nodeOf.map((seen) => new ClosurePositions(seen, rank));
}

/** canonicalPositions' answer for one graph: the position of a reached raw id, undefined for one not reached. */
export class ClosurePositions {
  constructor(
    private readonly nodeOf: Int32Array,
    private readonly rank: Int32Array,
  ) {}

  get(id: number): number | undefined {
    const node = id > 0 && id < this.nodeOf.length ? this.nodeOf[id] : 0;
    return node === 0 ? undefined : this.rank[node];
  }
}
