/**
 * Shared state of one entity comparison: both sides, where findings go,
 * and the pairs of anonymous types already being compared (so that an
 * anonymous cycle, which C cannot write but BTF can, ends instead of
 * recursing: a pair met again on the way down is assumed equal, which is
 * the coinductive reading bisimulation uses too).
 */
import type { Btf } from '../btf/types.js';
import { tagWords } from '../btf/words.js';
import { byCodeUnit } from '../lang.js';
import type { Category, Finding, Normalisation } from './finding.js';

/** A DECL_TAG as seen from its target: the tag text and which component it names. */
export interface DeclTagRef {
  readonly name: string;
  /** -1: the type/func/var itself; otherwise member or parameter index (0-based). */
  readonly componentIdx: number;
  /** kind_flag: the tag is an attribute (`__attribute__((NAME))`), not a btf_decl_tag. */
  readonly kindFlag: boolean;
}

export interface DiffSide {
  readonly btf: Btf;
  /** DECL_TAGs by target raw id. */
  readonly tags: ReadonlyMap<number, readonly DeclTagRef[]>;
}

/** A finding without the entity-level fields, which the caller fills in. */
export type PartialFinding = Omit<Finding, 'entity' | 'leftId' | 'rightId' | 'affected'>;

/**
 * Compares two anonymous types of the same kind family inline (struct or
 * union, enum, function prototype). Passed in rather than imported so the
 * reference walk (diff-chain.ts) and the per-kind comparisons
 * (diff-types.ts) do not import each other.
 */
export type AnonymousComparer = (ctx: CompareContext, leftId: number, rightId: number, path: string) => void;

export interface CompareContext {
  readonly left: DiffSide;
  readonly right: DiffSide;
  readonly out: PartialFinding[];
  /** `${leftId}:${rightId}` pairs of anonymous types on the current comparison path. */
  readonly inProgress: Set<string>;
  readonly compareAnonymous: AnonymousComparer;
  /** Whether a left and a right raw id are the same type (the diff's equality): decides the anonymous types nested past INLINE_DEPTH. */
  readonly sameType: (leftId: number, rightId: number) => boolean;
}

/**
 * How many anonymous types deep (struct in struct, prototype in prototype)
 * one entity is compared member by member. Real C nests a handful; past
 * this the comparison would recurse once per level of a hostile chain, so
 * the nested pair is decided whole instead: one finding at that path when
 * the two types differ (by the diff's exact equality), none when they agree.
 */
export const INLINE_DEPTH = 64;

export function newContext(left: DiffSide, right: DiffSide, compareAnonymous: AnonymousComparer, sameType: CompareContext['sameType']): CompareContext {
  return { left, right, out: [], inProgress: new Set(), compareAnonymous, sameType };
}

export function emit(ctx: CompareContext, path: string, category: Category, left: string, right: string, normalisation?: Normalisation): void {
  ctx.out.push(normalisation === undefined ? { path, category, left, right } : { path, category, left, right, normalisation });
}

/** `uu` + `pt` → `uu.pt`; the entity's own level is ''. */
export function joinPath(prefix: string, segment: string): string {
  return prefix === '' ? segment : `${prefix}.${segment}`;
}

/** DECL_TAGs on one component of a type as C writes them, sorted (order in BTF carries no meaning). */
export function tagsOn(side: DiffSide, ids: readonly number[], componentIdx: number): string[] {
  const names = new Set<string>();
  for (const id of ids) for (const t of side.tags.get(id) ?? []) if (t.componentIdx === componentIdx) names.add(tagWords(t.name, t.kindFlag, declTagWord));
  return [...names].sort(byCodeUnit);
}

const declTagWord = (name: string): string => `decl_tag("${name}")`;

/** Emit a `tag` finding when two components carry different DECL_TAG sets. */
export function compareDeclTags(
  ctx: CompareContext,
  leftIds: readonly number[],
  rightIds: readonly number[],
  componentIdx: number,
  path: string,
  rightComponentIdx = componentIdx,
): void {
  // Most graphs have no DECL_TAG at all (gcc before 14 emits none): nothing can differ.
  if (ctx.left.tags.size === 0 && ctx.right.tags.size === 0) return;
  const l = tagsOn(ctx.left, leftIds, componentIdx);
  const r = tagsOn(ctx.right, rightIds, rightComponentIdx);
  if (l.join('\u0000') !== r.join('\u0000')) emit(ctx, path, 'tag', tagText(l), tagText(r));
}

function tagText(tags: readonly string[]): string {
  return tags.length === 0 ? 'no decl_tag' : tags.join(' ');
}
