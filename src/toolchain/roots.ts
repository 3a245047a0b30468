/**
 * Toolchain roots on disk: where they live, their manifests, and paths
 * inside them. Effects (reads the file system) but runs nothing.
 *
 * Layout, under `$BTFPARITY_ROOTS_DIR` (default `<cache dir>/roots`):
 *
 *   sid/manifest.json      what was asked for and what the root holds
 *   sid/fs/                the root file system (mmdebstrap's target)
 *   sid.partial-<pid>/     a root being made by process <pid>
 *
 * A directory is a root exactly when its manifest reads back valid: the
 * manifest is written last, inside the `.partial-<pid>` directory, which is
 * then renamed into place, so a root that was half made (no network, disk
 * full, killed) is never taken for a good one.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { InputError } from '../errors.js';

export const ROOTS_DIR_ENV = 'BTFPARITY_ROOTS_DIR';
export const MANIFEST_FILE = 'manifest.json';
export const FS_DIR = 'fs';
export const MANIFEST_FORMAT = 1;

/** `$BTFPARITY_ROOTS_DIR`, else `roots` in the artifact cache's default directory. */
export function rootsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[ROOTS_DIR_ENV] || join(defaultCacheDir(env), 'roots');
}

/** Root names: lower-case letters, digits, `-` and `_` (no dot, so no name looks like `x.partial-1`). */
const ROOT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isRootName(name: string): boolean {
  return ROOT_NAME.test(name);
}

export function checkRootName(name: string, option = '--name'): void {
  if (!isRootName(name)) throw new InputError(`'${name}' is not a root name (lower-case letters, digits, '-' and '_')`, { file: option });
}

/** One program found in a root when it was made. */
export interface RootToolRecord {
  readonly name: string;
  /** Where it is inside the root, e.g. `/usr/bin/gcc-16`. */
  readonly path: string;
  /** First line of its `--version` that names a version; absent when it did not answer. */
  readonly version?: string;
}

export interface RootManifest {
  readonly format: number;
  readonly name: string;
  readonly suite: string;
  readonly mirror: string;
  readonly packages: readonly string[];
  readonly aptOptions: readonly string[];
  /** ISO date the root was finished. */
  readonly created: string;
  /** Seconds mmdebstrap took. */
  readonly seconds: number;
  /** Disk use of the root file system in bytes. */
  readonly bytes: number;
  readonly tools: readonly RootToolRecord[];
}

export interface Root {
  readonly name: string;
  /** The root's directory (manifest and fs/). */
  readonly dir: string;
  /** Host path of the root file system. */
  readonly fs: string;
  readonly manifest: RootManifest;
}

/** The root `name` in `dir`, or undefined when there is none (or only a half-made one). */
export function readRoot(name: string, dir = rootsDir()): Root | undefined {
  if (!isRootName(name)) return undefined;
  const at = join(dir, name);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(at, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const manifest = validManifest(json);
  if (!manifest || manifest.name !== name) return undefined;
  try {
    if (!statSync(join(at, FS_DIR)).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return { name, dir: at, fs: join(at, FS_DIR), manifest };
}

function validManifest(json: unknown): RootManifest | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const m = json as Record<string, unknown>;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const ok =
    m.format === MANIFEST_FORMAT &&
    typeof m.name === 'string' &&
    typeof m.suite === 'string' &&
    typeof m.mirror === 'string' &&
    strings(m.packages) &&
    strings(m.aptOptions) &&
    typeof m.created === 'string' &&
    typeof m.seconds === 'number' &&
    typeof m.bytes === 'number' &&
    Array.isArray(m.tools) &&
    m.tools.every((t) => typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.path === 'string');
  return ok ? (json as RootManifest) : undefined;
}

/** Every root in `dir`, by name; directories without a valid manifest are not roots. */
export function listRoots(dir = rootsDir()): Root[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(isRootName)
    .sort()
    .map((n) => readRoot(n, dir))
    .filter((r): r is Root => r !== undefined);
}

/** Directories in `dir` that are not roots: `<name>.partial-<pid>` leftovers and the like. */
export function partialDirs(dir: string, name: string): { path: string; pid: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { path: string; pid: number }[] = [];
  for (const n of names) {
    const m = /^(.+)\.(?:partial|old)-(\d+)$/.exec(n);
    if (m && m[1] === name) out.push({ path: join(dir, n), pid: Number(m[2]) });
  }
  return out;
}

/**
 * Resolve `path` inside the root file system `fs` as the root itself
 * would: every symlink is followed relative to the root (an absolute
 * target such as `/etc/alternatives/cc` means `<fs>/etc/alternatives/cc`,
 * never the host's). Returns the real path inside the root, or undefined
 * when it does not exist there.
 */
export function realpathInRoot(fs: string, path: string): string | undefined {
  const pending = posix
    .normalize(path)
    .split('/')
    .filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const c = pending.shift() as string;
    if (c === '..') {
      done.pop();
      continue;
    }
    const inRoot = `/${[...done, c].join('/')}`;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(fs + inRoot);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) {
      if (++links > 40) return undefined; // a loop
      const target = readlinkSync(fs + inRoot);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
    } else done.push(c);
  }
  return `/${done.join('/')}`;
}

/** Host path of a file inside a root, symlinks resolved inside it; undefined when it is not there. */
export function hostPath(fs: string, path: string): string | undefined {
  const real = realpathInRoot(fs, path);
  return real === undefined ? undefined : fs + (real === '/' ? '' : real);
}
