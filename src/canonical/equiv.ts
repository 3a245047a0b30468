/**
 * Pairwise structural equality of types in two BTF graphs, without
 * canonicalising either graph.
 *
 * Two types are equal iff they are bisimilar: same local shape (shape.ts)
 * and references that are equal position by position, however deep and
 * however cyclic. That is exactly "same canonical class" in a joint
 * refinement (graph.ts), but decided only for the pairs the diff asks
 * about, walking both graphs in lockstep (the idea of libbpf's
 * btf_dedup_is_equiv).
 *
 * Why it is exact: the pairs reachable from (a, b) by following references
 * position by position are closed under successors, so if none of them has
 * unequal local shapes they form a bisimulation and a = b; if one does,
 * a != b. Equality is therefore "no reachable pair is a mismatch", a
 * reachability question on the product graph. It is answered with
 * Tarjan's strongly connected components over the pairs: when a component
 * completes without a mismatch, every pair in it is equal (its exits all
 * lead to components already proven equal); at the first mismatch, every
 * pair still on Tarjan's stack reaches it, so all of them are unequal.
 * Either way every visited pair gets a final answer, is memoised, and is
 * never walked again: over all questions of one diff the work is linear
 * in the number of distinct pairs visited (≈ the number of types when the
 * graphs mostly agree).
 *
 * Measured (issue 5 benchmark) on /sys/kernel/btf/vmlinux, 126,699 types,
 * against a copy with ids permuted (scripts/renumber-btf), 2 shared cores,
 * interleaved runs (min / median of 6), /usr/bin/time, with the joint
 * canonicalisation (before) and with this module (after):
 *   load 5: `btfparity diff`  before 3.26 / 3.90 s wall, 2.99 / 3.69 s CPU, 337 MB
 *                             after  1.27 / 1.63 s wall, 1.24 / 1.53 s CPU, 188 MB
 *           bpftool dump x2 + diff: 1.81 / 1.98 s wall, 1.51 / 1.75 s CPU,  50 MB
 *   load 3: after 1.03 / 1.22 s wall vs bpftool 1.57 / 1.99 s (0.61x median).
 * diffBtf alone (process.cpuUsage, min of 5): 2.43 s -> 0.46 s CPU. The
 * rest of a run: node start 0.11 s, importing the CLI's modules ~0.13 s,
 * decoding each side ~0.2 s. With list_head changed on one side (so most
 * of the kernel differs) diffBtf takes 2.8-3.1 s instead of 4.9-5.6 s, most of it the
 * detailed comparison of the entities that do differ.
 */
import { asIndex, type BtfIndex } from '../btf/btf-index.js';
import type { Btf, BtfType } from '../btf/types.js';
import { sameLocalShape } from './shape.js';

/** One graph as the walk reads it: types and references by id (btf-index.ts). */
interface FlatGraph {
  /** types[id - 1] has id `id`. */
  readonly types: readonly BtfType[];
  /** References of id `id`, in typeRefs order: to[start[id] .. start[id + 1]). */
  readonly start: Int32Array;
  readonly to: Uint32Array;
}

function flatGraph(index: BtfIndex): FlatGraph {
  return { types: index.types, start: index.refs.start, to: index.refs.to };
}

/** Memo states of a pair; positive values are Tarjan numbers of pairs on the current walk. */
const UNKNOWN = 0;
const EQUAL = -1;
const DIFFERENT = -2;
/** Entries of the overflow memo beyond which it is dropped before the next walk. */
const OVERFLOW_CAP = 4_000_000;

/**
 * Answers "is left id a the same type as right id b?" for any number of
 * pairs, memoising every pair it visits. `left` and `right` may be the same
 * Btf (duplicates within one side).
 */
export class StructuralEquality {
  private readonly l: FlatGraph;
  private readonly r: FlatGraph;
  private readonly sameGraph: boolean;
  /**
   * Most left types meet a single right partner, so each left id has one
   * memo slot (partner, state) in typed arrays; further partners go to
   * `overflow`, one map per left id keyed by the right id. Not one map
   * keyed by pairs: that can grow past a Map's 2^24 entries on hostile
   * graphs (issue 14: "Map maximum size exceeded" on a typedef chain).
   * Between walks every entry is final, so the memo may be dropped when it
   * gets big (OVERFLOW_CAP): answers stay exact, they are only recomputed.
   */
  private readonly partner: Int32Array;
  private readonly slotState: Int32Array;
  private overflow = new Map<number, Map<number, number>>();
  private overflowSize = 0;
  /**
   * The walk's state, by Tarjan number (1, 2, ... per walk): the pair, its
   * lowlink and the next reference position to follow. Typed arrays kept
   * between walks: the first walk of a kernel diff numbers ~100k pairs.
   */
  private pairA: Int32Array = new Int32Array(1024);
  private pairB: Int32Array = new Int32Array(1024);
  private low: Int32Array = new Int32Array(1024);
  private pos: Int32Array = new Int32Array(1024);
  /** Tarjan's stack and the DFS path, as Tarjan numbers. */
  private tarjan: Int32Array = new Int32Array(1024);
  private path: Int32Array = new Int32Array(1024);

