/**
 * Ordered partition refinement (Moore's rounds, Hopcroft's bookkeeping)
 * over a directed graph whose edges are ordered per node.
 *
 * Start: nodes are grouped by local shape, blocks laid out in the sorted
 * order of the shapes. Round: a block whose members' successors changed
 * block is sorted by the tuple of its members' successor ranks (as of the
 * round's start) and split where the tuple changes. Stop when no block
 * splits. The result is the coarsest partition that is stable under "same
 * shape and successors in the same blocks position by position", i.e.
 * bisimilarity; cycles need no special case and there is no depth limit.
 *
 * A node's rank is the start position of its block in the global order.
 * Splitting a block only reorders inside it, and the order inside is
 * decided by ranks of successors, so ranks never depend on the input
 * numbering: they are canonical, and become the canonical ids.
 *
 * Why it is fast on deep graphs (issue 14): a chain of n links needs n
 * rounds, one per level, so a round must cost what changed in it, not the
 * size of the graph or of the block being split. Three things make it so:
 * - A node's rank is read through its block (`start[blockOf[n]]`), so a
 *   block whose position moves needs no write per member, and there is no
 *   snapshot of all ranks per round: the splits of a round are all decided
 *   first (`plan`) and applied after (`apply`).
 * - When a block splits, its largest part keeps the block's identity; only
 *   the members of the other parts (each at most half of the block) count
 *   as moved, so a node moves O(log n) times over the whole run.
 * - A round looks only at predecessors of moved nodes ("touched"). The
 *   untouched members of a block still have equal tuples (each of their
 *   successors stayed with its block-mates), so they form one group whose
 *   place among the sorted touched members is found with one
 *   representative, and they stay where they are in the order array.
 * Total work is O(m log n) tuple comparisons for m edges instead of
 * O(n · depth); the ranks are exactly those of the plain round-by-round
 * version (test/helpers/refine-reference.ts, compared in
 * test/canonical-refine.test.ts).
 */

export interface RefineInput {
  /** Number of nodes. */
  readonly size: number;
  /** Per node, a number that orders shapes canonically (equal number = equal shape). */
  readonly shapeRank: Int32Array;
  /** Successors of node n: refTo[refStart[n] .. refStart[n+1]). */
  readonly refStart: Int32Array;
  readonly refTo: Int32Array;
}

export interface RefineResult {
  /** Per node: the canonical position of its block; equal rank = same class. */
  readonly rank: Int32Array;
  /** How many refinement rounds ran (for measurement). */
  readonly rounds: number;
}

export function refinePartition(input: RefineInput): RefineResult {
  const p = new OrderedPartition(input);
  let rounds = 0;
  // Round 1 sorts every block with more than one member in full.
  let plans = p.planFirstRound();
  while (plans.length > 0) {
    rounds++;
    const moved: number[] = [];
    for (const plan of plans) p.apply(plan, moved);
    plans = p.planRound(moved);
  }
  return { rank: p.ranks(), rounds };
}

/**
 * How one block splits: its touched members sorted (`nodes`), cut into
 * runs of equal tuples (run r is nodes[ends[r - 1] .. ends[r]), ends[-1]
 * being 0), and where the untouched members (`untouched` of them, possibly
 * 0) go: after the first `before` runs. A run whose tuple equals the
 * untouched members' (`merged`, else -1; always run `before`) is counted in
 * `untouched` and stays where it is. Flat arrays, not an array per run: a
 * kernel's first round splits ~10k blocks.
 */
interface SplitPlan {
  readonly block: number;
  readonly nodes: readonly number[];
  readonly ends: readonly number[];
  readonly before: number;
  readonly merged: number;
  readonly untouched: number;
}

class OrderedPartition {
  private readonly refStart: Int32Array;
  private readonly refTo: Int32Array;
  /** Nodes in canonical order; each block is a contiguous range of it. */
  private readonly order: Int32Array;
  /** Position of each node in `order`. */
  private readonly pos: Int32Array;
  private readonly blockOf: Int32Array;
  /** Per block id: its range [start, end) in `order`; start is the members' rank. */
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private blocks = 0;
  private readonly preds: { start: Int32Array; to: Int32Array };
  /** Touched members per block as linked lists (head per block, next per node), and a mark per node. */
  private readonly touchedHead: Int32Array;
  private readonly touchedNext: Int32Array;
  private readonly touchedCount: Int32Array;
  private readonly mark: Uint8Array;

