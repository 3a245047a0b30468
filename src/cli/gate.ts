/**
 * The gate at the edge: `--fail-on` picks which findings fail a run (with
 * and without a baseline), `--update-baseline FILE` records the run,
 * `--baseline FILE` compares against a record and names what is new,
 * changed (same finding, other status) and resolved. The baseline is read and
 * checked by `prepareGate` before anything is compiled; reading/writing the
 * file and the stderr lines live here, the comparison itself is
 * src/report/baseline.ts.
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ExitCode, InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import {
  type Baseline,
  baselineFrom,
  compareToBaseline,
  DEFAULT_BASELINE_FAIL_ON,
  DEFAULT_FAIL_ON,
  type FailOn,
  parseBaseline,
  renderBaseline,
} from '../report/baseline.js';
import { changesText } from '../report/record-changes.js';
import type { RunResult } from '../report/run-result.js';
import { runExitStatus } from './exit-status.js';
import { stderrLine } from './output.js';

export interface GateOptions {
  baseline?: string;
  updateBaseline?: string;
  /** As given; absent: DEFAULT_FAIL_ON, or DEFAULT_BASELINE_FAIL_ON with --baseline. */
  failOn?: string;
}

/** The gate options checked, and the baseline read, before the run. */
export interface PreparedGate {
  readonly failOn: FailOn;
  readonly baseline?: { readonly file: string; readonly data: Baseline };
  readonly updateBaseline?: string;
}

/** Validate the gate options and read the baseline: bad input is exit 2 before any compile. */
export function prepareGate(opts: GateOptions): PreparedGate {
  const failOn = (opts.failOn as FailOn | undefined) ?? (opts.baseline !== undefined ? DEFAULT_BASELINE_FAIL_ON : DEFAULT_FAIL_ON);
  if (opts.updateBaseline !== undefined) checkWritable(opts.updateBaseline);
  return {
    failOn,
    ...(opts.baseline !== undefined ? { baseline: { file: opts.baseline, data: readBaseline(opts.baseline) } } : {}),
    ...(opts.updateBaseline !== undefined ? { updateBaseline: opts.updateBaseline } : {}),
  };
}

/** With --update-baseline the report itself is not printed on stdout (a file given with --output is still written). */
export function reportOnStdoutWanted(opts: GateOptions & { output?: string }): boolean {
  return opts.updateBaseline === undefined || opts.output !== undefined;
}

/** Apply the gate to a finished run; returns the exit status. */
export function gateExitStatus(result: RunResult, gate: PreparedGate, say: (line: string) => void = stderrLine): ExitCode {
  if (gate.updateBaseline !== undefined) {
    const b = baselineFrom(result);
    write(gate.updateBaseline, renderBaseline(b));
    say(`baseline written to ${gate.updateBaseline}: ${b.entries.length} findings, ${b.failures.length} unit failures`);
  }
  if (gate.baseline === undefined) return gate.updateBaseline !== undefined ? 0 : runExitStatus(result, gate.failOn);
  const cmp = compareToBaseline(result, gate.baseline.data, gate.failOn);
  for (const n of cmp.newFindings) say(`new: ${n.unit}: ${findingLine(n.finding)} [${n.finding.status}]`);
  for (const c of cmp.changed) say(`changed: ${c.unit}: ${findingLine(c.finding)}: ${changesText(c.changes)}`);
  for (const f of cmp.newFailures) say(`new failure: ${f.unit}: ${f.step}: ${f.message}`);
  for (const f of cmp.resolvedFailures) say(`resolved failure: ${f.unit}: ${f.step} no longer fails`);
  for (const e of cmp.resolved) say(`resolved: ${e.unit}: ${findingLine(e)}`);
  const failingKeys = new Set(cmp.failing.map((n) => n.key));
  const failing = (xs: readonly { key: string }[]) => xs.filter((x) => failingKeys.has(x.key)).length;
  say(
    `baseline ${gate.baseline.file}: ${cmp.newFindings.length} new findings (${failing(cmp.newFindings)} failing with --fail-on ${gate.failOn}), ` +
      `${cmp.changed.length} changed (${failing(cmp.changed)} failing), ` +
      `${cmp.newFailures.length} new unit failures, ${cmp.resolved.length + cmp.resolvedFailures.length} resolved${cmp.note ? `; ${cmp.note}` : ''}`,
  );
  return cmp.exitCode;
}

/** `ENTITY[ PATH]: CATEGORY: LEFT → RIGHT`, the facts a finding key names. */
function findingLine(f: { entity: string; path: string; category: string; left: string; right: string }): string {
  return `${f.entity}${f.path ? ` ${f.path}` : ''}: ${f.category}: ${f.left} → ${f.right}`;
}

function readBaseline(path: string): Baseline {
  const text = readTextFile(path, { expected: 'a baseline (JSON)', failure: (code) => `cannot read baseline (${code})` });
  try {
    return parseBaseline(JSON.parse(text));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}

/** The baseline to write: an existing regular file, or a new one in a writable directory. */
function checkWritable(path: string): void {
  let target = path;
  try {
    if (!statSync(path).isFile()) throw new InputError('cannot write baseline (not a regular file)', { file: path });
  } catch (e) {
    if (e instanceof InputError) throw e;
    target = dirname(path);
  }
  try {
    accessSync(target, constants.W_OK);
  } catch (e) {
    throw new InputError(`cannot write baseline (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path }, { cause: e });
  }
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write baseline (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path }, { cause: e });
  }
}
