/**
 * The fast ordered partition refinement (src/canonical/refine.ts) against
 * the plain round-by-round version it replaced (test/helpers/refine-reference.ts):
 * the same rank for every node, on random graphs with cycles, self-loops,
 * shared successors and blocks that split many ways. The ranks are the
 * canonical ids, so agreeing rank for rank is what keeps every canonical
 * dump byte-identical.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RefineInput, refinePartition } from '../src/canonical/refine.js';
import { referenceRefinePartition } from './helpers/refine-reference.js';

/** A graph where the shape fixes the out-degree (as localShape fixes the number of references). */
const graphArb = fc
  .record({ size: fc.integer({ min: 1, max: 60 }), shapes: fc.integer({ min: 1, max: 4 }), seed: fc.integer() })
  .chain(({ size, shapes, seed }) =>
    fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: shapes - 1 }), { minLength: size, maxLength: size }),
        fc.array(fc.nat(), { minLength: size * 4, maxLength: size * 4 }),
      )
      .map(([shapeOf, picks]): RefineInput => {
        // Node 0 is void-like (shape rank 0, no references), as in graph.ts.
        const shapeRank = Int32Array.from(shapeOf, (s, i) => (i === 0 ? 0 : s + 1));
        const degree = (s: number): number => (s + seed) % 3;
        const refStart = new Int32Array(size + 1);
        const to: number[] = [];
        for (let n = 0; n < size; n++) {
          refStart[n] = to.length;
          const d = n === 0 ? 0 : degree(shapeRank[n]);
          for (let k = 0; k < d; k++) to.push(picks[(n * 4 + k) % picks.length] % size);
        }
        refStart[size] = to.length;
        return { size, shapeRank, refStart, refTo: Int32Array.from(to) };
      }),
  );

/** n nodes of one shape in a chain, node i referring to i - 1, node 0 a distinct sink: needs n rounds. */
function chainInput(n: number): RefineInput {
  const size = n + 1;
  const shapeRank = new Int32Array(size).fill(2);
  shapeRank[0] = 1;
  const refStart = Int32Array.from({ length: size + 1 }, (_, i) => Math.max(0, i - 1));
  const refTo = Int32Array.from({ length: n }, (_, i) => i);
  return { size, shapeRank, refStart, refTo };
}

describe('refinePartition', () => {
  it('gives the reference ranks on random graphs', () => {
    fc.assert(
      fc.property(graphArb, (input) => {
        expect(Array.from(refinePartition(input).rank)).toEqual(Array.from(referenceRefinePartition(input).rank));
      }),
      { numRuns: 3000, seed: 0x5ef1 },
    );
  });

  it('gives the reference ranks on chains, rings and a chain into a ring', () => {
    for (const n of [1, 2, 3, 10, 257]) {
      const chain = chainInput(n);
      expect(Array.from(refinePartition(chain).rank)).toEqual(Array.from(referenceRefinePartition(chain).rank));
      // Close the chain into a ring: node 1 refers to the last node instead of the sink.
      const ring = { ...chain, refTo: Int32Array.from(chain.refTo, (t, i) => (i === 0 ? n : t)) };
      expect(Array.from(refinePartition(ring).rank)).toEqual(Array.from(referenceRefinePartition(ring).rank));
    }
  });

  it('splits a 1M-node chain into 1M classes, ordered from the sink up', () => {
    // The reference needs ~n^2/2 = 5e11 steps here; this version O(n log n).
    const n = 1_000_000;
    const { rank, rounds } = refinePartition(chainInput(n));
    // Every node its own class, in chain order: node i (i links above the sink) has rank i,
    // because at round i it is split off first (its successor's block starts before everyone else's).
    for (let i = 0; i <= n; i += 99_991) expect(rank[i]).toBe(i);
    expect(rank[n]).toBe(n);
    expect(rounds).toBe(n - 1);
  });
});