  constructor(input: RefineInput) {
    const { size, shapeRank, refStart, refTo } = input;
    this.refStart = refStart;
    this.refTo = refTo;
    const order = initialOrder(size, shapeRank);
    const pos = new Int32Array(size);
    for (let i = 0; i < size; i++) pos[order[i]] = i;
    const blockOf = new Int32Array(size);
    [this.order, this.pos, this.blockOf] = [order, pos, blockOf];
    this.start = new Int32Array(size + 1);
    this.end = new Int32Array(size + 1);
    // Locals in these loops, not fields: they run once, before the JIT has optimised them.
    for (let i = 0; i < size; ) {
      const r = shapeRank[order[i]];
      let j = i + 1;
      while (j < size && shapeRank[order[j]] === r) j++;
      const b = this.newBlock(i, j);
      for (let k = i; k < j; k++) blockOf[order[k]] = b;
      i = j;
    }
    this.preds = reverseEdges(size, refStart, refTo);
    this.touchedHead = new Int32Array(size + 1).fill(-1);
    this.touchedNext = new Int32Array(size);
    this.touchedCount = new Int32Array(size + 1);
    this.mark = new Uint8Array(size);
  }

  ranks(): Int32Array {
    const rank = new Int32Array(this.order.length);
    for (let n = 0; n < rank.length; n++) rank[n] = this.start[this.blockOf[n]];
    return rank;
  }

  private newBlock(s: number, e: number): number {
    const b = this.blocks++;
    this.start[b] = s;
    this.end[b] = e;
    return b;
  }

  /** Tuple order of two members of one block: successor ranks position by position (equal shapes, equal lengths). */
  private readonly cmp = (a: number, b: number): number => {
    const { refStart, refTo, start, blockOf } = this;
    const da = refStart[a] - refStart[b];
    for (let e = refStart[a]; e < refStart[a + 1]; e++) {
      const d = start[blockOf[refTo[e]]] - start[blockOf[refTo[e - da]]];
      if (d !== 0) return d;
    }
    return 0;
  };

  planFirstRound(): SplitPlan[] {
    const plans: SplitPlan[] = [];
    for (let b = 0; b < this.blocks; b++) {
      if (this.end[b] - this.start[b] < 2) continue;
      const plan = this.plan(b, Array.from(this.order.subarray(this.start[b], this.end[b])), 0);
      if (plan) plans.push(plan);
    }
    return plans;
  }

  /** The splits of the next round: blocks holding predecessors of the nodes that moved. */
  planRound(moved: readonly number[]): SplitPlan[] {
    const dirty: number[] = [];
    const { start: ps, to: pt } = this.preds;
    // Locals, not fields: the walk runs a few times per process, mostly before the JIT has optimised it.
    const { blockOf, mark, start, end, touchedCount, touchedNext, touchedHead } = this;
    for (let i = 0; i < moved.length; i++) {
      const c = moved[i];
      for (let e = ps[c]; e < ps[c + 1]; e++) {
        const p = pt[e];
        const b = blockOf[p];
        if (mark[p] || end[b] - start[b] < 2) continue;
        mark[p] = 1;
        if (touchedCount[b]++ === 0) dirty.push(b);
        touchedNext[p] = touchedHead[b];
        touchedHead[b] = p;
      }
    }
    // Decide every split before applying any: all of a round reads the ranks as of its start.
    const plans: SplitPlan[] = [];
    for (const b of dirty) {
      const touched = this.takeTouched(b);
      const plan = this.plan(b, touched, this.end[b] - this.start[b] - touched.length);
      for (const n of touched) this.mark[n] = 0;
      if (plan) plans.push(plan);
    }
    return plans;
  }

  private takeTouched(b: number): number[] {
    const out: number[] = [];
    for (let n = this.touchedHead[b]; n >= 0; n = this.touchedNext[n]) out.push(n);
    this.touchedHead[b] = -1;
    this.touchedCount[b] = 0;
    return out;
  }

  /** Sort the touched members, cut them into runs, place the untouched group; undefined when the block stays whole. */
  private plan(b: number, touched: number[], untouchedCount: number): SplitPlan | undefined {
    const cmp = this.cmp;
    touched.sort(cmp);
    const ends: number[] = [];
    for (let k = 1; k < touched.length; k++) if (cmp(touched[k - 1], touched[k]) !== 0) ends.push(k);
    ends.push(touched.length);
    let untouched = untouchedCount;
    let before = ends.length;
    let merged = -1;
    if (untouched > 0) {
      const rep = this.untouchedMember(b, touched.length);
      before = 0;
      while (before < ends.length && cmp(touched[before === 0 ? 0 : ends[before - 1]], rep) < 0) before++;
      // A run equal to the untouched group joins it (it stays where it is).
      if (before < ends.length && cmp(touched[before === 0 ? 0 : ends[before - 1]], rep) === 0) {
        merged = before;
        untouched += ends[before] - (before === 0 ? 0 : ends[before - 1]);
        if (ends.length === 1) return undefined;
      }
    } else if (ends.length === 1) return undefined;
    return { block: b, nodes: touched, ends, before, merged, untouched };
  }

