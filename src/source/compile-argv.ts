/**
 * What a unit keeps of its original compile command. The flags that decide
 * what the compiler sees (defines, include paths, -include, -std, -m*,
 * -f*, warnings) are kept verbatim, in order; relative paths in them stay
 * relative to the unit's directory, so the runner must compile with cwd =
 * directory. Dropped: everything that names outputs or debug-info format,
 * because each avenue writes its own outputs to a scratch dir (never into
 * the build tree) and adds its own debug flags (`-g` for DWARF+pahole,
 * `-gbtf` for compiler BTF). Which option is which is source/gcc-options.ts.
 * Pure: paths are resolved only against the absolute directory given.
 */
import { posix as path } from 'node:path';
import { CPP_DEPENDENCY_WITH_FILE, isDebugFlag, readArgv } from './gcc-options.js';

export interface StrippedArgv {
  /** What the unit keeps, in order. */
  readonly flags: string[];
  /** The `-o` argument, when there was one. */
  readonly output?: string;
}

/**
 * Drop from argv (without argv[0]) what the avenues replace: `-c`, `-o X`,
 * the source file (`file`, absolute; words are resolved against
 * `directory`), dependency-file flags and `-g*`. Throws `Error` on a
 * dangling option argument.
 */
export function stripCompileArgv(args: readonly string[], directory: string, file: string): StrippedArgv {
  const flags: string[] = [];
  let output: string | undefined;
  for (const w of readArgv(args)) {
    const { word: a, role } = w;
    if (w.missingArgument) throw new Error(`option ${a} has no argument`);
    if (role === 'output') {
      output = w.argument ?? w.option?.joined;
    } else if (role === 'compile' || role === 'dependency' || isDebugFlag(a)) {
      // dropped: each avenue compiles to its own object and adds its own
      // debug flags; dependency files (-MD, -MF x, -MFx) are not written
    } else if (w.option?.name === '-Wp,') {
      const kept = stripWpDeps(a);
      if (kept !== undefined) flags.push(kept);
    } else if (w.option === undefined && !a.startsWith('-') && path.resolve(directory, a) === file) {
      // the source itself; each avenue appends it again
    } else {
      flags.push(...w.words);
    }
  }
  return { flags, ...(output !== undefined ? { output } : {}) };
}

/**
 * `-Wp,-MD,path` / `-Wp,-MMD,path` (kbuild's way of writing .d files) pass a
 * dependency-file option to the preprocessor: drop that pair and keep any
 * other comma-separated preprocessor options. Undefined when nothing is left.
 */
function stripWpDeps(arg: string): string | undefined {
  const parts = arg.slice('-Wp,'.length).split(',');
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (CPP_DEPENDENCY_WITH_FILE.includes(parts[i]))
      i++; // and its path
    else kept.push(parts[i]);
  }
  return kept.length ? `-Wp,${kept.join(',')}` : undefined;
}
