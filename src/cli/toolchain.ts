/**
 * `btfparity toolchain add|list|remove|run`: toolchain roots, Debian
 * suites built with mmdebstrap under the cache directory, whose tools a
 * run names as `ROOT:TOOL` (`--cc sid:gcc-16`). See docs/TOOLCHAINS.md.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { InputError } from '../errors.js';
import { addRoot, removeRoot } from '../toolchain/build.js';
import { bwrapPath, sandboxArgs } from '../toolchain/exec.js';
import { checkRootName, listRoots, type Root, rootsDir } from '../toolchain/roots.js';
import { findSuite, SUITE_NAMES } from '../toolchain/suites.js';
import { findInRoot, parseToolRef, rootOf } from '../toolchain/tool-ref.js';
import { stderrLine, writeOut } from './output.js';

export interface AddOptions {
  name?: string;
  packages?: string[];
  extraPackages?: string[];
  mirror?: string;
  replace?: boolean;
  timeout: string;
}

/** `a,b c` → ['a', 'b', 'c']. */
function packageList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((p) => p !== '');
}

export async function runAdd(suiteName: string, opts: AddOptions): Promise<void> {
  const suite = findSuite(suiteName);
  if (!suite) throw new InputError(`unknown suite '${suiteName}' (one of: ${SUITE_NAMES.join(', ')})`, { file: 'toolchain add' });
  const name = opts.name ?? suite.name;
  checkRootName(name);
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new InputError(`expected a positive number of seconds, got '${opts.timeout}'`, { file: '--timeout' });
  const base = opts.packages !== undefined ? packageList(opts.packages) : [...suite.packages];
  const packages = [...new Set([...base, ...packageList(opts.extraPackages)])];
  const bad = packages.find((p) => !/^[a-z0-9][a-z0-9+.-]*$/.test(p));
  if (bad !== undefined) throw new InputError(`'${bad}' is not a Debian package name`, { file: '--packages' });
  const dir = rootsDir();
  const { root, made } = await addRoot({
    suite,
    name,
    packages,
    mirror: opts.mirror ?? suite.mirror,
    rootsDir: dir,
    timeoutSeconds,
    replace: opts.replace === true,
  });
  if (!made) stderrLine(`toolchain root '${name}' is already there (made ${root.manifest.created}); --replace makes it anew`);
  writeOut(describeRoot(root));
}

/** `toolchain remove NAME...`: each name checked before its root goes. */
export function runRemove(names: readonly string[]): void {
  for (const n of names) {
    checkRootName(n, 'toolchain remove');
    removeRoot(n, rootsDir());
  }
}

export function runList(format: string): void {
  const dir = rootsDir();
  const roots = listRoots(dir);
  if (format === 'json') {
    writeOut(`${JSON.stringify({ rootsDir: dir, roots: roots.map((r) => ({ ...r.manifest, dir: r.dir, fs: r.fs })) }, null, 2)}\n`);
    return;
  }
  if (roots.length === 0) {
    writeOut(`no toolchain roots in ${dir} (make one with: btfparity toolchain add ${SUITE_NAMES.join('|')})\n`);
    return;
  }
  writeOut(roots.map(describeRoot).join('\n'));
}

/** A root as `list` shows it: a heading line, where it is, its packages, then one line per tool as ROOT:TOOL. */
export function describeRoot(root: Root): string {
  const m = root.manifest;
  const made = m.created.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const lines = [
    `${root.name}  Debian ${m.suite}, ${Math.round(m.bytes / 1e6)} MB, made ${made} in ${m.seconds} s`,
    `  ${root.fs}`,
    `  packages: ${m.packages.join(' ')}`,
  ];
  const width = Math.max(0, ...m.tools.map((t) => root.name.length + 1 + t.name.length));
  for (const t of m.tools) lines.push(`  ${`${root.name}:${t.name}`.padEnd(width)}  ${t.version ?? '(no version)'}`);
  return `${lines.join('\n')}\n`;
}

/** Run a root's tool with stdio passed through; resolves when it exits, setting the exit status to its own. */
export function runInRoot(command: string, args: string[], writable: string[]): Promise<void> {
  const ref = parseToolRef(command);
  if (!ref) throw new InputError(`expected ROOT:TOOL, e.g. sid:gcc-16, got '${command}'`, { file: 'toolchain run' });
  const root = rootOf(ref, `toolchain run ${command}`);
  const path = findInRoot(root.fs, ref.tool);
  if (!path) throw new InputError(`'${ref.tool}' is not in root '${root.name}' (btfparity toolchain list shows its tools)`, { file: 'toolchain run' });
  const bwrap = bwrapPath(`toolchain run ${command}`);
  const argv = sandboxArgs({ name: root.name, fs: root.fs }, path, { args, cwd: process.cwd(), writable });
  return new Promise((done) => {
    const child = spawn(bwrap, argv, { stdio: 'inherit' });
    child.on('error', (e) => {
      stderrLine(`toolchain run ${command}: ${e.message}`);
      process.exitCode = 3;
      done();
    });
    child.on('exit', (code, signal) => {
      process.exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
      done();
    });
  });
}
