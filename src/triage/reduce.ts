/**
 * Reduce a C unit to a minimal reproducer of one divergence: the
 * preprocessed unit, sliced to what the entity needs, then delta-debugged
 * — top-level declarations first, then the lists inside the survivors
 * (members, enumerators, parameters, statements) — repeated until a round
 * changes nothing. Every accepted step was checked by the real toolchain:
 * both avenues compile it and a fresh check still shows the target.
 */
import { type EntityRef, parseEntity } from '../canonical/entity.js';
import { InputError, InternalError } from '../errors.js';
import { byCodeUnit } from '../lang.js';
import { type CandidateChecker, matchesTarget, type Target, type Verdict } from './candidate.js';
import { innerLists, keepItems, splitTopLevel } from './c-split.js';
import { isCName } from './c-tokens.js';
import { ddmin } from './ddmin.js';
import { syntheticUsers } from './anchors.js';
import { candidateSlices, closure, declFacts, definersOf, entityRoots, isAnchor, reachingSlice } from './slice.js';

export interface ReduceOptions {
  /** Concurrent candidate checks. */
  readonly jobs: number;
  /** Upper bound on ddmin rounds over (top level + lists). */
  readonly maxRounds?: number;
  /** How errors name the unit. */
  readonly unitName?: string;
  /** One line of progress, e.g. `top level: 812 → 37 declarations`. */
  readonly onProgress?: (message: string) => void;
}

export interface ReduceStats {
  readonly originalLines: number;
  readonly preprocessedLines: number;
  readonly finalLines: number;
  /** Declarations after the slice pass; undefined when slicing did not apply or lost the finding. */
  readonly slicedDeclarations?: number;
  readonly topLevelDeclarations: number;
  readonly rounds: number;
  readonly toolchainRuns: number;
  readonly cacheHits: number;
  readonly seconds: number;
}

export interface ReduceOutcome {
  readonly text: string;
  /** The final check of the reproducer (its finding with the target entity and category is `finding`). */
  readonly verdict: Verdict;
  readonly stats: ReduceStats;
}

/** Text of a list of top-level declarations as one file: one declaration per line group. */
export function joinDecls(decls: readonly string[]): string {
  return decls.length === 0 ? '' : `${decls.join('\n')}\n`;
}

export async function reduceUnit(
  preprocessed: string,
  originalLines: number,
  target: Target,
  checker: CandidateChecker,
  options: ReduceOptions,
): Promise<ReduceOutcome> {
  const t0 = Date.now();
  const say = options.onProgress ?? (() => {});
  let decls = splitTopLevel(preprocessed);
  const topLevelDeclarations = decls.length;
  const start = await checker.verdict(joinDecls(decls));
  if (!start.interesting) throw new InputError(notPresent(start, target), options.unitName ? { file: options.unitName } : {});
  say(`start: ${decls.length} top-level declarations, ${lineCount(preprocessed)} preprocessed lines`);

  const entity = parseEntity(target.entity);
  const sliced = await slicePass(decls, entity, checker, options.jobs);
  let slicedDeclarations: number | undefined;
  if (sliced) {
    decls = sliced;
    slicedDeclarations = sliced.length;
    say(`slice: kept ${sliced.length} declarations the entity needs`);
  } else {
    say('slice: not applicable or lost the finding; plain ddmin');
  }

  let rounds = 0;
  for (; rounds < (options.maxRounds ?? 4); ) {
    rounds++;
    const before = joinDecls(decls);
    const n = decls.length;
    decls = await ddminTopLevel(decls, pinnedIndices(decls, entity), checker, options.jobs);
    say(`round ${rounds}: top level ${n} → ${decls.length} declarations`);
    decls = await reduceLists(decls, checker, options.jobs);
    say(`round ${rounds}: lists reduced, ${lineCount(joinDecls(decls))} lines`);
    if (joinDecls(decls) === before) break;
  }
  const text = joinDecls(decls);
  const verdict = await checker.verdict(text);
  if (!verdict.interesting) throw new InternalError('reducer ended on a candidate that is not interesting'); // every step was checked
  return {
    text,
    verdict,
    stats: {
      originalLines,
      preprocessedLines: lineCount(preprocessed),
      finalLines: lineCount(text),
      ...(slicedDeclarations !== undefined ? { slicedDeclarations } : {}),
      topLevelDeclarations,
      rounds,
      toolchainRuns: checker.runs,
      cacheHits: checker.hits,
      seconds: (Date.now() - t0) / 1000,
    },
  };
}

