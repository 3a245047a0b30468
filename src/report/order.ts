/**
 * Deterministic order for every report format: findings sorted by a total
 * order on their facts, objects rebuilt with keys in the documented order.
 * Same RunResult in → same bytes out, whatever order the diff produced.
 */
import { type ClassifiedFinding, compareFindingFacts } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';
import { lazyArray } from './writer.js';

/** Total order on findings: entity, path, category, left, right, then status/reason. */
export function compareFindings(a: ClassifiedFinding, b: ClassifiedFinding): number {
  return compareFindingFacts(a, b) || byCodeUnit(a.status, b.status) || byCodeUnit(a.reason ?? '', b.reason ?? '');
}

export function sortedFindings(findings: readonly ClassifiedFinding[]): ClassifiedFinding[] {
  return [...findings].sort(compareFindings);
}

/** Findings grouped by entity, entities in sorted order, findings sorted within. */
export function groupByEntity(findings: readonly ClassifiedFinding[]): [string, ClassifiedFinding[]][] {
  const groups = new Map<string, ClassifiedFinding[]>();
  for (const f of sortedFindings(findings)) {
    const g = groups.get(f.entity);
    if (g) g.push(f);
    else groups.set(f.entity, [f]);
  }
  return [...groups.entries()];
}

/** A record with its keys sorted (for count maps and per-entity text maps). */
export function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  // No prototype: keys are data (an entity may be named `__proto__`).
  const out: Record<string, T> = Object.create(null);
  for (const k of Object.keys(r).sort(byCodeUnit)) out[k] = r[k];
  return out;
}

/** Copy `src`'s fields in the order of `keys`, dropping undefined ones. */
function pick<T extends object>(src: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

/** Key order of a finding in the json report (documented in docs/report.schema.json). */
export const FINDING_KEYS: readonly (keyof ClassifiedFinding)[] = [
  'entity',
  'path',
  'category',
  'left',
  'right',
  'status',
  'reason',
  'explanation',
  'reference',
  'ruleSource',
  'normalisation',
  'verdict',
  'leftId',
  'rightId',
  'affected',
  'rightObjects',
];

export function orderedFinding(f: ClassifiedFinding): ClassifiedFinding {
  const o = pick(f, FINDING_KEYS) as ClassifiedFinding;
  return f.affected ? { ...o, affected: [...f.affected].sort(byCodeUnit) } : o;
}

function orderedUnit(u: UnitResult, lazy: boolean): UnitResult {
  const out: Record<string, unknown> = {
    source: u.source,
    commands: u.commands.map((c) => ({ side: c.side, argv: [...c.argv] })),
  };
  if (u.error) out.error = { step: u.error.step, message: u.error.message };
  out.findings = lazy ? lazyArray(() => orderedFindings(u.findings)) : sortedFindings(u.findings).map(orderedFinding);
  if (u.types) out.types = { left: sortedRecord(u.types.left), right: sortedRecord(u.types.right) };
  return out as unknown as UnitResult;
}

function orderedSummary(s: RunSummary): RunSummary {
  return {
    units: s.units,
    failedUnits: s.failedUnits,
    findings: s.findings,
    byStatus: sortedRecord(s.byStatus),
    byCategory: sortedRecord(s.byCategory),
    normalisations: sortedRecord(s.normalisations),
  };
}

function* orderedFindings(findings: readonly ClassifiedFinding[]): Generator<ClassifiedFinding> {
  for (const f of sortedFindings(findings)) yield orderedFinding(f);
}

/**
 * The RunResult with keys in documented order and findings sorted. Units
 * keep their order (the order the user named the sources in). With `lazy`
 * (for writeJsonValue), units and their findings are LazyArrays built while
 * they are written, so a big run is never copied whole.
 */
export function orderedRunResult(r: RunResult, lazy = false): RunResult {
  return {
    schemaVersion: r.schemaVersion,
    toolchain: r.toolchain.map((t) => pick(t, ['role', 'side', 'command', 'path', 'version']) as RunResult['toolchain'][number]),
    recipes: r.recipes.map((x) => ({ side: x.side, name: x.name, description: x.description })),
    units: lazy ? (lazyArray(() => r.units.map((u) => orderedUnit(u, true))) as unknown as UnitResult[]) : r.units.map((u) => orderedUnit(u, false)),
    summary: orderedSummary(r.summary),
  };
}
