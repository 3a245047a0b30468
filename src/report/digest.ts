/**
 * What the people-facing formats (text, email) say before and between the
 * findings: the counts of the summary, the findings folded one line per
 * rule (known) or per normalisation (equivalent), and which statuses are
 * listed. Computed in one pass over the units, without sorting or copying
 * the findings (a run may hold 300,000 of them).
 */
import type { ClassifiedFinding, Status } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { LISTED_ORDER } from './formats.js';
import { compareFindings, groupByEntity } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';

// The listing order and the `--only` parser are data the CLI registers at start-up (formats.ts).
export { LISTED_ORDER, parseOnly } from './formats.js';

/** How much the text and email formats list (the summary always counts every finding). */
export interface ListingOptions {
  /** Also list equivalent findings, and show rules' explanations, references and affected entities. */
  readonly verbose?: boolean;
  /** List known and equivalent findings in full instead of one line per rule. */
  readonly all?: boolean;
  /** List only findings of these statuses (absent: all). */
  readonly only?: readonly Status[];
  /** The summary alone (`--summary`). */
  readonly summaryOnly?: boolean;
  /** Unit report name → the path a caller opens (relative to their directory); names failed units. */
  readonly unitPaths?: ReadonlyMap<string, string>;
}

/** Findings of one rule (known) or one normalisation (equivalent): the count and the first in report order. */
export interface Fold {
  readonly id: string;
  readonly count: number;
  readonly example: { readonly unit: string; readonly entity: string };
}

export interface Digest {
  readonly byStatus: Readonly<Record<Status, number>>;
  /** Categories by count, then name. */
  readonly categories: readonly (readonly [string, number])[];
  /** Known findings per rule, by count then id. */
  readonly rules: readonly Fold[];
  /** Equivalent findings per normalisation, by count then name. */
  readonly normalisations: readonly Fold[];
  readonly failed: readonly UnitResult[];
  /** Statuses whose findings are printed (asked for, and present). */
  readonly listed: readonly Status[];
  /** Listed statuses printed in full (unexplained always; known and equivalent with --all/--verbose). */
  readonly full: ReadonlySet<Status>;
}

interface Acc {
  count: number;
  unit: string;
  first: ClassifiedFinding;
}

function folds(m: Map<string, Acc>): Fold[] {
  return [...m.entries()]
    .map(([id, a]) => ({ id, count: a.count, example: { unit: a.unit, entity: a.first.entity } }))
    .sort((a, b) => b.count - a.count || byCodeUnit(a.id, b.id));
}

function tally(m: Map<string, Acc>, id: string, unit: string, f: ClassifiedFinding): void {
  const a = m.get(id);
  if (!a) m.set(id, { count: 1, unit, first: f });
  else {
    a.count++;
    // The first in report order: units in order, findings sorted within a unit.
    if (a.unit === unit && compareFindings(f, a.first) < 0) a.first = f;
  }
}

export function digest(result: RunResult, o: ListingOptions): Digest {
  const byStatus: Record<Status, number> = { equivalent: 0, known: 0, unexplained: 0 };
  const categories = new Map<string, number>();
  const rules = new Map<string, Acc>();
  const norms = new Map<string, Acc>();
  for (const u of result.units) {
    for (const f of u.findings) {
      byStatus[f.status]++;
      categories.set(f.category, (categories.get(f.category) ?? 0) + 1);
      if (f.status === 'known') tally(rules, f.reason ?? '(no rule)', u.source, f);
      else if (f.status === 'equivalent') tally(norms, f.normalisation ?? f.reason ?? '(none)', u.source, f);
    }
  }
  const expand = o.all === true || o.verbose === true;
  // A status without findings gets no section, but for unexplained when there are findings at all (its 0 is news).
  const total = byStatus.equivalent + byStatus.known + byStatus.unexplained;
  const present = (s: Status): boolean => byStatus[s] > 0 || (s === 'unexplained' && total > 0);
  const listed = o.summaryOnly ? [] : LISTED_ORDER.filter((s) => (o.only === undefined || o.only.includes(s)) && present(s));
  return {
    byStatus,
    categories: [...categories.entries()].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0])),
    rules: folds(rules),
    normalisations: folds(norms),
    failed: result.units.filter((u) => u.error),
    listed,
    full: new Set(listed.filter((s) => s === 'unexplained' || expand)),
  };
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Each unit holding findings of `status`, with them grouped by entity (sorted); one unit at a time. */
export function* unitsWith(result: RunResult, status: Status): Generator<[UnitResult, [string, ClassifiedFinding[]][]]> {
  for (const u of result.units) {
    const fs = u.findings.filter((f) => f.status === status);
    if (fs.length > 0) yield [u, groupByEntity(fs)];
  }
}

/** Where a failed unit is: its path from the caller's directory when known, else its report name. */
export function unitPath(u: UnitResult, o: ListingOptions): string {
  return o.unitPaths?.get(u.source) ?? u.source;
}
