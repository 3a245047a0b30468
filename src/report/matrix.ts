/**
 * `btfparity matrix`: divergence classes × toolchain pairs, computed from
 * one RunResult per pair (the same units checked with each pair's sides).
 * Pure: results in, table out; the renderers are matrix-render.ts.
 *
 * A class is what stays the same when the same divergence is seen with
 * other tools and in other units (docs/TOOLCHAINS.md, "The matrix"):
 * - known: category and rule id;
 * - equivalent: category and normalisation;
 * - unexplained: category and a short description, the entity's keyword
 *   (`struct`, `var`, `func`, ...: program names are not part of it), or
 *   the whole entity where the name comes from the toolchain's own small
 *   vocabulary (a base type `char`, a section `datasec .bss`), plus what
 *   kind of place inside the entity (`member`, `param`, ...); for the
 *   categories whose two texts are words of a closed set (linkage, the
 *   kernel's refusal) the texts too (`static → global`);
 * - a unit failure: the failing step (`left encode`), without the tool, and
 *   the unit (what fails is a fact of that unit; a class over all units
 *   would merge `_Atomic` failing with pahole 1.30 and `complex long
 *   double` failing with 1.24).
 * The same facts with other names or in other units are one class, so a
 * row says which pairs show that divergence at all.
 */
import { CATEGORIES, type Category, type ClassifiedFinding, type Status } from '../findings/finding.js';
import { assertNever, byCodeUnit } from '../lang.js';
import type { RunResult, RunSummary, ToolInfo } from './run-result.js';

/** Version of the json shape (docs/TOOLCHAINS.md); bump on any change. */
export const MATRIX_SCHEMA_VERSION = 1;

/** One pair's run, named as the pairs file names it. */
export interface PairRun {
  readonly name: string;
  readonly result: RunResult;
}

export type MatrixClass =
  | { readonly kind: 'finding'; readonly status: Status; readonly category: Category; readonly detail: string }
  | { readonly kind: 'failure'; readonly step: string; readonly unit: string };

/**
 * One class in one pair. `failed` counts the units that show the class with
 * another pair but failed with this one (for a failure class always 0):
 * - present: `count` findings (a failure class: failed units) in `units` units;
 *   with `failed` > 0 the count may be short;
 * - absent: not seen in the units that ran; `failed` of those that show it
 *   elsewhere could not say;
 * - failed: not seen, and every unit that shows it with another pair failed
 *   with this one (`units` of them): absence is not known.
 */
export type MatrixCell =
  | { readonly state: 'present'; readonly count: number; readonly units: number; readonly failed: number }
  | { readonly state: 'absent'; readonly failed: number }
  | { readonly state: 'failed'; readonly units: number };

export interface MatrixRow {
  /** Stable identity of the class: `known | array | rule-id`, `failure | left encode | probes/40-atomic.c`. */
  readonly key: string;
  readonly class: MatrixClass;
  /** One cell per pair, in the pairs' order. */
  readonly cells: readonly MatrixCell[];
  /** The first and last pair (in the pairs' order) where the class is present. */
  readonly first: string;
  readonly last: string;
}

export interface MatrixPair {
  readonly name: string;
  readonly recipes: { readonly left: string; readonly right: string };
  readonly toolchain: readonly ToolInfo[];
  readonly summary: RunSummary;
}

export interface Matrix {
  readonly schemaVersion: number;
  readonly pairs: readonly MatrixPair[];
  readonly rows: readonly MatrixRow[];
}

/**
 * Categories whose left and right texts are words of a closed set (a
 * linkage, the kernel verifier's message), so an unexplained class can
 * name them; elsewhere the texts hold program names and types.
 */
const TEXTS_IN_CLASS: Readonly<Record<Category, boolean>> = {
  'only-left': false,
  'only-right': false,
  kind: false,
  size: false,
  encoding: false,
  signedness: false,
  bitfield: false,
  offset: false,
  members: false,
  'member-type': false,
  array: false,
  'enum-value': false,
  linkage: true,
  proto: false,
  datasec: false,
  tag: false,
  qualifier: false,
  rejected: true,
  'self-inconsistent': false,
};

/** Entity keywords whose names are the program's; other entities (base types, sections) are named whole. */
const PROGRAM_NAMED = ['struct', 'union', 'enum', 'typedef', 'func', 'var'];

/** The kind of place a finding's path names inside its entity. */
function placeKind(path: string): string {
  if (path === '') return '';
  const word = path.split(' ', 1)[0];
  return word === 'param' || word === 'return' || word === 'enumerator' ? word : 'member';
}

