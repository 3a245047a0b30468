/**
 * The baseline gate: record today's findings, later fail only on findings
 * that are not in the record. Pure: the CLI reads and writes the file.
 *
 * Entries are identified by `findingKey` (unit source, entity, path,
 * category, both views) — no type ids and no temp paths, so a baseline is
 * stable across runs and machines. The status is recorded for the reader
 * but is not part of the identity: re-classifying a finding (new rules) does
 * not make it new.
 */
import { InputError } from '../errors.js';
import { CATEGORIES, type Category, type ClassifiedFinding, type FindingKeyFields, findingKey, STATUSES, type Status } from '../findings/finding.js';
import type { RunResult } from './run-result.js';

export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineEntry extends FindingKeyFields {
  readonly key: string;
  readonly status: Status;
}

/** A unit whose toolchain step failed when the baseline was recorded (e.g. pahole cannot encode a type). */
export interface BaselineFailure {
  readonly unit: string;
  /** The failing step, e.g. `left encode (pahole)`: the identity, with the unit. */
  readonly step: string;
  /** First error line, for the reader; not part of the identity. */
  readonly message: string;
}

export interface Baseline {
  readonly schemaVersion: number;
  /** Sorted by key; one entry per key. */
  readonly entries: readonly BaselineEntry[];
  /** Accepted unit failures, sorted by unit then step. A failure not listed here fails the gate with exit 3. */
  readonly failures: readonly BaselineFailure[];
}

/**
 * Which findings fail a run: `any` every finding whatever its status,
 * `known` known and unexplained ones, `unexplained` unexplained ones only.
 */
export type FailOn = 'any' | 'known' | 'unexplained';
export const FAIL_ON = ['any', 'known', 'unexplained'] as const satisfies readonly FailOn[];

/** Whether a finding of this status fails a run under failOn. */
export function failsUnder(status: Status, failOn: FailOn): boolean {
  if (failOn === 'any') return true;
  if (failOn === 'known') return status !== 'equivalent';
  return status === 'unexplained';
}

/** Without a baseline, known divergences are known: only unexplained findings fail. */
export const DEFAULT_FAIL_ON: FailOn = 'unexplained';
/** With a baseline, a toolchain change is a change: every new finding fails. */
export const DEFAULT_BASELINE_FAIL_ON: FailOn = 'any';

/** What decides a run: which findings fail, and the accepted record if any. */
export interface Gate {
  readonly failOn: FailOn;
  readonly baseline?: Baseline;
}

/**
 * A finding of this run against the baseline: `new` (its key is not
 * recorded), `unchanged` (recorded with the same facts) or `updated`
 * (recorded under the same key with other facts: its status changed, e.g.
 * after new rules). Keys cover every other recorded field.
 */
export type BaselineState = 'new' | 'unchanged' | 'updated';

/** The gate's word on one finding; every report format and the exit status read it (one rule in one place). */
export interface FindingVerdict {
  readonly key: string;
  /** Only with a baseline. */
  readonly state?: BaselineState;
  /** The recorded entry, for `unchanged`/`updated`. */
  readonly recorded?: BaselineEntry;
  /** Whether this finding fails the run: new (or no baseline) and failing under failOn. */
  readonly fails: boolean;
}

/** The judge of a gate: index the baseline once, then judge each finding. */
export function gateJudge(gate: Gate): (unit: string, f: ClassifiedFinding) => FindingVerdict {
  const recorded = new Map((gate.baseline?.entries ?? []).map((e) => [e.key, e]));
  return (unit, f) => {
    const key = findingKey(unit, f);
    const failing = failsUnder(f.status, gate.failOn);
    if (gate.baseline === undefined) return { key, fails: failing };
    const e = recorded.get(key);
    if (e === undefined) return { key, state: 'new', fails: failing };
    return { key, state: e.status === f.status ? 'unchanged' : 'updated', recorded: e, fails: false };
  };
}

export interface NewFinding {
  readonly unit: string;
  readonly key: string;
  readonly finding: ClassifiedFinding;
}

export interface BaselineComparison {
  /** Findings of this run whose key is not in the baseline (all of them, whatever failOn says). */
  readonly newFindings: readonly NewFinding[];
  /** The new findings that decide the exit status under failOn. */
  readonly failing: readonly NewFinding[];
  /** Baseline entries that no longer occur: fixed upstream, or the input changed. */
  readonly resolved: readonly BaselineEntry[];
  /** Units that failed in this run at a step the baseline does not accept. */
  readonly newFailures: readonly BaselineFailure[];
  /** Accepted failures of units that were run and no longer fail there. */
  readonly resolvedFailures: readonly BaselineFailure[];
  /**
   * 3 when there are new unit failures (the run is incomplete in a new
   * way), else 1 when `failing` is non-empty, else 0. Resolved entries
   * never fail the gate.
   */
  readonly exitCode: 0 | 1 | 3;
  /** Advice for the user, e.g. to refresh the baseline; '' when none. */
  readonly note: string;
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function entryOf(unit: string, f: ClassifiedFinding): BaselineEntry {
  return { key: findingKey(unit, f), unit, entity: f.entity, path: f.path, category: f.category, left: f.left, right: f.right, status: f.status };
}

export function baselineFrom(result: RunResult): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const u of result.units) {
    for (const f of u.findings) {
      const e = entryOf(u.source, f);
      if (!entries.has(e.key)) entries.set(e.key, e);
    }
  }
  return { schemaVersion: BASELINE_SCHEMA_VERSION, entries: [...entries.values()].sort(byKey), failures: failuresOf(result) };
}

