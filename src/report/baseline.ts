/**
 * The baseline gate: record today's findings, later fail only on findings
 * that are not in the record, or whose status changed. Pure: the CLI reads
 * and writes the file.
 *
 * Entries are identified by `findingKey` (unit source, entity, path,
 * category, both views) — no type ids, no temp paths and no tool paths, so
 * a baseline is stable across runs and machines. The status and the rule
 * (or normalisation) are recorded but are not part of the identity:
 * re-classifying a finding (new rules, a new toolchain) does not make it
 * new, it makes it changed. Unit failures are identified by unit and step,
 * the step named without its tool (`failureStep`).
 */
import { InputError } from '../errors.js';
import { CATEGORIES, type Category, type ClassifiedFinding, type FindingKeyFields, findingKey, STATUSES, type Status } from '../findings/finding.js';
import { byCodeUnit } from '../lang.js';
import { type FieldChange, type FlatRecord, recordChanges } from './record-changes.js';
import type { RunResult } from './run-result.js';

/**
 * 2: failure steps without their tool, entries with their `reason`.
 * Version 1 files are still read (their steps lose the tool as they are
 * read; their entries recorded no reason, so the gate does not compare one).
 */
export const BASELINE_SCHEMA_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];

export interface BaselineEntry extends FindingKeyFields {
  readonly key: string;
  readonly status: Status;
  /** The rule id (known) or normalisation (equivalent) that classified it; absent for unexplained findings and in version 1 files. */
  readonly reason?: string;
}

/** A unit whose toolchain step failed when the baseline was recorded (e.g. pahole cannot encode a type). */
export interface BaselineFailure {
  readonly unit: string;
  /** The failing step without its tool, e.g. `left encode` (`failureStep`): the identity, with the unit. */
  readonly step: string;
  /** First error line, for the reader; not part of the identity. */
  readonly message: string;
}

export interface Baseline {
  /** The version of the file it was read from (BASELINE_SCHEMA_VERSION when made by baselineFrom). */
  readonly schemaVersion: number;
  /** Sorted by key; one entry per key. */
  readonly entries: readonly BaselineEntry[];
  /** Accepted unit failures, sorted by unit then step. A failure not listed here fails the gate with exit 3. */
  readonly failures: readonly BaselineFailure[];
}

// The --fail-on words and defaults are data the CLI registers at start-up (fail-on.ts).
import { type FailOn, failsUnder } from './fail-on.js';

export { DEFAULT_BASELINE_FAIL_ON, DEFAULT_FAIL_ON, FAIL_ON, type FailOn, failsUnder } from './fail-on.js';

/** What decides a run: which findings fail, and the accepted record if any. */
export interface Gate {
  readonly failOn: FailOn;
  readonly baseline?: Baseline;
}

/**
 * A finding of this run against the baseline: `new` (its key is not
 * recorded), `unchanged` (recorded with the same status) or `updated` (the
 * gate's "changed": recorded under the same key with another status, e.g.
 * known → unexplained after a toolchain upgrade). SARIF's baselineState
 * takes these words as they are.
 */
export type BaselineState = 'new' | 'unchanged' | 'updated';

/** The gate's word on one finding; every report format and the exit status read it (one rule in one place). */
export interface FindingVerdict {
  readonly key: string;
  /** Only with a baseline. */
  readonly state?: BaselineState;
  /** The recorded entry, for `unchanged`/`updated`. */
  readonly recorded?: BaselineEntry;
  /** For `updated`: the recorded fields that differ from this finding's, field by field (the status first). */
  readonly changes?: readonly FieldChange[];
  /**
   * Whether this finding fails the run: its status fails under failOn and,
   * with a baseline, it is new or changed (a changed finding is judged by
   * its new status: known → unexplained fails under `unexplained`, the
   * reverse does not).
   */
  readonly fails: boolean;
}