/** An unexplained finding's description (see the file comment). */
export function unexplainedDetail(f: ClassifiedFinding): string {
  const space = f.entity.indexOf(' ');
  const keyword = space < 0 ? '' : f.entity.slice(0, space);
  const subject = PROGRAM_NAMED.includes(keyword) ? keyword : f.entity;
  const place = placeKind(f.path);
  const where = place === '' ? subject : `${subject} ${place}`;
  return TEXTS_IN_CLASS[f.category] ? `${where}: ${f.left} → ${f.right}` : where;
}

export function findingClass(f: ClassifiedFinding): MatrixClass {
  const detail = f.status === 'unexplained' ? unexplainedDetail(f) : (f.reason ?? '');
  return { kind: 'finding', status: f.status, category: f.category, detail };
}

/** `left encode (trixie:pahole)` → `left encode`: the tool is the pair's, not the class's. */
export function failureStep(step: string): string {
  return step.replace(/ \([^()]*\)$/, '');
}

export function classKey(c: MatrixClass): string {
  switch (c.kind) {
    case 'finding':
      return [c.status, c.category, c.detail].join(' | ');
    case 'failure':
      return `failure | ${c.step} | ${c.unit}`;
    default:
      return assertNever(c);
  }
}

/** How tables name a class: `unexplained · linkage · func: static → global`. */
export function classLabel(c: MatrixClass): string {
  switch (c.kind) {
    case 'finding':
      return [c.status, c.category, c.detail].filter((s) => s !== '').join(' · ');
    case 'failure':
      return `unit failed · ${c.step} · ${c.unit}`;
    default:
      return assertNever(c);
  }
}

/** Per class, per pair: the units that show it and how many times. */
interface Tally {
  readonly cls: MatrixClass;
  readonly perPair: Map<number, Map<string, number>>;
}

function tally(runs: readonly PairRun[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  const add = (cls: MatrixClass, pair: number, unit: string): void => {
    const key = classKey(cls);
    const t = out.get(key) ?? { cls, perPair: new Map() };
    out.set(key, t);
    const units = t.perPair.get(pair) ?? new Map<string, number>();
    t.perPair.set(pair, units);
    units.set(unit, (units.get(unit) ?? 0) + 1);
  };
  runs.forEach((run, i) => {
    for (const u of run.result.units) {
      if (u.error) add({ kind: 'failure', step: failureStep(u.error.step), unit: u.source }, i, u.source);
      for (const f of u.findings) add(findingClass(f), i, u.source);
    }
  });
  return out;
}

function cellOf(t: Tally, pair: number, failedHere: ReadonlySet<string>): MatrixCell {
  const here = t.perPair.get(pair);
  const elsewhere = new Set<string>();
  for (const [p, units] of t.perPair) if (p !== pair) for (const u of units.keys()) if (!here?.has(u)) elsewhere.add(u);
  // A failure class's own units failed by definition: they say nothing about its absence.
  const failed = t.cls.kind === 'failure' ? 0 : [...elsewhere].filter((u) => failedHere.has(u)).length;
  if (here) return { state: 'present', count: [...here.values()].reduce((a, b) => a + b, 0), units: here.size, failed };
  return failed > 0 && failed === elsewhere.size ? { state: 'failed', units: failed } : { state: 'absent', failed };
}

/** Failure rows first (they hide everything else of a unit), then by status, category and description. */
function compareClasses(a: MatrixClass, b: MatrixClass): number {
  const rank = (c: MatrixClass): number => (c.kind === 'failure' ? -1 : STATUS_RANK[c.status]);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.kind === 'failure' || b.kind === 'failure') return byCodeUnit(classKey(a), classKey(b));
  return CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || byCodeUnit(a.detail, b.detail);
}

/** What needs looking at first. */
const STATUS_RANK: Readonly<Record<Status, number>> = { unexplained: 0, known: 1, equivalent: 2 };

export function buildMatrix(runs: readonly PairRun[]): Matrix {
  const failedUnits = runs.map((r) => new Set(r.result.units.filter((u) => u.error).map((u) => u.source)));
  const rows = [...tally(runs).values()]
    .sort((a, b) => compareClasses(a.cls, b.cls))
    .map((t): MatrixRow => {
      const cells = runs.map((_, i) => cellOf(t, i, failedUnits[i]));
      const seen = cells.flatMap((c, i) => (c.state === 'present' ? [runs[i].name] : []));
      return { key: classKey(t.cls), class: t.cls, cells, first: seen[0], last: seen[seen.length - 1] };
    });
  return { schemaVersion: MATRIX_SCHEMA_VERSION, pairs: runs.map(pairOf), rows };
}

function pairOf(run: PairRun): MatrixPair {
  const recipe = (side: 'left' | 'right'): string => run.result.recipes.find((r) => r.side === side)?.name ?? side;
  return { name: run.name, recipes: { left: recipe('left'), right: recipe('right') }, toolchain: run.result.toolchain, summary: run.result.summary };
}
