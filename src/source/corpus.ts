/**
 * The embedded probe corpus: `corpus/probes/*.c` next to the package, found
 * from this module's own location so it works from src/ (tests), dist/ and
 * an installed package alike (`corpus` is in package.json `files`).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { UnitSource } from './unit-source.js';

/** Package root: this file is `<root>/src/source/corpus.ts` or `<root>/dist/source/corpus.js`. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

export function corpusRoot(): string {
  return join(packageRoot(), 'corpus');
}

/**
 * Every probe, sorted by name. Each runs with the corpus directory as cwd
 * and is named `probes/NN-name.c`, so reports and recorded commands do not
 * depend on where the package is installed.
 */
export function corpusProbes(root = corpusRoot()): UnitSource[] {
  let names: string[];
  try {
    names = readdirSync(join(root, 'probes'));
  } catch {
    throw new InputError('probe corpus not found (no SRC given and the package has no corpus/probes)', { file: join(root, 'probes') });
  }
  return names
    .filter((n) => n.endsWith('.c'))
    .sort()
    .map((n) => ({ display: `probes/${n}`, arg: `probes/${n}`, cwd: root }));
}