function notPresent(v: Verdict, target: Target): string {
  if (v.result.error) return `the preprocessed unit does not build through both avenues: ${v.result.error.step}: ${v.result.error.message}`;
  const same = v.result.findings.filter((f) => f.entity === target.entity).map((f) => f.category);
  const hint = same.length > 0 ? ` (that entity has: ${[...new Set(same)].join(', ')})` : `; ${candidateList(v.result.findings)}`;
  return `no '${target.category}' finding for '${target.entity}' in this unit${hint}`;
}

/** At most this many candidates are named in an error line; the rest are counted. */
const MAX_CANDIDATES = 12;

/**
 * What could be reduced instead, for an error line: each entity with a
 * finding in the unit, with its categories; entities with a non-equivalent
 * finding first, then the rest, each group in report order.
 */
export function candidateList(findings: readonly { entity: string; category: string; status: string }[]): string {
  const cats = new Map<string, Set<string>>();
  const notEquivalent = new Set<string>();
  for (const f of findings) {
    if (!cats.has(f.entity)) cats.set(f.entity, new Set());
    cats.get(f.entity)?.add(f.category);
    if (f.status !== 'equivalent') notEquivalent.add(f.entity);
  }
  if (cats.size === 0) return 'the unit has no findings to reduce';
  const order = [...cats.keys()].sort((a, b) => Number(notEquivalent.has(b)) - Number(notEquivalent.has(a)) || byCodeUnit(a, b));
  const shown = order.slice(0, MAX_CANDIDATES).map((e) => `${e} (${[...(cats.get(e) ?? [])].sort(byCodeUnit).join(', ')})`);
  const more = order.length > MAX_CANDIDATES ? `, and ${order.length - MAX_CANDIDATES} more` : '';
  return `candidates: ${shown.join(', ')}${more}`;
}

/**
 * The smallest passing slice, or undefined. Slices of the unit with every
 * function body emptied come first: on kernel units bodies (and the inline
 * helpers they call) are most of what a type's closure drags in, while a
 * type needs only a definition that mentions it. Then slices of the
 * unit as it is. Candidates run in parallel.
 */
async function slicePass(decls: string[], entity: EntityRef, checker: CandidateChecker, jobs: number): Promise<string[] | undefined> {
  const gutted = decls.map(emptyBody);
  const tries: string[][] = [];
  // Cheapest first: the entity's own closure plus one variable of the type,
  // so the compiler has a reason to describe it (the variable is new text;
  // the check still has to show the same entity and category).
  const anchor = syntheticAnchor(entity);
  if (anchor) {
    const base = candidateSlices(gutted, gutted.map(declFacts), entity)[0];
    if (base) tries.push([...gutted.filter((_, i) => base[i]), anchor]);
  }
  tries.push(...userSlices(decls, gutted, entity));
  for (const ds of [gutted, decls]) {
    const masks = candidateSlices(ds, ds.map(declFacts), entity).filter((m) => m.some((k) => !k));
    tries.push(...masks.map((m) => ds.filter((_, i) => m[i])));
  }
  const reaching = reachingSlice(decls, decls.map(declFacts), entity);
  if (reaching?.some((k) => !k)) tries.push(decls.filter((_, i) => reaching[i]));
  const width = Math.max(1, jobs);
  for (let from = 0; from < tries.length; from += width) {
    const batch = tries.slice(from, from + width);
    const ok = await Promise.all(batch.map((ds) => checker.interesting(joinDecls(ds))));
    const hit = ok.indexOf(true);
    if (hit >= 0) return batch[hit];
  }
  return undefined;
}

