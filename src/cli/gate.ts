/**
 * The baseline gate at the edge: `--update-baseline FILE` records the run,
 * `--baseline FILE` compares against a record (`--fail-on` narrows what
 * fails). Reading/writing the file and the stderr lines live here; the
 * comparison itself is src/report/baseline.ts.
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type ExitCode, InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { baselineFrom, compareToBaseline, type FailOn, parseBaseline, renderBaseline } from '../report/baseline.js';
import type { RunResult } from '../report/run-result.js';
import { runExitStatus } from './exit-status.js';
import { stderrLine } from './output.js';

export interface GateOptions {
  baseline?: string;
  updateBaseline?: string;
  failOn: FailOn;
}

export function addGateOptions(cmd: Command): Command {
  return cmd
    .option('--baseline <file>', 'fail only on findings (and unit failures) not recorded in this baseline')
    .option('--update-baseline <file>', 'record the findings and unit failures of this run as the accepted baseline')
    .addOption(
      new Option('--fail-on <which>', "with --baseline: which new findings fail the gate ('any': every new finding, whatever its status)")
        .choices(['any', 'unexplained'])
        .default('any'),
    );
}

export const GATE_EXIT_HELP = `
With --baseline FILE the exit status is about what is new:
  0  nothing new (entries that no longer occur are listed as resolved, with a note to refresh)
  1  new findings (with --fail-on unexplained: new unexplained ones only)
  3  a unit failed at a step the baseline does not record as failing
With --update-baseline FILE (and no --baseline): the file is written and the exit status is 0.`;

/** Apply the gate options to a finished run; returns the exit status. */
export function gateExitStatus(result: RunResult, opts: GateOptions, say: (line: string) => void = stderrLine): ExitCode {
  if (opts.updateBaseline !== undefined) {
    const b = baselineFrom(result);
    write(opts.updateBaseline, renderBaseline(b));
    say(`baseline written to ${opts.updateBaseline}: ${b.entries.length} findings, ${b.failures.length} unit failures`);
  }
  if (opts.baseline === undefined) return opts.updateBaseline !== undefined ? 0 : runExitStatus(result);
  const cmp = compareToBaseline(result, readBaseline(opts.baseline), opts.failOn);
  for (const n of cmp.newFindings) {
    const f = n.finding;
    const at = f.path ? ` ${f.path}` : '';
    say(`new: ${n.unit}: ${f.entity}${at}: ${f.category}: ${f.left} → ${f.right} [${f.status}]`);
  }
  for (const f of cmp.newFailures) say(`new failure: ${f.unit}: ${f.step}: ${f.message}`);
  for (const f of cmp.resolvedFailures) say(`resolved failure: ${f.unit}: ${f.step} no longer fails`);
  for (const e of cmp.resolved) say(`resolved: ${e.unit}: ${e.entity}${e.path ? ` ${e.path}` : ''}: ${e.category}: ${e.left} → ${e.right}`);
  say(
    `baseline ${opts.baseline}: ${cmp.newFindings.length} new findings (${cmp.failing.length} failing with --fail-on ${opts.failOn}), ` +
      `${cmp.newFailures.length} new unit failures, ${cmp.resolved.length + cmp.resolvedFailures.length} resolved${cmp.note ? `; ${cmp.note}` : ''}`,
  );
  return cmp.exitCode;
}

function readBaseline(path: string) {
  const text = readTextFile(path, { expected: 'a baseline (JSON)', failure: (code) => `cannot read baseline (${code})` });
  try {
    return parseBaseline(JSON.parse(text));
  } catch (e) {
    if (e instanceof InputError) throw e.inFile(path);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write baseline (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: path }, { cause: e });
  }
}
