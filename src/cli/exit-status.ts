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

export const RUN_EXIT_HELP = `
Exit status (one table for every run command; --fail-on any|known|unexplained picks which
findings fail, default 'unexplained' without --baseline and 'any' with one):
  status  without --baseline                    with --baseline FILE
  0       no finding fails under --fail-on      nothing new or changed fails under --fail-on
  1       findings that fail under --fail-on    new findings, and changed ones (recorded
          (default: unexplained ones; known     with another status), that fail under
          divergences do not fail)              --fail-on by their status now (default:
                                                every one: a toolchain change is a change)
  2       usage error or bad input (unknown option or recipe, missing file, malformed
          ELF/BTF, config, rules or baseline), before anything is compiled
  3       toolchain failure: a tool is missing (one line, no report), or a unit failed in a
          toolchain step (compiler error, timeout); with --baseline only a failure the
          baseline does not record. The report is still written; 3 wins over 1.
  With --update-baseline FILE (and no --baseline) the file is written, the summary printed
  and the exit status is 0 (2 if the file cannot be written).
  --fail-on: 'any' every finding (equivalent ones too), 'known' known and unexplained,
  'unexplained' unexplained only.
  70      internal error in btfparity (a bug); BTFPARITY_DEBUG=1 prints the stack trace
  128+N   ended by signal N (130 SIGINT/Ctrl-C, 143 SIGTERM): running tools are stopped, temp
          files removed`;
