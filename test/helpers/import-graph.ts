/**
 * The static import graph of a built ES module (dist/*.js): what node loads
 * before the module's first line runs. Dynamic `import()` calls are not
 * edges: they load when reached. Reads emitted JavaScript, where type-only
 * imports are already erased.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface ImportGraph {
  /** Absolute paths of the local modules reached, the entry included. */
  readonly files: readonly string[];
  /** Bare package specifiers reached (`commander`), node: built-ins left out. */
  readonly packages: readonly string[];
}

/** `import x from '…'`, `import '…'`, `export … from '…'` at the start of a statement. */
const STATIC = /(?:^|[\n;])\s*(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

export function staticSpecifiers(text: string): string[] {
  return [...text.matchAll(STATIC)].map((m) => m[1]);
}

export function staticImportGraph(entry: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}
