/**
 * Tool detection: where each configured tool resolves on PATH (so a
 * wrapper placed first on PATH is what runs, and the report says so) and
 * the first line of its `--version`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ToolchainError } from '../errors.js';
import type { ToolRole } from './recipes.js';
import { runCommand } from './run-step.js';

/**
 * One tool a run used: how it was named, where it resolved, what it said
 * its version is. Reports list these (RunResult.toolchain) and rules
 * condition on them; a merged report may carry roles of other runs, so
 * `role` is any string here.
 */
export interface ToolInfo {
  /** Role in the recipes: `cc`, `pahole`, `clang`, `bpftool`. */
  readonly role: string;
  /** As given (option, environment, config or default). */
  readonly command: string;
  /** Absolute path it resolved to on PATH, when found. */
  readonly path?: string;
  /** First line of `--version`, trimmed. */
  readonly version?: string;
  /** Set when the two sides ran different tools in this role: the side this one served (absent: both, or the one side that uses the role). */
  readonly side?: 'left' | 'right';
}

/** A toolchain root a tool lives in (src/toolchain/): its name and the host path of its file system. */
export interface ToolRoot {
  readonly name: string;
  readonly fs: string;
}

/** A tool found on this machine: `path` is always set. */
export interface ResolvedTool extends ToolInfo {
  readonly role: ToolRole;
  readonly path: string;
  /** Set for a `ROOT:TOOL` command: `path` is inside that root, and the tool runs there (src/toolchain/). */
  readonly root?: ToolRoot;
}

/**
 * Absolute path of `command`: as a path when it contains a slash
 * (relative to `cwd`), else the first executable match on `pathVar`.
 */
export function resolveExecutable(command: string, pathVar = process.env.PATH ?? '', cwd = process.cwd()): string | undefined {
  if (command === '') return undefined;
  if (command.includes('/')) {
    const p = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(p) ? p : undefined;
  }
  for (const dir of pathVar.split(delimiter)) {
    const p = join(dir === '' ? cwd : resolve(cwd, dir), command);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolve one tool and ask its version; a missing tool is a ToolchainError (exit 3). */
export async function detectTool(role: ToolRole, command: string, timeoutSeconds: number): Promise<ResolvedTool> {
  const path = resolveExecutable(command);
  if (!path) {
    const where = command.includes('/') ? 'not found or not executable' : 'not found on PATH';
    throw new ToolchainError(`${role} '${command}'`, `${where} (set --${role} or BTFPARITY_${role.toUpperCase().replace(/-/g, '_')})`);
  }
  return { role, command, path, version: await versionLine(path, timeoutSeconds) };
}

/** First line of `--version`; undefined when the tool does not answer (the run can still go on). */
async function versionLine(path: string, timeoutSeconds: number): Promise<string | undefined> {
  try {
    return firstOutputLine(await runCommand({ executable: path, args: ['--version'], cwd: process.cwd(), timeoutSeconds, step: `${path} --version` }));
  } catch {
    return undefined;
  }
}

/** The first non-empty line a tool printed, from stdout, else stderr (some tools print `--version` there). */
export function firstOutputLine(out: { readonly stdout: string; readonly stderr: string }): string | undefined {
  const text = out.stdout.trim() !== '' ? out.stdout : out.stderr;
  return text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
}
