/**
 * The bubblewrap command line that runs one tool of a toolchain root.
 * Pure: what exists where is asked through the callbacks the caller
 * passes in (src/toolchain/exec.ts gives the real file system), so the
 * rules below are unit-tested without a root.
 *
 * The sandbox:
 *   - its / is bwrap's own empty tmpfs, made read-only once set up; the
 *     root's system directories (usr, etc, var) are bound into it
 *     read-only and its top-level symlinks (bin → usr/bin, lib64 → …)
 *     are recreated, so the root's programs, libraries and headers are
 *     what runs;
 *   - a fresh /dev, /proc and a private /tmp (TMPDIR=/tmp);
 *   - the host paths the step needs, at the same paths: its working
 *     directory, each path its arguments name that exists on the host (a
 *     directory as is, a file by its directory, so headers beside a
 *     source are found; `-Idir`, `-include=f`, `--opt=path` and `@file`
 *     count too), all read-only; the directories of the step's outputs
 *     read-write (btfparity's own temp dirs: nothing in the user's tree is
 *     ever written);
 *   - a host path inside one of the root's system directories is the
 *     root's own when the root has it (/usr/include is the root's); when
 *     the root lacks it (/usr/src/linux), its closest ancestor that is an
 *     empty directory in the root (/usr/src) is bound from the host, and
 *     with no such ancestor it is not visible;
 *   - no network, own pid/ipc/uts namespaces, a clean environment
 *     (PATH, LC_ALL=C, TMPDIR, HOME), and it dies with its parent.
 */
import { posix } from 'node:path';

/** What the host has at a path. */
export type HostKind = 'dir' | 'file' | undefined;
/** What the root has at a path (symlinks resolved inside the root). */
export type RootKind = 'missing' | 'empty-dir' | 'present';

/** A top-level entry of the root that the sandbox takes from it. */
export type RootEntry = { readonly name: string; readonly kind: 'dir' } | { readonly name: string; readonly kind: 'symlink'; readonly target: string };

/** Top-level directories taken from the root; everything else at / is the sandbox's own. */
const SYSTEM_DIRS: ReadonlySet<string> = new Set(['usr', 'etc', 'var', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']);
/** Never bound from the host: the sandbox makes its own. */
const OWN_DIRS: ReadonlySet<string> = new Set(['dev', 'proc', 'sys']);
/** Shared directories: a file directly in one is bound alone, not with all its neighbours. */
const SHARED_PARENTS: ReadonlySet<string> = new Set(['/', '/tmp', '/var/tmp', '/dev/shm']);

export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The root's top-level entries the sandbox uses, from a listing of the root's `/`. */
export function rootLayout(entries: readonly RootEntry[]): RootEntry[] {
  return entries.filter((e) => SYSTEM_DIRS.has(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface Bind {
  /** Absolute host path, bound at the same path inside. */
  readonly path: string;
  readonly writable: boolean;
}

export interface StepPaths {
  readonly args: readonly string[];
  readonly cwd: string;
  /** Files the step writes (their directories become writable). */
  readonly outputs?: readonly string[];
  /** More host directories the step may write (e.g. `toolchain run --rw`). */
  readonly writable?: readonly string[];
}

export interface Probes {
  readonly host: (path: string) => HostKind;
  readonly root: (path: string) => RootKind;
}

/** Options whose value may be joined to them (`-Iinclude`, `-includefoo.h`); longest first. */
const JOINED_PATH_OPTIONS = ['-idirafter', '-isysroot', '-isystem', '-imacros', '-include', '-iprefix', '-iquote', '-I', '-L'];

/** The strings in one argument that may name a path. */
export function pathCandidates(arg: string): string[] {
  const a = arg.startsWith('@') ? arg.slice(1) : arg;
  if (a === '') return [];
  if (!a.startsWith('-')) return [a];
  const eq = a.indexOf('=');
  if (eq > 0 && eq < a.length - 1) return [a.slice(eq + 1)];
  const opt = JOINED_PATH_OPTIONS.find((o) => a.startsWith(o) && a.length > o.length);
  return opt ? [a.slice(opt.length)] : [];
}

/** The host paths a step needs inside the sandbox, outermost first, none inside another of the same or more access. */
export function stepBinds(step: StepPaths, layout: readonly RootEntry[], probe: Probes): Bind[] {
  const wanted: Bind[] = [];
  const want = (path: string, writable: boolean): void => {
    const at = placeBind(path, layout, probe);
    if (at !== undefined) wanted.push({ path: at, writable });
  };
  want(step.cwd, false);
  for (const arg of step.args) {
    for (const c of pathCandidates(arg)) {
      const abs = posix.resolve(step.cwd, c);
      const kind = probe.host(abs);
      if (kind === 'dir') want(abs, false);
      else if (kind === 'file') want(SHARED_PARENTS.has(posix.dirname(abs)) ? abs : posix.dirname(abs), false);
    }
  }
  for (const out of step.outputs ?? []) want(posix.dirname(posix.resolve(step.cwd, out)), true);
  for (const dir of step.writable ?? []) want(posix.resolve(step.cwd, dir), true);
  return nest(wanted);
}

/** Where a wanted host path can be bound: itself, an empty ancestor in the root's system dirs, or nowhere. */
function placeBind(path: string, layout: readonly RootEntry[], probe: Probes): string | undefined {
  const p = posix.normalize(path);
  if (p === '/' || SHARED_PARENTS.has(p)) return undefined;
  const top = p.split('/')[1];
  if (OWN_DIRS.has(top)) return undefined;
  if (!layout.some((e) => e.name === top)) return p;
  for (let at = p; at !== '/'; at = posix.dirname(at)) {
    const kind = probe.root(at);
    if (kind === 'present') return undefined; // the root has it (or its parent): the root's copy it is
    if (kind === 'empty-dir') return at;
  }
  return undefined;
}

function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** One bind per path (writable wins), none inside another of at least its access; parents before children. */
function nest(binds: readonly Bind[]): Bind[] {
  const merged = new Map<string, boolean>();
  for (const b of binds) merged.set(b.path, (merged.get(b.path) ?? false) || b.writable);
  const all = [...merged].map(([path, writable]) => ({ path, writable }));
  const kept = all.filter((b) => !all.some((o) => o.path !== b.path && within(b.path, o.path) && (o.writable || !b.writable)));
  const depth = (p: string): number => p.split('/').length;
  return kept.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface SandboxSpec {
  /** Host path of the root file system. */
  readonly fs: string;
  readonly layout: readonly RootEntry[];
  readonly binds: readonly Bind[];
  readonly cwd: string;
  /** The program, as a path inside the root. */
  readonly executable: string;
  readonly args: readonly string[];
}

/** bwrap's arguments (after `bwrap` itself) for the spec. */
export function sandboxArgv(spec: SandboxSpec): string[] {
  const argv: string[] = [];
  for (const e of spec.layout) {
    if (e.kind === 'dir') argv.push('--ro-bind', `${spec.fs}/${e.name}`, `/${e.name}`);
    else argv.push('--symlink', e.target, `/${e.name}`);
  }
  argv.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
  for (const b of spec.binds) argv.push(b.writable ? '--bind' : '--ro-bind', b.path, b.path);
  argv.push('--remount-ro', '/', '--chdir', spec.cwd);
  argv.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent');
  argv.push('--clearenv', '--setenv', 'PATH', SANDBOX_PATH, '--setenv', 'LC_ALL', 'C', '--setenv', 'TMPDIR', '/tmp', '--setenv', 'HOME', '/tmp');
  argv.push('--', spec.executable, ...spec.args);
  return argv;
}
