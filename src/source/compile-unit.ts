/** A compilation unit as a compile database entry or a wrapped compiler invocation names it. Types only. */

/** One translation unit, ready to be recompiled through both avenues. */
export interface CompileUnit {
  /** The source file, absolute. */
  readonly file: string;
  /** The working directory of the original compile, absolute; compile with cwd set to it. */
  readonly directory: string;
  /** The compiler of the original command, as written (`gcc`, `/usr/bin/gcc-12`), a launcher in front of it taken off (`ccache gcc`: `gcc`, see compiler-launcher.ts). */
  readonly compiler: string;
  /** The remaining argv minus compiler, -c, outputs, the source, dependency-file and -g* flags (see compile-argv.ts). */
  readonly flags: readonly string[];
  /** The original object file (entry `output`, else the `-o` argument), absolute; informational only. */
  readonly output?: string;
}