/** The judge of a gate: index the baseline once, then judge each finding. */
export function gateJudge(gate: Gate): (unit: string, f: ClassifiedFinding) => FindingVerdict {
  const baseline = gate.baseline;
  const recorded = new Map((baseline?.entries ?? []).map((e) => [e.key, e]));
  return (unit, f) => {
    const key = findingKey(unit, f);
    const failing = failsUnder(f.status, gate.failOn);
    if (baseline === undefined) return { key, fails: failing };
    const e = recorded.get(key);
    if (e === undefined) return { key, state: 'new', fails: failing };
    if (e.status === f.status) return { key, state: 'unchanged', recorded: e, fails: false };
    const changes = recordChanges(fieldsOf(e), fieldsOf(comparable(entryOf(unit, f), baseline)));
    return { key, state: 'updated', recorded: e, changes, fails: failing };
  };
}

/** An entry as the flat record the field comparison takes. */
function fieldsOf(e: BaselineEntry): FlatRecord {
  return { ...e };
}

/** This run's entry with what the baseline could not have recorded left out (a version 1 file has no reasons). */
function comparable(e: BaselineEntry, b: Baseline): BaselineEntry {
  if (b.schemaVersion >= 2) return e;
  const { reason: _, ...rest } = e;
  return rest;
}

/**
 * Whether a unit failure is one of `failures` (e.g. those a baseline
 * accepts): the same unit at the same step, whatever tool ran it (`failureStep`).
 */
export function failureJudge(failures: readonly { readonly unit: string; readonly step: string }[]): (unit: string, step: string) => boolean {
  const accepted = new Set(failures.map((f) => failureKey(f.unit, f.step)));
  return (unit, step) => accepted.has(failureKey(unit, step));
}

/**
 * A step as a failure's identity: without its tool. Steps are labelled
 * `SIDE NAME (TOOL)` (`left encode (pahole)`, pipeline/unit-steps.ts
 * stepLabel; `left read BTF (FILE)` likewise), TOOL being the command as
 * configured: a name, a path, `ROOT:TOOL`. Which path reached the tool
 * says nothing about what failed, so it is left out: the same pahole
 * through a symlink, a wrapper or another PATH entry fails the same step.
 */
export function failureStep(step: string): string {
  const open = step.indexOf(' (');
  return open > 0 && step.endsWith(')') ? step.slice(0, open) : step;
}

function failureKey(unit: string, step: string): string {
  return `${unit}\u0000${failureStep(step)}`;
}

/** A finding of this run the gate names: new, or changed. */
export interface GateFinding {
  readonly unit: string;
  readonly key: string;
  readonly finding: ClassifiedFinding;
}

/** A finding whose key the baseline holds with another status. */
export interface ChangedFinding extends GateFinding {
  readonly recorded: BaselineEntry;
  /** Field by field (recordChanges): the status first, then e.g. the reason. */
  readonly changes: readonly FieldChange[];
}

export interface BaselineComparison {
  /** Findings of this run whose key is not in the baseline (all of them, whatever failOn says), by key. */
  readonly newFindings: readonly GateFinding[];
  /** Findings whose key the baseline holds with another status (all of them, whatever failOn says), by key. */
  readonly changed: readonly ChangedFinding[];
  /** The new and changed findings that decide the exit status under failOn, by key. */
  readonly failing: readonly GateFinding[];
  /** Baseline entries that no longer occur: fixed upstream, or the input changed. */
  readonly resolved: readonly BaselineEntry[];
  /** Units that failed in this run at a step the baseline does not accept (the step as run, with its tool). */
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

function entryOf(
  unit: string,
  f: { entity: string; path: string; category: Category; left: string; right: string; status: Status; reason?: string | undefined },
): BaselineEntry {
  const { entity, path, category, left, right, status } = f;
  return { key: findingKey(unit, f), unit, entity, path, category, left, right, status, ...(f.reason !== undefined ? { reason: f.reason } : {}) };
}

export function baselineFrom(result: RunResult): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const u of result.units) {
    for (const f of u.findings) {
      const e = entryOf(u.source, f);
      if (!entries.has(e.key)) entries.set(e.key, e);
    }
  }
  const failures = failuresOf(result).map((f) => ({ ...f, step: failureStep(f.step) }));
  return { schemaVersion: BASELINE_SCHEMA_VERSION, entries: [...entries.values()].sort(byKey), failures };
}

