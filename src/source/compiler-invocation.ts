/**
 * Build-wrapper mode's question about one compiler invocation: does it
 * compile exactly one C source to an object, and which unit is that? Pure:
 * `directory` (absolute) is where the command runs; nothing is read.
 */
import { posix as path } from 'node:path';
import { stripCompileArgv } from './compile-argv.js';
import type { CompileUnit } from './compile-unit.js';
import { splitLauncher } from './compiler-launcher.js';
import { readArgv } from './gcc-options.js';

/**
 * The unit a compiler invocation builds, when it compiles exactly one C
 * source to an object: `-c`, one input ending in `.c` (and no other input),
 * no `-E`/`-S`/`-M`/`-MM`/`-fsyntax-only`, not stdin (`-`), no `-x` naming
 * another language. Undefined otherwise (a link, an assembly, a probe such
 * as `gcc -c -x c /dev/null`): build-wrapper mode then only runs the command.
 * `argv[0]` is the compiler, or a launcher in front of it (`distcc gcc`,
 * `ccache gcc`: compiler-launcher.ts), whose compiler is then the unit's.
 */
export function unitFromCompilerArgv(written: readonly string[], directory: string): CompileUnit | undefined {
  const argv = splitLauncher(written)?.argv;
  if (argv === undefined) return undefined;
  const args = argv.slice(1);
  let compiles = false;
  const inputs: string[] = [];
  let output: string | undefined;
  for (const w of readArgv(args)) {
    const value = w.argument ?? w.option?.joined;
    if (w.missingArgument || w.role === 'no-object' || (w.role === 'language' && value !== 'c')) return undefined;
    if (w.role === 'compile') compiles = true;
    else if (w.role === 'output') output = value;
    else if (w.option === undefined && (w.word === '-' || !w.word.startsWith('-'))) inputs.push(w.word);
  }
  if (!compiles || inputs.length !== 1 || !inputs[0].endsWith('.c')) return undefined;
  const file = path.resolve(directory, inputs[0]);
  const { flags } = stripCompileArgv(args, directory, file);
  // gcc -c without -o writes the source's base name with .o, in the cwd.
  const obj = output ?? `${path.basename(inputs[0], '.c')}.o`;
  return { file, directory, compiler: argv[0], flags, output: path.resolve(directory, obj) };
}
