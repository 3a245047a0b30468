/**
 * Making a toolchain root: mmdebstrap checks the request with a dry run,
 * then builds the Debian suite into
 * `<name>.partial-<pid>/fs`, the tools it got are listed and asked their
 * versions (inside the root, through bubblewrap), the manifest is written,
 * and only then is the directory renamed to `<name>`. Any failure removes
 * the partial directory; one killed too hard to clean up leaves a
 * `.partial-<pid>` without a manifest, which is never taken for a root and
 * is removed by the next `toolchain add` of that name.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, ToolchainError } from '../errors.js';
import { runCommand } from '../recipe/run-step.js';
import { resolveExecutable, type ToolRoot } from '../recipe/tools.js';
import { bwrapPath, toolCommand } from './exec.js';
import { removeTree } from './remove-tree.js';
import { FS_DIR, MANIFEST_FILE, MANIFEST_FORMAT, partialDirs, readRoot, type Root, type RootManifest, type RootToolRecord } from './roots.js';
import { DPKG_EXCLUDES, LISTED_TOOLS, type Suite } from './suites.js';

export interface AddRequest {
  readonly suite: Suite;
  /** The root's name (default: the suite's). */
  readonly name: string;
  readonly packages: readonly string[];
  readonly mirror: string;
  readonly rootsDir: string;
  /** Seconds mmdebstrap may take before its process group is killed. */
  readonly timeoutSeconds: number;
  /** Make it anew even when a root of that name exists. */
  readonly replace?: boolean;
}

export interface AddOutcome {
  readonly root: Root;
  /** False when an equal root was already there (nothing was done). */
  readonly made: boolean;
}

/** mmdebstrap's arguments for a request, building into `target`. */
export function mmdebstrapArgv(req: Pick<AddRequest, 'suite' | 'packages' | 'mirror'>, target: string): string[] {
  return [
    '--variant=apt',
    `--include=${req.packages.join(',')}`,
    ...req.suite.aptOptions.map((o) => `--aptopt=${o}`),
    ...DPKG_EXCLUDES.map((p) => `--dpkgopt=path-exclude=${p}`),
    req.suite.name,
    target,
    req.mirror,
  ];
}

/** The line of mmdebstrap's stderr that says what went wrong: apt's first error, else the last error, else the last line. */
export function mmdebstrapFailure(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '');
  const errors = lines.filter((l) => l.startsWith('E: '));
  const specific = errors.find((l) => !/^E: (setup failed|mmdebstrap failed|apt-get .* failed$)/.test(l));
  return specific ?? errors[0] ?? lines.at(-1);
}

