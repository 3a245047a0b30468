/**
 * Compiler launchers: programs a build puts in front of the compiler
 * (`CC="ccache gcc"`, `make CC="distcc gcc"`, icecc, sccache). The command
 * `distcc gcc -O2 -c x.c` compiles x.c with gcc; distributing or caching it
 * is the launcher's business, not the unit's. Pure data and one function.
 *
 * btfparity rebuilds a unit with the compiler alone, locally: its steps must
 * run next to pahole, the scratch directory and its own cache (keyed by the
 * compiler's bytes, so a launcher's cache adds nothing), and a distributed
 * compile of a one-unit rebuild would only add network. The build itself
 * still runs through the launcher (build-wrapper mode runs the command as
 * given), which is how `make -j` with distcc or icecc scales out.
 */
import { posix as path } from 'node:path';

interface Launcher {
  /**
   * The compiler used when the word after the launcher is already an
   * option or an input (`distcc -c x.c` compiles with `cc`); undefined when
   * the launcher needs a compiler named (then such a command is not a
   * compile btfparity can rebuild).
   */
  readonly implicitCompiler?: string;
}

/** By program name (basename, as a build writes `/usr/bin/ccache` or `ccache`). */
export const LAUNCHERS: Readonly<Record<string, Launcher>> = {
  ccache: {},
  sccache: {},
  distcc: { implicitCompiler: 'cc' },
  icecc: {},
  // distcc's pump mode wraps the whole build (`pump make`), not each compile: not here.
};

export interface LaunchedCommand {
  /** The launcher as written (argv[0]), when there is one. */
  readonly launcher?: string;
  /** The compiler command: the compiler first, then its arguments. */
  readonly argv: readonly string[];
}

/**
 * `argv` with a leading launcher taken off: `['distcc', 'gcc', '-c', 'x.c']`
 * is gcc's `['gcc', '-c', 'x.c']` launched by distcc. Launchers may be
 * stacked (`ccache distcc gcc`). An argv without one is returned as is;
 * undefined for a launcher without a compiler it can name.
 */
export function splitLauncher(argv: readonly string[]): LaunchedCommand | undefined {
  let at = 0;
  while (at < argv.length && Object.hasOwn(LAUNCHERS, path.basename(argv[at]))) at++;
  if (at === 0) return { argv };
  const launcher = argv[0];
  const next = argv[at];
  if (next !== undefined && !next.startsWith('-') && !next.endsWith('.c')) return { launcher, argv: argv.slice(at) };
  const implicit = LAUNCHERS[path.basename(argv[at - 1])].implicitCompiler;
  return implicit === undefined ? undefined : { launcher, argv: [implicit, ...argv.slice(at)] };
}
