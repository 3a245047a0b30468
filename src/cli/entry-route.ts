/**
 * Which path an invocation takes, decided from argv alone before any
 * command module loads (src/cli.ts). `--version` needs nothing but the
 * version; a build-wrapper compile (`make CC="btfparity cc gcc"`, one
 * process per compile) needs neither commander nor the other commands.
 */

/** `btfparity --version` or `-V` and nothing else: what commander would print, without loading it. */
export function isVersionOnly(argv: readonly string[]): boolean {
  return argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V');
}

/** `btfparity cc COMPILER ...`; `btfparity cc --help` (or `-h`, alone) is commander's help, not a compiler. */
export function isCcInvocation(argv: readonly string[]): boolean {
  return argv[2] === 'cc' && !(argv.length === 4 && (argv[3] === '--help' || argv[3] === '-h'));
}
