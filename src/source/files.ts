/** C sources named on the command line: checked up front so a typo is a usage error, not a compiler failure. */
import { statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { UnitSource } from './unit-source.js';

export function sourcesFromArgs(paths: readonly string[], cwd = process.cwd()): UnitSource[] {
  return paths.map((p) => {
    let isFile = false;
    try {
      isFile = statSync(p).isFile();
    } catch {
      throw new InputError('no such file', { file: p });
    }
    if (!isFile) throw new InputError('not a regular file, expected a C source', { file: p });
    return { display: p, arg: p, cwd };
  });
}
