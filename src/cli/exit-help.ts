/** The exit-status table of every run command's `--help` (text only: start-up loads it with the registrations). */
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
