/**
 * Units from a compile_commands.json, as `check --compile-commands` runs
 * them: each unit keeps its exact flags and directory, and is named by its
 * path relative to the database's own directory (see namingRoot), so
 * reports, `--select` and shards are the same on every machine that has the
 * tree at a different path.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import type { UnitSource } from './unit-source.js';
import { parseCompileCommands } from './compile-commands.js';
import type { CompileUnit } from './compile-unit.js';
import { defaultRoot, namedFrom, selectUnits } from './select.js';

export interface DbSelection {
  /** Globs over the unit path relative to the database's directory (see selectUnits). */
  readonly select?: readonly string[];
}

export function readCompileDb(file: string): { units: CompileUnit[]; root: string } {
  const text = readTextFile(file, { expected: 'a compile_commands.json' });
  const units = parseCompileCommands(text, file);
  return { units, root: namingRoot(units, dirname(resolve(file))) };
}

/**
 * The directory unit names are relative to: the database's own directory
 * when every unit's file is under it (the usual place, at the top of the
 * tree); otherwise, e.g. a database written elsewhere, the deepest
 * directory holding every entry's `directory` (the tree for kbuild) when
 * the files are under that; else the database's directory (names with `..`).
 */
export function namingRoot(units: readonly CompileUnit[], dbDir: string): string {
  const under = (root: string) => units.every((u) => !relative(root, u.file).startsWith('..'));
  if (under(dbDir)) return dbDir;
  const common = defaultRoot(units);
  return common !== undefined && under(common) ? common : dbDir;
}

/**
 * The entries `chosen` (of the database's `all`, read from `db`) name a
 * `directory` and a `file` that exist: a missing one is bad input (exit 2,
 * naming the database, the entry's index and the path), not the compiler
 * failure it would become once a step runs in it (a missing cwd reads as
 * "gcc not found"). Only the chosen entries: a deselected stale entry is
 * no error.
 */
export function checkEntryPaths(chosen: readonly CompileUnit[], all: readonly CompileUnit[], db: string): void {
  const index = new Map(all.map((u, i) => [u, i]));
  for (const u of chosen) {
    const at = `entry ${index.get(u) ?? '?'}`;
    const dir = statSync(u.directory, { throwIfNoEntry: false });
    if (dir === undefined) throw new InputError(`${at}: "directory" ${u.directory} does not exist`, { file: db });
    if (!dir.isDirectory()) throw new InputError(`${at}: "directory" ${u.directory} is not a directory`, { file: db });
    const src = statSync(u.file, { throwIfNoEntry: false });
    if (src === undefined) throw new InputError(`${at}: "file" ${u.file} does not exist`, { file: db });
    if (!src.isFile()) throw new InputError(`${at}: "file" ${u.file} is not a regular file`, { file: db });
  }
}

/**
 * The selected units as UnitSources. `ownCompiler`: each unit compiles with
 * the compiler its entry names (when the user did not choose one).
 */
export function sourcesFromCompileDb(file: string, sel: DbSelection, ownCompiler: boolean, rootOption?: string): UnitSource[] {
  const { units, root } = readCompileDb(file);
  const chosen = sel.select && sel.select.length > 0 ? selectUnits(units, sel.select, root) : units;
  if (chosen.length === 0 && units.length > 0 && sel.select) throw selectedNothing(sel.select, units, root, file);
  checkEntryPaths(chosen, units, file);
  return chosen.map((u) => ({
    display: rootOption !== undefined ? namedFrom(rootOption, u.file) : relative(root, u.file),
    arg: u.file,
    cwd: u.directory,
    flags: u.flags,
    ...(ownCompiler ? { compiler: u.compiler } : {}),
  }));
}

/**
 * A selection that keeps none of a database's units is a mistake in the
 * glob (a typo, or a path relative to the wrong directory), never a run
 * with nothing to check that passes: exit 2, naming the globs and how the
 * units are named, with the first one as an example.
 */
function selectedNothing(patterns: readonly string[], units: readonly CompileUnit[], root: string, file: string): InputError {
  const example = relative(root, units[0].file);
  return new InputError(
    `${patterns.map((p) => `'${p}'`).join(' ')} selects none of the ${units.length} units of ${file} (units are named relative to ${root}, e.g. ${example})`,
    { option: '--select' },
  );
}

/**
 * When every unit names the same compiler, it is simply the run's `cc`
 * (one tool in the report); otherwise each unit keeps its own.
 */
export function hoistCommonCompiler(sources: readonly UnitSource[]): { compiler?: string; sources: UnitSource[] } {
  const names = new Set(sources.map((s) => s.compiler));
  if (names.size !== 1) return { sources: [...sources] };
  const [compiler] = names;
  if (compiler === undefined) return { sources: [...sources] };
  return { compiler, sources: sources.map(({ compiler: _, ...rest }) => rest) };
}
