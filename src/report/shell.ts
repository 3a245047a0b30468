/**
 * Display an argv as a line a user can paste into a POSIX shell. Only for
 * showing commands (markdown "reproduce" block); btfparity itself never
 * runs a shell string.
 *
 * Recorded commands carry placeholders for temporary locations (`$TMP`,
 * upper-case names after `$`); those stay expandable (`"$TMP"/unit.o`,
 * `--btf_encode_detached="$TMP"/unit.btf`), everything else is literal.
 */

/** Characters that never need quoting in sh. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const PLACEHOLDER = /\$([A-Z_][A-Z0-9_]*)/g;

function quoteLiteral(s: string): string {
  if (s === '' || SAFE.test(s)) return s;
  // Single quotes keep everything literal; a ' inside becomes '\''.
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  let out = '';
  let last = 0;
  for (const m of arg.matchAll(PLACEHOLDER)) {
    out += quoteLiteral(arg.slice(last, m.index)) + `"$${m[1]}"`;
    last = m.index + m[0].length;
  }
  return out + quoteLiteral(arg.slice(last));
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** Placeholder variables (`TMP`) an argv list uses, sorted. */
export function placeholdersIn(argvs: readonly (readonly string[])[]): string[] {
  const names = new Set<string>();
  for (const argv of argvs) for (const a of argv) for (const m of a.matchAll(PLACEHOLDER)) names.add(m[1]);
  return [...names].sort();
}

/** One recorded step: its side and argv. */
interface Step {
  readonly side: 'left' | 'right' | 'both';
  readonly argv: readonly string[];
}

/**
 * What a reader runs before a unit's recorded steps: the placeholder
 * variables set (`TMP=$(mktemp -d)`) and the per-unit subdirectories the
 * steps write into created.
 */
export function reproduceSetup(commands: readonly Step[]): string[] {
  const vars = placeholdersIn(commands.map((c) => c.argv));
  const lines = vars.map((v) => (v === 'TMP' ? 'TMP=$(mktemp -d)' : `${v}=...  # set to the placeholder's directory`));
  const subdirs = new Set(commands.flatMap((c) => c.argv.flatMap((a) => [...a.matchAll(/\$TMP\/([^/\s"']+)\//g)].map((m) => m[1]))));
  for (const d of [...subdirs].sort()) lines.push(`mkdir -p "$TMP"/${d}`);
  return lines;
}

/** A unit's recorded steps as shell lines a reader can run: the setup, then each step (`  # left` for one side's). */
export function reproduceLines(commands: readonly Step[]): string[] {
  if (commands.length === 0) return [];
  return [...reproduceSetup(commands), ...commands.map((c) => `${shellLine(c.argv)}${c.side === 'both' ? '' : `  # ${c.side}`}`)];
}