/**
 * For a `func` or `var` entity: its own closure (bodies emptied first,
 * then as written) plus one synthetic user each (see anchors.ts) — the
 * unit's real callers usually drag in hundreds of declarations, a
 * synthetic one none.
 */
function userSlices(decls: readonly string[], gutted: readonly string[], entity: EntityRef): string[][] {
  const out: string[][] = [];
  for (const ds of [gutted, decls]) {
    const facts = ds.map(declFacts);
    const seeds = definersOf(facts, entityRoots(entity));
    if (seeds.length === 0) continue;
    const base = closure(facts, seeds);
    const kept = ds.filter((_, i) => base[i]);
    for (const user of syntheticUsers(
      entity,
      seeds.map((i) => decls[i]),
    ))
      out.push([...kept, user]);
  }
  return out;
}

/**
 * ddmin over the top-level declarations that are not pinned; pinned ones
 * stay in every candidate (their lists are still reduced later).
 */
async function ddminTopLevel(decls: readonly string[], pinned: ReadonlySet<number>, checker: CandidateChecker, jobs: number): Promise<string[]> {
  const with_ = (ks: readonly number[]): string[] => decls.filter((_, i) => pinned.has(i) || ks.includes(i));
  const free = decls.flatMap((_, i) => (pinned.has(i) ? [] : [i]));
  const kept = await ddmin(free, (ks) => checker.interesting(joinDecls(with_(ks))), jobs);
  return with_(kept);
}

/**
 * For `func F` / `var V`: the declarations that define F or V (its
 * definitions when there are any, else its declarations). Removing them
 * can keep the finding for another reason — a call to an implicitly
 * declared F also makes gcc -gbtf emit a FUNC — which would reproduce a
 * different divergence under the same name, so they are never dropped.
 */
export function pinnedIndices(decls: readonly string[], entity: EntityRef): Set<number> {
  if (entity.keyword !== 'func' && entity.keyword !== 'var') return new Set();
  const all = definersOf(decls.map(declFacts), entityRoots(entity));
  const defs = all.filter((i) => isAnchor(decls[i]) || decls[i].trimEnd().endsWith('}'));
  return new Set(defs.length > 0 ? defs : all);
}

/** `struct foo btfparity_anchor;` for a tag or typedef entity, else undefined. */
export function syntheticAnchor(entity: EntityRef): string | undefined {
  const { keyword, name } = entity;
  if ((keyword !== 'struct' && keyword !== 'union' && keyword !== 'enum' && keyword !== 'typedef') || !isCName(name)) return undefined;
  return `${keyword === 'typedef' ? name : `${keyword} ${name}`} btfparity_anchor;`;
}

/** A function definition with an empty body (`int f(int a) {}`); other declarations unchanged. */
export function emptyBody(decl: string): string {
  const body = innerLists(decl).find((l) => l.kind === 'statements');
  return body ? keepItems(decl, body, []) : decl;
}

/**
 * ddmin over each list inside each declaration. Lists are re-found after
 * every change (offsets move), walking by index: a list that disappeared
 * just shifts the walk, which only costs a pass.
 */
async function reduceLists(decls: string[], checker: CandidateChecker, jobs: number): Promise<string[]> {
  const out = [...decls];
  for (let d = 0; d < out.length; d++) {
    for (let li = 0; li < innerLists(out[d]).length; li++) {
      const list = innerLists(out[d])[li];
      if (list.items.length === 0) continue;
      const withMask = (kept: readonly number[]): string => {
        const keep = list.items.map((_, i) => kept.includes(i));
        return keepItems(out[d], list, keep);
      };
      const test = (kept: readonly number[]): Promise<boolean> => {
        const copy = [...out];
        copy[d] = withMask(kept);
        return checker.interesting(joinDecls(copy));
      };
      const kept = await ddmin(
        list.items.map((_, i) => i),
        test,
        jobs,
      );
      if (kept.length < list.items.length) out[d] = withMask(kept);
    }
  }
  return out;
}

export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The finding of a verdict that matches the target (the reproducer's headline). */
export function targetFinding(v: Verdict, target: Target) {
  return v.result.findings.find((f) => matchesTarget(f, target));
}
