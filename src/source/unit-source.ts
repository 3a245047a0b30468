/**
 * What every way of naming C units (the probe corpus, SRC arguments, a
 * compile_commands.json, a wrapped compiler invocation) produces, and what
 * the recipe plan and the pipeline consume. Types only.
 */

/** A C unit to check. */
export interface UnitSource {
  /** How reports name it: as the user gave it, or `probes/NN-name.c` for the corpus. */
  readonly display: string;
  /** The path handed to the compiler, relative to `cwd` (or absolute). */
  readonly arg: string;
  /** Directory the toolchain runs in. */
  readonly cwd: string;
  /**
   * The unit's own compile flags (from compile_commands.json or a wrapped
   * compile), placed before the side's cflags so `--cflags` can override them.
   */
  readonly flags?: readonly string[];
  /** The unit's own C compiler command, used for `$CC` instead of the configured one (compile_commands.json without `--cc`). */
  readonly compiler?: string;
}
