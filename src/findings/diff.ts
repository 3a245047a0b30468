/**
 * The structural diff of two BTF graphs: entities paired by name, compared
 * field by field, each difference reported once, at the entity where it
 * lives.
 *
 * Entities: named struct/union/enum (and their FWDs), typedefs, INT and
 * FLOAT base types, FUNCs, VARs, DATASECs (src/canonical/entity.ts).
 * Anonymous struct/union/enum and prototypes are compared inline where
 * they are used, with the path extended (`uu.pt.x`, `cb.param 2`); unnamed
 * members are `(anon)`, `(anon 2)`, ... (diff-types.ts). An anonymous type
 * nobody references is not compared.
 *
 * Root cause once: a reference to a named type is compared by name (and
 * the pointer/array/qualifier chain around it), never by content; a
 * difference inside the named type is reported at that type, and the
 * entities that reference it are listed in its findings' `affected`.
 *
 * Normalisations (set on the finding, which the classifier turns into
 * status `equivalent`; never applied silently):
 * - `array-index-type`: only the ARRAY index type differs (pahole uses
 *   `int`, gcc `long unsigned int`); the index type has no meaning in C.
 *   One finding per entity path, whatever the number of array levels.
 * - `flattened-array`: array dimensions differ but their product and the
 *   element type agree (`int[3][4]` vs `int[12]`): same size, same layout.
 * - `qualifier-order`: the same qualifiers on the same level in another
 *   order (CONST→VOLATILE vs VOLATILE→CONST).
 * - `array-qualifier`: qualifiers written on an array instead of (or as
 *   well as) its element; C gives array qualifiers to the element
 *   (C11 6.7.3p9), so `const (int[4])` is `(const int)[4]`.
 * - `bitfield-encoding`: a struct's kind_flag differs, i.e. bitfield widths
 *   are stored in the member on one side and in the member's INT on the
 *   other; the widths themselves are still compared (and reported without
 *   normalisation if they differ).
 * - `redundant-fwd`: a FWD left over on a side that also has the full
 *   struct/union of that name; a forward declaration next to its
 *   definition adds nothing.
 */
import { asIndex, type BtfIndex } from '../btf/btf-index.js';
import type { Btf, BtfType } from '../btf/types.js';
import { typeById } from '../btf/types.js';
import { type EntityFamily, entityFamily, entityKey, entityName, fwdDeclares } from '../canonical/entity.js';
import type { CanonicalGraph } from '../canonical/graph.js';
import { renderCType } from '../canonical/render.js';
import { referrers } from './diff-affected.js';
import { type CompareContext, compareDeclTags, type DeclTagRef, type DiffSide, newContext, type PartialFinding } from './diff-context.js';
import { definitionEquality } from './diff-equality.js';
import { collectEntities, definitionsOf, type EntityDef, type EntityIndex, pairDefinitions } from './diff-pairing.js';
import { compareAnonymous, compareEntity, entitiesAgree, kindText, memberLabels } from './diff-types.js';
import { compareFindingFacts, type Finding } from './finding.js';
import { byCodeUnit } from '../lang.js';

export interface DiffOptions {
  /**
   * Canonical graphs of [left, right] refined together (canonicalizeJoint),
   * when the caller has them; without, equality is decided pairwise
   * (canonical/equiv.ts), which is much cheaper. Same findings either way.
   */
  readonly canonical?: readonly [CanonicalGraph, CanonicalGraph];
  /** Fill `affected` (default true). Costs one walk over each side when there are findings. */
  readonly affected?: boolean;
  /**
   * Whole-binary pairing (archive avenue): a bonus added to the similarity
   * of a right definition when several different definitions of a name are
   * paired, e.g. 1 for the FUNC copy whose object defines the symbol over a
   * declaration's copy. Only breaks ties between otherwise unequal pairs;
   * identical definitions still pair first. Default: none.
   */
  readonly rightPreference?: (rightId: number) => number;
}

