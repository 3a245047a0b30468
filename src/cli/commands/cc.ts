/**
 * `btfparity cc`: its help. The dispatch of a build-wrapper invocation
 * bypasses commander (src/cli.ts, isCcInvocation in ../entry-route.ts;
 * runCc in ../cc.ts is imported only then).
 */
import type { Command } from 'commander';

export const RESULTS_ENV = 'BTFPARITY_RESULTS';
export const DEFAULT_RESULTS_DIR = 'btfparity-results';

/** Shown by `btfparity --help`; the real dispatch is src/cli.ts's, before commander. */
export function registerCc(program: Command): void {
  program
    .command('cc')
    .description('build-wrapper mode: make CC="btfparity cc gcc" runs the compile unchanged and records both avenues\' BTF of each C object')
    .argument('<compiler>', 'the real compiler')
    .argument('[args...]', 'its arguments, passed on unchanged')
    .addHelpText(
      'after',
      `
Results: one json report per object in $${RESULTS_ENV} (relative: against the compile's cwd;
default <cwd>/${DEFAULT_RESULTS_DIR}). Use an absolute path for recursive builds, then
  btfparity collect "$${RESULTS_ENV}" [--format F]
Toolchain settings come from BTFPARITY_* variables and ./btfparity.json as for check;
the compiler is COMPILER. BTFPARITY_ROOT: name sources relative to it (default: the git repository holding the
compile's directory, else absolute).
BTFPARITY_CACHE=1: use the artifact cache (off by default: make rebuilds only changed units).
Exit status: the compiler's. btfparity's own failures are recorded, never fatal.`,
    );
}
