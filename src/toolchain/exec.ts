/**
 * Running a program of a toolchain root: the runner's RunCommand for it,
 * through bubblewrap (src/toolchain/sandbox.ts builds the arguments; this
 * file asks the file system what the rules need). Host tools pass through
 * unchanged, so every call site can say `toolCommand(tool, …)` whatever the
 * tool is.
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { ToolchainError } from '../errors.js';
import type { RunCommand } from '../recipe/run-step.js';
import { resolveExecutable, type ToolRoot } from '../recipe/tools.js';
import { hostPath } from './roots.js';
import { type HostKind, type RootEntry, type RootKind, rootLayout, sandboxArgv, stepBinds, type StepPaths } from './sandbox.js';

/** What the call sites know of a tool: where it is and, for a root's tool, which root. */
export interface RunnableTool {
  /** Host path, or for a root's tool the path inside the root. */
  readonly path: string;
  readonly root?: ToolRoot;
}

/** One name per tool across host and roots (the host's /usr/bin/gcc and sid's are different tools). */
export function toolKey(tool: RunnableTool): string {
  return tool.root ? `${tool.root.name}:${tool.path}` : tool.path;
}

/** The command that runs `tool` with `cmd`'s arguments, cwd and outputs. */
export function toolCommand(tool: RunnableTool, cmd: Omit<RunCommand, 'executable'>, writable: readonly string[] = []): RunCommand {
  if (!tool.root) return { ...cmd, executable: tool.path };
  return { ...cmd, executable: bwrapPath(cmd.step), args: sandboxArgs(tool.root, tool.path, { args: cmd.args, cwd: cmd.cwd, outputs: cmd.outputs, writable }) };
}

/** bwrap's arguments that run `executable` (a path inside the root) for the step. */
export function sandboxArgs(root: ToolRoot, executable: string, step: StepPaths): string[] {
  const layout = layoutOf(root.fs);
  const binds = stepBinds(step, layout, { host: hostKind, root: (p) => rootKind(root.fs, p) });
  return sandboxArgv({ fs: root.fs, layout, binds, cwd: step.cwd, executable, args: step.args });
}

let bwrap: string | undefined;
/** The host's bwrap; a ToolchainError (exit 3) naming the fix when it is not installed. */
export function bwrapPath(step = 'toolchain root'): string {
  bwrap ??= resolveExecutable('bwrap');
  if (!bwrap) throw new ToolchainError(step, 'bubblewrap (bwrap) is not installed: tools in a toolchain root run through it (scripts/setup installs it)');
  return bwrap;
}

const layouts = new Map<string, RootEntry[]>();
function layoutOf(fs: string): RootEntry[] {
  let l = layouts.get(fs);
  if (l === undefined) {
    const entries: RootEntry[] = [];
    for (const name of readdirSync(fs)) {
      const st = lstatSync(`${fs}/${name}`);
      if (st.isSymbolicLink()) entries.push({ name, kind: 'symlink', target: readlinkSync(`${fs}/${name}`) });
      else if (st.isDirectory()) entries.push({ name, kind: 'dir' });
    }
    l = rootLayout(entries);
    layouts.set(fs, l);
  }
  return l;
}

function hostKind(path: string): HostKind {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

function rootKind(fs: string, path: string): RootKind {
  const at = hostPath(fs, path);
  if (at === undefined) return 'missing';
  try {
    return statSync(at).isDirectory() && readdirSync(at).length === 0 ? 'empty-dir' : 'present';
  } catch {
    return 'missing';
  }
}