/** The run's unit failures, each with its step as run (its tool named), by unit then step. */
function failuresOf(result: RunResult): BaselineFailure[] {
  return result.units
    .flatMap((u) => (u.error ? [{ unit: u.source, step: u.error.step, message: u.error.message }] : []))
    .sort((a, b) => byCodeUnit(failureKey(a.unit, a.step), failureKey(b.unit, b.step)));
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
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
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
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !READABLE_VERSIONS.includes(version))
    bad(
      'schemaVersion',
      `unsupported version ${String(version)} (this btfparity reads ${READABLE_VERSIONS.join(' and ')}: record the baseline again with --update-baseline)`,
    );
  if (!Array.isArray(doc.entries)) bad('entries', 'must be a list');
  const entries = new Map<string, BaselineEntry>();
  doc.entries.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) bad(`entry ${i}`, 'must be an object');
    const e = raw as Record<string, unknown>;
    for (const k of ['unit', 'entity', 'path', 'left', 'right'] as const) if (typeof e[k] !== 'string') bad(`entry ${i}.${k}`, 'must be a string');
    if (!CATEGORIES.includes(e.category as Category)) bad(`entry ${i}.category`, `unknown category ${JSON.stringify(e.category)}`);
    if (!STATUSES.includes(e.status as Status)) bad(`entry ${i}.status`, `unknown status ${JSON.stringify(e.status)}`);
    if (e.reason !== undefined && typeof e.reason !== 'string') bad(`entry ${i}.reason`, 'must be a string');
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
    failures.push({ unit: f.unit as string, step: failureStep(f.step as string), message: f.message as string });
  });
  return { schemaVersion: version, entries: [...entries.values()].sort(byKey), failures };
}

export function compareToBaseline(result: RunResult, baseline: Baseline, failOn: FailOn): BaselineComparison {
  const judge = gateJudge({ failOn, baseline });
  const seen = new Set<string>();
  const newFindings: GateFinding[] = [];
  const changed: ChangedFinding[] = [];
  const failing: GateFinding[] = [];
  for (const u of result.units) {
    for (const f of u.findings) {
      const v = judge(u.source, f);
      seen.add(v.key);
      const named = { unit: u.source, key: v.key, finding: f };
      if (v.state === 'new') newFindings.push(named);
      if (v.state === 'updated' && v.recorded && v.changes) changed.push({ ...named, recorded: v.recorded, changes: v.changes });
      if (v.fails) failing.push(named);
    }
  }
  for (const xs of [newFindings, changed, failing]) xs.sort(byKey);
  // Only units compared in this run can resolve entries: a unit left out of
  // the run, or one that failed to build, says nothing about its findings.
  const compared = new Set(result.units.filter((u) => !u.error).map((u) => u.source));
  const resolved = baseline.entries.filter((e) => !seen.has(e.key) && compared.has(e.unit));
  const now = failuresOf(result);
  const accepted = failureJudge(baseline.failures);
  const failingNow = failureJudge(now);
  const ran = new Set(result.units.map((u) => u.source));
  const newFailures = now.filter((f) => !accepted(f.unit, f.step));
  const resolvedFailures = baseline.failures.filter((f) => ran.has(f.unit) && !failingNow(f.unit, f.step));
  const gone = resolved.length + resolvedFailures.length;
  const note = gone
    ? `${gone} baseline entr${gone === 1 ? 'y' : 'ies'} no longer occur${gone === 1 ? 's' : ''}; refresh the baseline to drop ${gone === 1 ? 'it' : 'them'}`
    : '';
  const exitCode = newFailures.length ? 3 : failing.length ? 1 : 0;
  return { newFindings, changed, failing, resolved, newFailures, resolvedFailures, exitCode, note };
}