/** Same root asked for again: same suite, mirror and set of packages. */
function sameRequest(m: RootManifest, req: AddRequest): boolean {
  const a = [...m.packages].sort();
  const b = [...req.packages].sort();
  return m.suite === req.suite.name && m.mirror === req.mirror && a.length === b.length && a.every((p, i) => p === b[i]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function addRoot(req: AddRequest): Promise<AddOutcome> {
  const step = `toolchain add ${req.name}`;
  if (req.packages.length === 0) throw new InputError('no packages to install', { file: '--packages' });
  const existing = readRoot(req.name, req.rootsDir);
  if (existing && !req.replace) {
    if (sameRequest(existing.manifest, req)) return { root: existing, made: false };
    throw new InputError(`root '${req.name}' exists with other packages or suite (--replace to make it anew, or --name for another root)`, { file: step });
  }
  const mmdebstrap = resolveExecutable('mmdebstrap');
  if (!mmdebstrap) throw new ToolchainError(step, 'mmdebstrap is not installed (scripts/setup installs it; or apt-get install mmdebstrap)');
  bwrapPath(step);
  mkdirSync(req.rootsDir, { recursive: true });
  for (const p of partialDirs(req.rootsDir, req.name)) if (!alive(p.pid)) removeTree(p.path, step);

  const partial = join(req.rootsDir, `${req.name}.partial-${process.pid}`);
  removeTree(partial, step);
  mkdirSync(partial);
  try {
    const fs = join(partial, FS_DIR);
    const started = Date.now();
    // A dry run first (apt resolves the packages, nothing is downloaded): a
    // missing package or an unreachable archive fails in seconds, not after
    // the essential packages are installed.
    await mmdebstrapRun(mmdebstrap, ['--simulate', ...mmdebstrapArgv(req, join(partial, 'simulate'))], partial, req.timeoutSeconds, step);
    removeTree(join(partial, 'simulate'), step);
    await mmdebstrapRun(mmdebstrap, mmdebstrapArgv(req, fs), partial, req.timeoutSeconds, step);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const where: ToolRoot = { name: req.name, fs };
    const manifest: RootManifest = {
      format: MANIFEST_FORMAT,
      name: req.name,
      suite: req.suite.name,
      mirror: req.mirror,
      packages: [...req.packages],
      aptOptions: [...req.suite.aptOptions],
      created: new Date().toISOString(),
      seconds,
      bytes: diskUsage(fs),
      tools: await listTools(where, req.timeoutSeconds),
    };
    writeFileSync(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return { root: install(partial, req, step), made: true };
  } catch (e) {
    removeTree(partial, step);
    if (e instanceof ToolchainError || e instanceof InputError) throw e;
    throw new ToolchainError(step, (e as NodeJS.ErrnoException).code ? `cannot make the root (${(e as NodeJS.ErrnoException).code})` : String(e));
  }
}

/**
 * Remove the root `name` (a finished one, or a half-made one left at that
 * name) and the leftovers of earlier attempts whose process is gone.
 * Nothing of that name: an InputError (exit 2).
 */
export function removeRoot(name: string, rootsDir: string): void {
  const step = `toolchain remove ${name}`;
  const at = join(rootsDir, name);
  const leftovers = partialDirs(rootsDir, name).filter((p) => !alive(p.pid));
  if (!existsSync(at) && leftovers.length === 0) throw new InputError(`no toolchain root '${name}' in ${rootsDir}`, { file: step });
  removeTree(at, step);
  for (const p of leftovers) removeTree(p.path, step);
}

async function mmdebstrapRun(mmdebstrap: string, args: string[], cwd: string, timeoutSeconds: number, step: string): Promise<void> {
  try {
    await runCommand({ executable: mmdebstrap, args, cwd, timeoutSeconds, step });
  } catch (e) {
    if (!(e instanceof ToolchainError)) throw e;
    throw new ToolchainError(step, `mmdebstrap ${e.reason}`, mmdebstrapFailure(e.stderr) ?? '');
  }
}

/** Rename the finished partial directory into place (replacing an older root when asked). */
function install(partial: string, req: AddRequest, step: string): Root {
  const final = join(req.rootsDir, req.name);
  const old = join(req.rootsDir, `${req.name}.old-${process.pid}`);
  if (req.replace && readRoot(req.name, req.rootsDir)) renameSync(final, old);
  try {
    renameSync(partial, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    // Another process made it meanwhile: keep theirs.
    const theirs = readRoot(req.name, req.rootsDir);
    if (!theirs) throw new ToolchainError(step, `${final} exists and is not a root (remove it)`);
    removeTree(partial, step);
    return theirs;
  }
  removeTree(old, step);
  const root = readRoot(req.name, req.rootsDir);
  if (!root) throw new ToolchainError(step, `${final} does not read back as a root`);
  return root;
}

/** The listed tools the root has, with the line of `--version` that names a version. */
async function listTools(root: ToolRoot, timeoutSeconds: number): Promise<RootToolRecord[]> {
  const out: RootToolRecord[] = [];
  for (const dir of ['/usr/bin', '/usr/sbin']) {
    let names: string[];
    try {
      names = readdirSync(root.fs + dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!LISTED_TOOLS.some((re) => re.test(name)) || out.some((t) => t.name === name)) continue;
      const path = `${dir}/${name}`;
      const version = await versionText(root, path, Math.min(timeoutSeconds, 60));
      out.push(version !== undefined ? { name, path, version } : { name, path });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The first line of `--version` with a version number in it (llc says `LLVM (http://llvm.org/):` first). */
async function versionText(root: ToolRoot, path: string, timeoutSeconds: number): Promise<string | undefined> {
  try {
    const r = await runCommand(toolCommand({ path, root }, { args: ['--version'], cwd: '/', timeoutSeconds, step: `${path} --version` }));
    const lines = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    return lines.find((l) => /\d+\.\d+/.test(l)) ?? lines[0];
  } catch {
    return undefined;
  }
}

/** Bytes the tree takes on disk (hard links counted once; nothing mounted inside is entered). */
export function diskUsage(dir: string): number {
  const dev = lstatSync(dir).dev;
  const seen = new Set<number>();
  let total = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = lstatSync(p);
      if (st.dev !== dev || seen.has(st.ino)) continue;
      seen.add(st.ino);
      total += st.blocks * 512;
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return total;
}
