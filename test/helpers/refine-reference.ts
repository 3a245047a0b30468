/**
 * The reference for src/canonical/refine.ts: the plain round-by-round
 * version it replaced (one sort of every dirty block per round, a snapshot
 * of all ranks per round: O(n · depth)), kept as the oracle that the fast
 * version must agree with rank for rank (test/canonical-refine.test.ts).
 *
 * Ordered partition refinement (Moore's algorithm, with a worklist of the
 * blocks that can still split) over a directed graph whose edges are
 * ordered per node.
 *
 * Start: nodes are grouped by local shape, blocks laid out in the sorted
 * order of the shapes. Step: a block whose members' successors changed
 * block is sorted by the tuple of its members' successor ranks and split
 * where the tuple changes. Stop when no block splits. The result is the
 * coarsest partition that is stable under "same shape and successors in the
 * same blocks position by position", i.e. bisimilarity; cycles need no
 * special case and there is no depth limit.
 *
 * A node's rank is the start position of its block in the global order.
 * Splitting a block only reorders inside it, and the order inside is
 * decided by ranks of successors, so ranks never depend on the input
 * numbering: they are canonical, and become the canonical ids.
 */

import type { RefineInput, RefineResult } from '../../src/canonical/refine.js';

export function referenceRefinePartition(input: RefineInput): RefineResult {
  const { size, shapeRank, refStart, refTo } = input;
  const order = initialOrder(size, shapeRank);
  const rank = new Int32Array(size);
  const blockEnd = new Int32Array(size);
  let dirty: number[] = [];
  for (let i = 0; i < size; ) {
    let j = i + 1;
    while (j < size && shapeRank[order[j]] === shapeRank[order[i]]) j++;
    for (let k = i; k < j; k++) rank[order[k]] = i;
    blockEnd[i] = j;
    if (j - i > 1) dirty.push(i);
    i = j;
  }
  const preds = reverseEdges(size, refStart, refTo);
  let rounds = 0;
  const mark = new Uint8Array(size);
  while (dirty.length > 0) {
    rounds++;
    const snapshot = rank.slice();
    const changed: number[] = [];
    dirty.sort((a, b) => a - b);
    for (const start of dirty) splitBlock(start, blockEnd[start], order, snapshot, rank, blockEnd, refStart, refTo, changed);
    const next: number[] = [];
    for (const c of changed) {
      for (let e = preds.start[c]; e < preds.start[c + 1]; e++) {
        const b = rank[preds.to[e]];
        if (blockEnd[b] - b > 1 && !mark[b]) {
          mark[b] = 1;
          next.push(b);
        }
      }
    }
    for (const b of next) mark[b] = 0;
    dirty = next;
  }
  return { rank, rounds };
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

/**
 * Sort one block by successor ranks (as of the round's start) and split it.
 * Members of one resulting sub-block get the sub-block's start as rank.
 */
function splitBlock(
  start: number,
  end: number,
  order: Int32Array,
  snapshot: Int32Array,
  rank: Int32Array,
  blockEnd: Int32Array,
  refStart: Int32Array,
  refTo: Int32Array,
  changed: number[],
): void {
  const cmp = (a: number, b: number): number => {
    const da = refStart[a] - refStart[b];
    for (let e = refStart[a]; e < refStart[a + 1]; e++) {
      const d = snapshot[refTo[e]] - snapshot[refTo[e - da]];
      if (d !== 0) return d;
    }
    return 0;
  };
  const members = Array.from(order.subarray(start, end)).sort(cmp);
  order.set(members, start);
  let subStart = start;
  for (let k = 0; k < members.length; k++) {
    if (k > 0 && cmp(members[k - 1], members[k]) !== 0) {
      blockEnd[subStart] = start + k;
      subStart = start + k;
    }
    const node = members[k];
    if (rank[node] !== subStart) changed.push(node);
    rank[node] = subStart;
  }
  blockEnd[subStart] = end;
}
