/**
 * What the installed package imports is what package.json installs for a
 * user: every bare import in src/ names a `dependencies` package (or a
 * node: builtin), and every runtime dependency is used there, so a library
 * only the tests need (fast-xml-parser, ajv) stays a devDependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

it('src/ imports exactly the runtime dependencies', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const used = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      used.add(packageOf(spec));
    }
  }
  expect([...used].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  expect(pkg.devDependencies['fast-xml-parser']).toBeDefined();
});
