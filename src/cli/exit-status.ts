/** The exit status of a finished run (`check`, `diff`, `merge`, `collect`, `triage`), and its `--help` text. */
import { EXIT, type ExitCode } from '../errors.js';
import { DEFAULT_FAIL_ON, type FailOn, gateJudge } from '../report/baseline.js';
import type { RunResult } from '../report/run-result.js';

/**
 * Exit status of a finished run without a baseline, in this order:
 * 3 when any unit failed (the run is incomplete, so a clean-looking
 *   report must not pass a gate), even if other units have findings;
 * 1 when any finding fails under `failOn` (default: unexplained ones);
 * 0 otherwise.
 */
export function runExitStatus(result: RunResult, failOn: FailOn = DEFAULT_FAIL_ON): ExitCode {
  if (result.units.some((u) => u.error)) return EXIT.TOOLCHAIN;
  const judge = gateJudge({ failOn });
  if (result.units.some((u) => u.findings.some((f) => judge(u.source, f).fails))) return EXIT.FINDINGS;
  return EXIT.OK;
}

// The table is help text the registrations print at start-up: exit-help.ts, without the gate.
export { RUN_EXIT_HELP } from './exit-help.js';