function failuresOf(result: RunResult): BaselineFailure[] {
  return result.units
    .flatMap((u) => (u.error ? [{ unit: u.source, step: u.error.step, message: u.error.message }] : []))
    .sort((a, b) => failureKey(a).localeCompare(failureKey(b)));
}

function failureKey(f: { unit: string; step: string }): string {
  return `${f.unit}\u0000${f.step}`;
}

/** The baseline file's text: stable key order, one entry per key, trailing newline. */
export function renderBaseline(b: Baseline): string {
  const entries = [...b.entries].sort(byKey).map((e) => ({
    key: e.key,
    unit: e.unit,
    entity: e.entity,
    path: e.path,
    category: e.category,
    left: e.left,
    right: e.right,
    status: e.status,
  }));
  const failures = b.failures.map((f) => ({ unit: f.unit, step: f.step, message: f.message }));
  return `${JSON.stringify({ schemaVersion: b.schemaVersion, entries, failures }, null, 2)}\n`;
}

function bad(where: string, what: string): never {
  throw new InputError(`baseline: ${where}: ${what}`);
}

/**
 * Validate a parsed baseline document. Keys are recomputed from the fields,
 * so a hand-edited entry cannot carry a key that disagrees with its facts.
 */
export function parseBaseline(json: unknown): Baseline {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('document', 'expected an object { schemaVersion, entries }');
  const doc = json as Record<string, unknown>;
  if (doc.schemaVersion !== BASELINE_SCHEMA_VERSION)
    bad('schemaVersion', `unsupported version ${String(doc.schemaVersion)} (expected ${BASELINE_SCHEMA_VERSION})`);
  if (!Array.isArray(doc.entries)) bad('entries', 'must be a list');
  const entries = new Map<string, BaselineEntry>();
  doc.entries.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) bad(`entry ${i}`, 'must be an object');
    const e = raw as Record<string, unknown>;
    for (const k of ['unit', 'entity', 'path', 'left', 'right'] as const) if (typeof e[k] !== 'string') bad(`entry ${i}.${k}`, 'must be a string');
    if (!CATEGORIES.includes(e.category as Category)) bad(`entry ${i}.category`, `unknown category ${JSON.stringify(e.category)}`);
    if (!STATUSES.includes(e.status as Status)) bad(`entry ${i}.status`, `unknown status ${JSON.stringify(e.status)}`);
    const f = e as unknown as ClassifiedFinding & { unit: string };
    const entry = entryOf(f.unit, f);
    entries.set(entry.key, entry);
  });
  const failures: BaselineFailure[] = [];
  const rawFailures = doc.failures ?? [];
  if (!Array.isArray(rawFailures)) bad('failures', 'must be a list');
  rawFailures.forEach((raw, i) => {
    const f = raw as Record<string, unknown>;
    for (const k of ['unit', 'step', 'message'] as const) if (typeof f?.[k] !== 'string') bad(`failure ${i}.${k}`, 'must be a string');
    failures.push({ unit: f.unit as string, step: f.step as string, message: f.message as string });
  });
  return { schemaVersion: BASELINE_SCHEMA_VERSION, entries: [...entries.values()].sort(byKey), failures };
}

export function compareToBaseline(result: RunResult, baseline: Baseline, failOn: FailOn): BaselineComparison {
  const judge = gateJudge({ failOn, baseline });
  const seen = new Set<string>();
  const newFindings: NewFinding[] = [];
  const failingKeys = new Set<string>();
  for (const u of result.units) {
    for (const f of u.findings) {
      const v = judge(u.source, f);
      seen.add(v.key);
      if (v.state === 'new') newFindings.push({ unit: u.source, key: v.key, finding: f });
      if (v.fails) failingKeys.add(v.key);
    }
  }
  newFindings.sort(byKey);
  const failing = newFindings.filter((n) => failingKeys.has(n.key));
  // Only units compared in this run can resolve entries: a unit left out of
  // the run, or one that failed to build, says nothing about its findings.
  const compared = new Set(result.units.filter((u) => !u.error).map((u) => u.source));
  const resolved = baseline.entries.filter((e) => !seen.has(e.key) && compared.has(e.unit));
  const now = failuresOf(result);
  const accepted = new Set(baseline.failures.map(failureKey));
  const failingNow = new Set(now.map(failureKey));
  const ran = new Set(result.units.map((u) => u.source));
  const newFailures = now.filter((f) => !accepted.has(failureKey(f)));
  const resolvedFailures = baseline.failures.filter((f) => ran.has(f.unit) && !failingNow.has(failureKey(f)));
  const gone = resolved.length + resolvedFailures.length;
  const note = gone
    ? `${gone} baseline entr${gone === 1 ? 'y' : 'ies'} no longer occur${gone === 1 ? 's' : ''}; refresh the baseline to drop ${gone === 1 ? 'it' : 'them'}`
    : '';
  const exitCode = newFailures.length ? 3 : failing.length ? 1 : 0;
  return { newFindings, failing, resolved, newFailures, resolvedFailures, exitCode, note };
}
