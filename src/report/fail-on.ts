/**
 * `--fail-on`: which findings fail a run. Data and one predicate, so that
 * the CLI can list the words and defaults in `--help` without loading the
 * gate (baseline.ts re-exports them).
 */
import type { Status } from '../findings/finding.js';

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
