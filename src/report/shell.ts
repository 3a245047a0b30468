/**
 * Display an argv as a line a user can paste into a POSIX shell. Only for
 * showing commands (markdown "reproduce" block); btfparity itself never
 * runs a shell string.
 */

/** Characters that never need quoting in sh. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** A placeholder for a temp location, e.g. `$TMP/unit.o`: kept expandable. */
const PLACEHOLDER = /^\$([A-Z_][A-Z0-9_]*)([A-Za-z0-9_@%+=:,./-]*)$/;

export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  const ph = PLACEHOLDER.exec(arg);
  if (ph) return `"$${ph[1]}"${ph[2]}`;
  // Single quotes keep everything literal; a ' inside becomes '\''.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** Placeholder variables (`TMP`) an argv list uses, sorted. */
export function placeholdersIn(argvs: readonly (readonly string[])[]): string[] {
  const names = new Set<string>();
  for (const argv of argvs) {
    for (const a of argv) {
      const ph = PLACEHOLDER.exec(a);
      if (ph && !SAFE.test(a)) names.add(ph[1]);
    }
  }
  return [...names].sort();
}