  /** A member of block b that is not marked touched: among any t + 1 members one is. */
  private untouchedMember(b: number, t: number): number {
    for (let i = this.start[b]; i <= this.start[b] + t; i++) if (!this.mark[this.order[i]]) return this.order[i];
    throw new Error('internal: no untouched member in a block with untouched members');
  }

  /** Lay the parts out in the block's range; the largest keeps the block id, the others' members are `moved`. */
  apply(plan: SplitPlan, moved: number[]): void {
    const { block: b, nodes, ends, before, merged, untouched } = plan;
    const s = this.start[b];
    const e = this.end[b];
    const runs = ends.length;
    if (untouched === 0) {
      for (let k = 0; k < nodes.length; k++) this.place(nodes[k], s + k);
    } else {
      let front = s;
      for (let k = 0; k < (before === 0 ? 0 : ends[before - 1]); k++) this.place(nodes[k], front++);
      let back = e;
      for (let r = runs - 1; r >= before; r--) {
        if (r === merged) continue;
        for (let k = ends[r] - 1; k >= (r === 0 ? 0 : ends[r - 1]); k--) this.place(nodes[k], --back);
      }
    }
    // The largest part keeps the block: the untouched group (-1) unless a run is larger; of equal ones the first.
    let largest = -1;
    let largestSize = untouched;
    for (let r = 0; r < runs; r++) {
      const n = ends[r] - (r === 0 ? 0 : ends[r - 1]);
      if (r !== merged && n > largestSize) [largest, largestSize] = [r, n];
    }
    // Ranges of the parts, in order: the runs before the untouched group, the group, the runs after.
    let at = s;
    for (let r = 0; r < runs; r++) {
      if (r === before && untouched > 0) at = this.assign(b, at, at + untouched, largest === -1, moved);
      if (r !== merged) at = this.assign(b, at, at + ends[r] - (r === 0 ? 0 : ends[r - 1]), largest === r, moved);
    }
    if (before === runs && untouched > 0) at = this.assign(b, at, at + untouched, largest === -1, moved);
    if (at !== e) throw new Error('internal: split parts do not fill the block');
  }

  /** The part [from, to) of block b: b itself when `keep`, else a new block whose members are `moved`; returns `to`. */
  private assign(b: number, from: number, to: number, keep: boolean, moved: number[]): number {
    if (keep) {
      this.start[b] = from;
      this.end[b] = to;
      return to;
    }
    const id = this.newBlock(from, to);
    for (let i = from; i < to; i++) {
      this.blockOf[this.order[i]] = id;
      moved.push(this.order[i]);
    }
    return to;
  }

  /** Move node n to position i of `order`, swapping with whoever is there. */
  private place(n: number, i: number): void {
    const from = this.pos[n];
    if (from === i) return;
    const other = this.order[i];
    this.order[i] = n;
    this.pos[n] = i;
    this.order[from] = other;
    this.pos[other] = from;
  }
}

/** Node indices sorted by shape rank (counting sort: shape ranks are dense and small). */
function initialOrder(size: number, shapeRank: Int32Array): Int32Array {
  let max = 0;
  for (let i = 0; i < size; i++) if (shapeRank[i] > max) max = shapeRank[i];
  const count = new Int32Array(max + 2);
  for (let i = 0; i < size; i++) count[shapeRank[i] + 1]++;
  for (let i = 1; i < count.length; i++) count[i] += count[i - 1];
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[count[shapeRank[i]]++] = i;
  return order;
}

function reverseEdges(size: number, refStart: Int32Array, refTo: Int32Array): { start: Int32Array; to: Int32Array } {
  const start = new Int32Array(size + 1);
  for (let e = 0; e < refTo.length; e++) start[refTo[e] + 1]++;
  for (let i = 0; i < size; i++) start[i + 1] += start[i];
  const fill = start.slice(0, size);
  const to = new Int32Array(refTo.length);
  for (let n = 0; n < size; n++) for (let e = refStart[n]; e < refStart[n + 1]; e++) to[fill[refTo[e]]++] = n;
  return { start, to };
}
