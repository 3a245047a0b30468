/**
 * Choosing units of a compile database by name: the root names are
 * relative to, and `--select` globs (path-glob.ts) over those names. Pure.
 */
import { posix as path } from 'node:path';
import type { Wildcard } from '../wildcard.js';
import type { CompileUnit } from './compile-unit.js';
import { compilePathGlob, pathMatches } from './path-glob.js';

/**
 * The default root for patterns and shards: the deepest directory that
 * contains every entry's `directory`. For a kbuild database that is the
 * kernel tree (or the O= build dir), so units are named `lib/sort.c`
 * whatever the checkout path and whichever units the database holds.
 * Undefined for an empty database.
 */
export function defaultRoot(units: readonly CompileUnit[]): string | undefined {
  if (units.length === 0) return undefined;
  let root = units[0].directory.split('/');
  for (const u of units) {
    const parts = u.directory.split('/');
    let i = 0;
    while (i < root.length && i < parts.length && root[i] === parts[i]) i++;
    root = root.slice(0, i);
  }
  return root.join('/') || '/';
}

/** The unit's path relative to `root` (absolute), `/`-separated: what patterns and shards see. */
export function unitPath(unit: CompileUnit, root: string): string {
  return path.relative(root, unit.file);
}

/** `--select` patterns compiled: includes, and excludes (`!glob`) without their `!`. */
export interface Selection {
  readonly includes: readonly Wildcard[];
  readonly excludes: readonly Wildcard[];
}

/**
 * Compile `--select` patterns (path-glob.ts). Throws InputError without a
 * location for an invalid glob: the caller names the option (`--select`)
 * at the boundary, before any unit is read.
 */
export function compileSelection(patterns: readonly string[]): Selection {
  return {
    includes: patterns.filter((p) => !p.startsWith('!')).map(compilePathGlob),
    excludes: patterns.filter((p) => p.startsWith('!')).map((p) => compilePathGlob(p.slice(1))),
  };
}

/**
 * Keep the units whose path relative to `root` matches any pattern, in their
 * original order. Patterns are globs: `*` and `?` stay within one path
 * segment, `**` spans segments (`fs/**` is everything under fs/, `**\/*.c`
 * any .c file), `[abc]` / `[!abc]` are character classes. A pattern starting
 * with `!` excludes what it matches (applied after the includes). With no
 * include pattern, everything not excluded is kept.
 */
export function selectUnits(units: readonly CompileUnit[], patterns: readonly string[], root: string): CompileUnit[] {
  const { includes, excludes } = compileSelection(patterns);
  return units.filter((u) => {
    const rel = unitPath(u, root);
    const included = includes.length === 0 || includes.some((g) => pathMatches(g, rel));
    return included && !excludes.some((g) => pathMatches(g, rel));
  });
}

/**
 * How reports and baselines name a file: relative to `root` when it lies
 * inside it, else absolute. So a baseline made in one checkout holds in
 * another, wherever either is and whatever path the caller typed.
 */
export function namedFrom(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(root, file);
}