/** The findings of `left` against `right`; bare Btfs are indexed here, owners that keep an index pass it. */
export function diffBtf(leftGraph: Btf | BtfIndex, rightGraph: Btf | BtfIndex, options: DiffOptions = {}): Finding[] {
  const li = asIndex(leftGraph);
  const ri = rightGraph === leftGraph ? li : asIndex(rightGraph);
  const left = li.btf;
  const right = ri.btf;
  const eq = definitionEquality(li, ri, options.canonical, () => tieRoots(le, re));
  const ls: DiffSide = { btf: left, tags: declTags(li) };
  const rs: DiffSide = { btf: right, tags: declTags(ri) };
  const le = collectEntities(left, 'left', eq);
  const re = collectEntities(right, 'right', eq);
  // Findings grouped by entity key; only keys with findings are sorted (the
  // concatenation in key order is what the final stable sort starts from).
  const groups: Array<[string, Finding[]]> = [];
  const visit = (L: readonly EntityDef[], R: readonly EntityDef[]): void => {
    const fs: Finding[] = [];
    const { pairs, leftOnly, rightOnly } = pairDefinitions(L, R, eq, options.rightPreference);
    for (const [l, r] of pairs) {
      // Same type: identical up to numbering; only DECL_TAGs (not part of the type) can differ.
      const same = eq.same(l.ids[0], r.ids[0]);
      if (same && !hasTags(ls, l) && !hasTags(rs, r)) continue;
      if (!same && l.ids.length === 1 && r.ids.length === 1 && entitiesAgree(ls, rs, l.ids[0], r.ids[0])) continue;
      const ctx = newContext(ls, rs, compareAnonymous, eq.same);
      if (same) compareTagsOnly(ctx, l, r);
      else compareEntity(ctx, l.ids, r.ids);
      for (const f of ctx.out) fs.push({ entity: entityName(l.type), ...f, leftId: l.ids[0], rightId: r.ids[0] });
    }
    for (const d of leftOnly) fs.push(presence(left, d, L, 'left'));
    for (const d of rightOnly) fs.push(presence(right, d, R, 'right'));
    if (fs.length > 0) groups.push([entityKey((L[0] ?? R[0]).type)!, fs]);
  };
  // Right names met from the left, per family: when all were, there are no
  // right-only names and the second pass (70k lookups on a kernel) is skipped.
  const matched = new Map<EntityFamily, number>();
  for (const [family, byName] of le.byFamily) {
    const other = re.byFamily.get(family);
    let met = 0;
    for (const [name, l] of byName) {
      const r = other?.get(name);
      if (r !== undefined) met++;
      // The common case, one definition on each side, the same type (or one
      // that differs only inside named types it uses) and no DECL_TAGs, is
      // decided without a comparison context and allocates nothing.
      if (l > 0 && r !== undefined && r > 0 && !ls.tags.has(l) && !rs.tags.has(r) && (eq.same(l, r) || entitiesAgree(ls, rs, l, r))) continue;
      visit(definitionsOf(le, l), definitionsOf(re, r));
    }
    matched.set(family, met);
  }
  for (const [family, byName] of re.byFamily) {
    if (matched.get(family) === byName.size) continue;
    const other = le.byFamily.get(family);
    for (const [name, r] of byName) if (!other?.has(name)) visit([], definitionsOf(re, r));
  }
  groups.sort((a, b) => byCodeUnit(a[0], b[0]));
  const findings: Finding[] = [];
  const keyOf = new Map<Finding, string>();
  for (const [key, fs] of groups) {
    for (const f of fs) {
      findings.push(f);
      keyOf.set(f, key);
    }
  }
  if (options.affected !== false && findings.length > 0) attachAffected(findings, keyOf, li, ri);
  return findings.sort(compareFindings);
}

/**
 * Every definition that a similarity tie can involve: all definitions, on
 * both sides, of the names that have several definitions on either side.
 */
function tieRoots(le: EntityIndex, re: EntityIndex): [number[], number[]] {
  const l = new Set<number>();
  const r = new Set<number>();
  // Names with several definitions are few (19 in vmlinux): start from them, not from every name.
  const both = (defs: readonly EntityDef[], other: EntityIndex, mine: Set<number>, theirs: Set<number>): void => {
    for (const d of defs) mine.add(d.ids[0]);
    const t = defs[0].type;
    const entry = other.byFamily.get(entityFamily(t)!)?.get(t.name);
    for (const d of definitionsOf(other, entry)) theirs.add(d.ids[0]);
  };
  for (const defs of le.multi) both(defs, re, l, r);
  for (const defs of re.multi) both(defs, le, r, l);
  return [[...l], [...r]];
}