  /** Bare Btfs are indexed here; owners that keep an index pass it (left and right may be one index). */
  constructor(left: Btf | BtfIndex, right: Btf | BtfIndex) {
    const li = asIndex(left);
    const ri = left === right ? li : asIndex(right);
    this.l = flatGraph(li);
    this.r = flatGraph(ri);
    this.sameGraph = li.btf === ri.btf;
    this.partner = new Int32Array(this.l.types.length + 1);
    this.slotState = new Int32Array(this.l.types.length + 1);
  }

  /** Whether left id `a` and right id `b` are the same type up to numbering and duplication. */
  same(a: number, b: number): boolean {
    const quick = this.known(a, b);
    if (quick !== UNKNOWN) return quick === EQUAL;
    if (this.overflowSize > OVERFLOW_CAP) {
      this.overflow = new Map();
      this.overflowSize = 0;
    }
    return this.walk(a, b);
  }

  /** EQUAL or DIFFERENT when decided without a walk, else UNKNOWN (or a Tarjan number). */
  private known(a: number, b: number): number {
    if (a === 0 || b === 0) return a === b ? EQUAL : DIFFERENT;
    if (this.sameGraph && a === b) return EQUAL;
    if (a > this.l.types.length || b > this.r.types.length) return DIFFERENT; // a dangling reference (DATASEC entries are not range-checked)
    return this.state(a, b);
  }

  private state(a: number, b: number): number {
    if (this.partner[a] === b) return this.slotState[a];
    return this.overflow.get(a)?.get(b) ?? UNKNOWN;
  }

  private setState(a: number, b: number, s: number): void {
    if (this.partner[a] === 0) this.partner[a] = b;
    if (this.partner[a] === b) this.slotState[a] = s;
    else {
      let m = this.overflow.get(a);
      if (m === undefined) {
        m = new Map();
        this.overflow.set(a, m);
      }
      if (!m.has(b)) this.overflowSize++;
      m.set(b, s);
    }
  }

  /**
   * Tarjan over the pairs reachable from (a0, b0), iteratively (kernel
   * graphs are deeper than the JS call stack). Stops at the first mismatch.
   */
  private walk(a0: number, b0: number): boolean {
    const { l, r } = this;
    let counter = 0;
    let tTop = 0;
    let pTop = 0;
    let ok = true;
    let a = a0;
    let b = b0;
    // Enter (a, b): checked, numbered, pushed on both stacks.
    for (;;) {
      // A mismatch is not memoised: sameLocalShape is cheap, and a
      // DIFFERENT pair would take the left id's memo slot.
      if (!sameLocalShape(l.types[a - 1], r.types[b - 1])) {
        ok = false;
        break;
      }
      if (++counter >= this.pairA.length) this.grow();
      this.setState(a, b, counter);
      this.pairA[counter] = a;
      this.pairB[counter] = b;
      this.low[counter] = counter;
      this.pos[counter] = 0;
      this.tarjan[tTop++] = counter;
      this.path[pTop++] = counter;
      // Advance the DFS until the next pair to enter, or the end.
      let next = false;
      while (pTop > 0) {
        const num = this.path[pTop - 1];
        const x = this.pairA[num];
        const y = this.pairB[num];
        const k = this.pos[num];
        const e = l.start[x] + k;
        if (e < l.start[x + 1]) {
          this.pos[num] = k + 1;
          const sa = l.to[e];
          const sb = r.to[r.start[y] + k];
          const st = this.known(sa, sb);
          if (st === EQUAL) continue;
          if (st === DIFFERENT) {
            ok = false;
            break;
          }
          if (st > 0) {
            if (st < this.low[num]) this.low[num] = st;
            continue;
          }
          a = sa;
          b = sb;
          next = true;
          break;
        }
        // All references of (x, y) followed.
        pTop--;
        const lowNum = this.low[num];
        if (lowNum === num) {
          // (x, y) roots a component: it and everything above it on Tarjan's stack are equal.
          let t: number;
          do {
            t = this.tarjan[--tTop];
            this.setState(this.pairA[t], this.pairB[t], EQUAL);
          } while (t !== num);
        }
        if (pTop > 0) {
          const parent = this.path[pTop - 1];
          if (lowNum < this.low[parent]) this.low[parent] = lowNum;
        }
      }
      if (!ok || !next) break;
    }
    if (!ok) {
      // Everything still on Tarjan's stack reaches the mismatch.
      while (tTop > 0) {
        const t = this.tarjan[--tTop];
        this.setState(this.pairA[t], this.pairB[t], DIFFERENT);
      }
    }
    return ok;
  }

  private grow(): void {
    const bigger = (x: Int32Array): Int32Array => {
      const y: Int32Array = new Int32Array(x.length * 2);
      y.set(x);
      return y;
    };
    this.pairA = bigger(this.pairA);
    this.pairB = bigger(this.pairB);
    this.low = bigger(this.low);
    this.pos = bigger(this.pos);
    this.tarjan = bigger(this.tarjan);
    this.path = bigger(this.path);
  }
}
