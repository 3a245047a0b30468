/** C sources named on the command line: checked up front so a typo is a usage error, not a compiler failure. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { namedFrom } from './select.js';
import type { UnitSource } from './unit-source.js';

/**
 * The default naming root: the nearest directory at or above `start` that
 * holds `.git` (a repository or a worktree), else undefined.
 */
export function repositoryRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * SRC arguments. `root`: name each unit relative to it (`--root`; default the
 * repository holding `cwd`, or `cwd` itself outside any repository).
 */
export function sourcesFromArgs(paths: readonly string[], cwd = process.cwd(), root: string = repositoryRoot(cwd) ?? cwd): UnitSource[] {
  return paths.map((p) => {
    let isFile = false;
    try {
      isFile = statSync(resolve(cwd, p)).isFile();
    } catch {
      throw new InputError('no such file', { file: p });
    }
    if (!isFile) throw new InputError('not a regular file, expected a C source', { file: p });
    return { display: namedFrom(resolve(root), resolve(cwd, p)), arg: p, cwd };
  });
}
