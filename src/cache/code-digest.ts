/**
 * A digest of btfparity's own code, so a cached comparison (pipeline/
 * unit-cache.ts) is never served by another build: every module file of
 * the tree this module was loaded from (dist/ when installed or built,
 * src/ under vitest), by path relative to that tree and content. Reading
 * ~200 files costs a few milliseconds; callers ask once per run, and only
 * when comparisons are cached.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byCodeUnit } from '../lang.js';
import { sha256 } from './key.js';

/** The module tree: the parent of this module's directory (src/ or dist/). */
const MODULE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files that are code (or data the code imports); type declarations and source maps are not. */
const isModule = (name: string): boolean => /\.(?:[cm]?js|ts|json)$/.test(name) && !/\.d\.[cm]?ts$/.test(name);

/** Module files under `dir`, as paths relative to `root`. */
function moduleFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...moduleFiles(root, rel));
    else if (e.isFile() && isModule(e.name)) out.push(rel);
  }
  return out;
}

/** sha256 over each module file's relative path and bytes, in code-unit order of the paths. */
export function codeDigest(root: string = MODULE_ROOT): string {
  const parts: string[] = [];
  for (const rel of moduleFiles(root).sort(byCodeUnit)) parts.push(rel, sha256(readFileSync(join(root, rel))));
  return sha256(parts.join('\n'));
}
