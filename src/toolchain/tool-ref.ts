/**
 * `ROOT:TOOL`: a tool inside a toolchain root, e.g. `sid:gcc-16` or
 * `trixie:pahole` (or `sid:/usr/lib/llvm-21/bin/clang`, a path inside the
 * root). Any tool setting (option, environment variable, config key) may
 * name one; `resolveToolRef` turns it into a ResolvedTool whose steps run
 * in the root through bubblewrap.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { posix } from 'node:path';
import { ToolchainError } from '../errors.js';
import { detectTool, firstOutputLine, type ResolvedTool, type ToolRoot } from '../recipe/tools.js';
import type { ToolRole } from '../recipe/recipes.js';
import { runCommand } from '../recipe/run-step.js';
import { bwrapPath, toolCommand } from './exec.js';
import { hostPath, isRootName, readRoot, type Root, rootsDir } from './roots.js';
import { SANDBOX_PATH } from './sandbox.js';

export interface ToolRef {
  readonly root: string;
  /** A program name looked up on the root's PATH, or an absolute path inside the root. */
  readonly tool: string;
}

/** `ROOT:TOOL` split, or undefined for anything else (a host command or path, which may contain ':' after a '/'). */
export function parseToolRef(command: string): ToolRef | undefined {
  const colon = command.indexOf(':');
  if (colon <= 0) return undefined;
  const root = command.slice(0, colon);
  const tool = command.slice(colon + 1);
  if (!isRootName(root) || tool === '' || tool.includes(':')) return undefined;
  return { root, tool };
}

/**
 * A step's argv as a user can run it from a shell: a `ROOT:TOOL` program
 * goes through `btfparity toolchain run`, writing in the current directory.
 */
export function runnableArgv(argv: readonly string[]): string[] {
  return argv.length > 0 && parseToolRef(argv[0]) ? ['btfparity', 'toolchain', 'run', '--rw', '.', '--', ...argv] : [...argv];
}

/** Where `tool` is inside the root: the first executable match on the root's PATH (or the path itself). */
export function findInRoot(fs: string, tool: string): string | undefined {
  const candidates = tool.startsWith('/') ? [posix.normalize(tool)] : tool.includes('/') ? [] : SANDBOX_PATH.split(':').map((d) => `${d}/${tool}`);
  return candidates.find((p) => {
    const at = hostPath(fs, p);
    if (at === undefined) return false;
    try {
      if (!statSync(at).isFile()) return false;
      accessSync(at, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The root a reference names; a ToolchainError (exit 3) saying how to make it when there is none. */
export function rootOf(ref: ToolRef, what: string, env: NodeJS.ProcessEnv = process.env): Root {
  const dir = rootsDir(env);
  const root = readRoot(ref.root, dir);
  if (!root) throw new ToolchainError(what, `no toolchain root '${ref.root}' in ${dir} (make it with: btfparity toolchain add ${ref.root})`);
  return root;
}

/**
 * Resolve a `ROOT:TOOL` command for `role`: its path inside the root and
 * the first line of its `--version`, run inside the root. Undefined when
 * `command` is not of that form (the caller resolves it on the host).
 */
export async function resolveToolRef(
  role: ToolRole,
  command: string,
  timeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTool | undefined> {
  const ref = parseToolRef(command);
  if (!ref) return undefined;
  const what = `${role} '${command}'`;
  const root = rootOf(ref, what, env);
  const path = findInRoot(root.fs, ref.tool);
  if (!path) {
    const has = root.manifest.tools.map((t) => t.name).join(', ');
    throw new ToolchainError(what, `'${ref.tool}' is not in root '${root.name}'${has ? ` (it has: ${has})` : ''}`);
  }
  bwrapPath(what);
  const where: ToolRoot = { name: root.name, fs: root.fs };
  return { role, command, path, root: where, version: await rootVersionLine(where, path, timeoutSeconds) };
}

/** Any tool command resolved: `ROOT:TOOL` inside its root, anything else on the host (detectTool). */
export async function resolveTool(role: ToolRole, command: string, timeoutSeconds: number, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTool> {
  return (await resolveToolRef(role, command, timeoutSeconds, env)) ?? detectTool(role, command, timeoutSeconds);
}

/** First non-empty line of `--version` inside the root; undefined when it does not answer. */
export async function rootVersionLine(root: ToolRoot, path: string, timeoutSeconds: number): Promise<string | undefined> {
  try {
    return firstOutputLine(
      await runCommand(toolCommand({ path, root }, { args: ['--version'], cwd: '/', timeoutSeconds, step: `${root.name}:${path} --version` })),
    );
  } catch {
    return undefined;
  }
}
