/**
 * Which entity definitions are the same type: within one side (duplicates
 * collapse) and across the sides (identical entities are skipped).
 *
 * Equality is decided pairwise (canonical/equiv.ts), only for the pairs
 * the diff asks about. The joint canonical order (canonical/graph.ts) is
 * still needed in one place, breaking ties between equally similar
 * definitions when several different definitions of one name have to be
 * paired; it is computed on first use, once, for the closure of every
 * definition that can take part in such a tie (`tieRoots`), not for the
 * whole graphs.
 */
import type { BtfIndex } from '../btf/btf-index.js';
import { StructuralEquality } from '../canonical/equiv.js';
import { type CanonicalGraph, type ClosurePositions, canonicalizeJoint, canonicalPositions } from '../canonical/graph.js';
import type { EntityDef } from './diff-pairing.js';

export type Side = 'left' | 'right';

/** A number per raw id asked about (undefined for others), equal iff the same type. */
export interface ClassLookup {
  get(id: number): number | undefined;
}

export interface DefinitionEquality {
  /** Two raw ids of one side are the same type (duplicates). */
  sameWithin(side: Side, a: number, b: number): boolean;
  /** A left and a right raw id are the same type. */
  same(leftId: number, rightId: number): boolean;
  /**
   * The definition's joint canonical class: equal iff the same type, and
   * ordered by structure only, so ties broken by it do not depend on numbering.
   */
  classOf(side: Side, d: EntityDef): number;
  /**
   * For many raw ids of one side at once: a number per id, equal iff the
   * same type (canonical positions of their closure, graph.ts). Used where
   * comparing definitions pairwise would be quadratic.
   */
  classesWithin(side: Side, ids: readonly number[]): ClassLookup;
}

/**
 * Pairwise equality; `canonical`, when the caller already has the joint
 * classes, is used instead. `tieRoots` lists, per side, the raw ids that
 * classOf may be asked about (asked once, at the first classOf).
 */
export function definitionEquality(
  left: BtfIndex,
  right: BtfIndex,
  canonical?: readonly [CanonicalGraph, CanonicalGraph],
  tieRoots?: () => readonly [readonly number[], readonly number[]],
): DefinitionEquality {
  let joint = canonical;
  let positions: ClosurePositions[] | undefined;
  const classOf = (side: Side, d: EntityDef): number => {
    const i = side === 'left' ? 0 : 1;
    if (!joint && tieRoots) {
      positions ??= canonicalPositions([left, right], tieRoots());
      const p = positions[i].get(d.ids[0]);
      // Mixing positions with whole-graph class ids in one sort would be wrong, so no fallback here.
      if (p === undefined) throw new Error(`internal: ${side} id ${d.ids[0]} is not among the tie roots`);
      return p;
    }
    joint ??= canonicalizeJoint([left, right]) as [CanonicalGraph, CanonicalGraph];
    return joint[i].classOf[d.ids[0]];
  };
  if (canonical) {
    const [lg, rg] = canonical;
    return {
      sameWithin: (side, a, b) => (side === 'left' ? lg : rg).classOf[a] === (side === 'left' ? lg : rg).classOf[b],
      same: (l, r) => lg.classOf[l] === rg.classOf[r],
      classOf,
      classesWithin: (side, ids) => new Map(ids.map((id) => [id, (side === 'left' ? lg : rg).classOf[id]])),
    };
  }
  const across = new StructuralEquality(left, right);
  // Within-side checkers are made on first use: most names have one definition.
  const within: Partial<Record<Side, StructuralEquality>> = {};
  const withinSide = (side: Side): StructuralEquality => {
    const index = side === 'left' ? left : right;
    within[side] ??= new StructuralEquality(index, index);
    return within[side];
  };
  return {
    sameWithin: (side, a, b) => withinSide(side).same(a, b),
    same: (l, r) => across.same(l, r),
    classOf,
    classesWithin: (side, ids) => canonicalPositions([side === 'left' ? left : right], [ids])[0],
  };
}