const hasTags = (side: DiffSide, d: EntityDef): boolean => d.ids.some((id) => side.tags.has(id));

/** DECL_TAGs grouped by the id they annotate. */
function declTags(index: BtfIndex): Map<number, DeclTagRef[]> {
  const m = new Map<number, DeclTagRef[]>();
  for (const t of index.types) {
    if (t.kind !== 'DECL_TAG') continue;
    const list = m.get(t.type) ?? [];
    list.push({ name: t.name, componentIdx: t.componentIdx, kindFlag: t.kindFlag });
    m.set(t.type, list);
  }
  return m;
}

/**
 * Identical definitions (same class) can still differ in DECL_TAGs, which
 * point at a type and so are not part of its class.
 */
function compareTagsOnly(ctx: CompareContext, l: EntityDef, r: EntityDef): void {
  compareDeclTags(ctx, l.ids, r.ids, -1, '');
  const t = l.type;
  if (t.kind === 'STRUCT' || t.kind === 'UNION') {
    memberLabels(t.members).forEach((label, i) => {
      compareDeclTags(ctx, l.ids, r.ids, i, label);
    });
  }
  if (t.kind === 'FUNC') {
    const p = typeById(ctx.left.btf, t.type);
    if (p?.kind === 'FUNC_PROTO') {
      for (let i = 0; i < p.params.length; i++) compareDeclTags(ctx, l.ids, r.ids, i, `param ${i + 1}`);
    }
  }
}

/** How an entity present on one side only is shown: its declaration or a kind summary. */
function describe(btf: Btf, t: BtfType): string {
  if (t.kind === 'FUNC' || t.kind === 'VAR') return renderCType(btf, t.id);
  if (t.kind === 'TYPEDEF') return `typedef ${renderCType(btf, t.type, t.name)}`;
  return kindText(t);
}

function presence(btf: Btf, d: EntityDef, sameSide: readonly EntityDef[], side: 'left' | 'right'): Finding {
  const text = describe(btf, d.type);
  // Only a FWD can be redundant; gcc's hundreds of anonymous FUNCs need not look at each other.
  const redundant = d.type.kind === 'FWD' && sameSide.some((o) => fwdDeclares(d.type, o.type));
  const base: PartialFinding =
    side === 'left' ? { path: '', category: 'only-left', left: text, right: 'absent' } : { path: '', category: 'only-right', left: 'absent', right: text };
  return {
    entity: entityName(d.type),
    ...base,
    ...(side === 'left' ? { leftId: d.ids[0] } : { rightId: d.ids[0] }),
    ...(redundant ? { normalisation: 'redundant-fwd' } : {}),
  };
}

function attachAffected(findings: Finding[], keyOf: Map<Finding, string>, left: BtfIndex, right: BtfIndex): void {
  const wanted = new Set(keyOf.values());
  const lr = referrers(left, wanted);
  const rr = referrers(right, wanted);
  // Many findings share key and entity (a struct with many differing members, gcc's anonymous FUNCs): one list each.
  const lists = new Map<string, string[]>();
  findings.forEach((f, i) => {
    const key = keyOf.get(f)!;
    const memo = `${key}\u0000${f.entity}`;
    let list = lists.get(memo);
    if (list === undefined) {
      const names = new Set([...(lr.get(key) ?? []), ...(rr.get(key) ?? [])]);
      names.delete(f.entity);
      list = [...names].sort(byCodeUnit);
      lists.set(memo, list);
    }
    if (list.length > 0) findings[i] = { ...f, affected: [...list] };
  });
}

/** The order of the diff's output: the facts, then the ids. */
function compareFindings(a: Finding, b: Finding): number {
  return compareFindingFacts(a, b) || (a.leftId ?? 0) - (b.leftId ?? 0) || (a.rightId ?? 0) - (b.rightId ?? 0);
}
