/** The exit status of a finished run (`check`, `diff`, `merge`, `collect`, `triage`), and its `--help` text. */
import { EXIT, type ExitCode } from '../errors.js';
import type { RunResult } from '../report/run-result.js';

/**
 * Exit status of a finished run, in this order:
 * 3 when any unit failed (the run is incomplete, so a clean-looking
 *   report must not pass a gate), even if other units have findings;
 * 1 when any finding is not `equivalent` (known or unexplained);
 * 0 otherwise.
 */
export function runExitStatus(result: RunResult): ExitCode {
  if (result.units.some((u) => u.error)) return EXIT.TOOLCHAIN;
  if (result.units.some((u) => u.findings.some((f) => f.status !== 'equivalent'))) return EXIT.FINDINGS;
  return EXIT.OK;
}

export const RUN_EXIT_HELP = `
Exit status:
  0  no findings, or only 'equivalent' ones (same meaning, different representation)
  1  findings with status 'known' or 'unexplained'
  2  usage error or bad input (unknown option or recipe, missing file, malformed ELF/BTF or config)
  3  toolchain failure: a tool is missing (one line, no report), or at least one unit failed
     in a toolchain step (compiler error, timeout). The report is still written and lists the
     failed units; 3 wins over 1 because the run is incomplete.
128+N  ended by signal N (130 SIGINT/Ctrl-C, 143 SIGTERM): running tools are stopped, temp files removed.`;
