/**
 * compile_commands.json (a JSON compilation database, as written by the
 * kernel's scripts/clang-tools/gen_compile_commands.py, bear, CMake or meson)
 * turned into compilation units btfparity can rebuild through both avenues:
 * each entry's argv (`arguments`, or `command` split as a shell would, see
 * shell-words.ts) less what the avenues replace (compile-argv.ts).
 *
 * Pure: the caller reads the file; nothing here touches the file system or
 * spawns a process, and paths are resolved only against absolute
 * directories (never against the process's cwd).
 */
import { posix as path } from 'node:path';
import { InputError } from '../errors.js';
import { stripCompileArgv } from './compile-argv.js';
import { splitLauncher } from './compiler-launcher.js';
import type { CompileUnit } from './compile-unit.js';
import { splitShellWords } from './shell-words.js';

/**
 * Parse the text of a compile_commands.json. `source` names the file in
 * errors. Entries keep their order; duplicates (the same file compiled
 * twice) are kept, as the database says so.
 *
 * Throws `InputError` (exit 2) naming the file and the entry index.
 */
export function parseCompileCommands(text: string, source = 'compile_commands.json'): CompileUnit[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file: source }, { cause: e });
  }
  if (!Array.isArray(data)) throw new InputError('expected a JSON array of entries', { file: source });
  return data.map((entry, index) => {
    try {
      return parseEntry(entry);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`entry ${index}: ${(e as Error).message}`, { file: source }, { cause: e });
    }
  });
}

/** One entry; throws `Error` with a reason (the caller adds file and index). */
function parseEntry(entry: unknown): CompileUnit {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error('not a JSON object');
  const e = entry as Record<string, unknown>;
  const given = requireString(e, 'directory');
  if (!path.isAbsolute(given)) throw new Error(`"directory" must be an absolute path, got ${JSON.stringify(given)}`);
  const directory = path.resolve(given); // normalised: no trailing slash, no `..`
  const file = path.resolve(directory, requireString(e, 'file'));
  const written = entryArgv(e);
  if (written.length === 0) throw new Error('empty command');
  // `ccache gcc ...`, `distcc gcc ...`: the unit is gcc's (compiler-launcher.ts).
  const argv = splitLauncher(written)?.argv;
  if (argv === undefined) throw new Error(`${JSON.stringify(written[0])} is a compiler launcher and the command names no compiler after it`);
  const { flags, output } = stripCompileArgv(argv.slice(1), directory, file);
  const out = e.output === undefined ? output : requireString(e, 'output');
  return {
    file,
    directory,
    compiler: argv[0],
    flags,
    ...(out !== undefined ? { output: path.resolve(directory, out) } : {}),
  };
}

/** `arguments` wins over `command` when both are present (as in clang's reader). */
function entryArgv(e: Record<string, unknown>): string[] {
  if (e.arguments !== undefined) {
    const args = e.arguments;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw new Error('"arguments" must be an array of strings');
    }
    return args as string[];
  }
  if (e.command === undefined) throw new Error('neither "command" nor "arguments" is present');
  const command = requireString(e, 'command');
  try {
    return splitShellWords(command);
  } catch (err) {
    throw new Error(`"command": ${(err as Error).message}`, { cause: err });
  }
}

function requireString(e: Record<string, unknown>, key: string): string {
  const v = e[key];
  if (typeof v !== 'string' || v === '') throw new Error(`"${key}" must be a non-empty string`);
  return v;
}
