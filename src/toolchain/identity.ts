/**
 * What a cache key says about one tool, for any kind of tool: a program on
 * the host, a tool inside a toolchain root, or a wrapper script that runs
 * a compiler somewhere the host cannot see (a root, a container). Effects:
 * reads files and asks the tool.
 *
 * - The tool's own bytes, always (a root's tool read inside the root).
 * - For a C compiler, its compiler proper as `-print-prog-name=cc1`
 *   answers: the bytes of that file (inside the root, for a root's
 *   compiler). When the answer names a file the host does not have (a
 *   wrapper around a compiler elsewhere), what can be had instead: the
 *   answer itself, the full `--version` text and `-dumpfullversion`. A
 *   different compiler behind the same wrapper then still misses.
 * - A tool whose own bytes cannot be read gets no digest: its units are
 *   not cached (a key that cannot tell two tools apart must not exist).
 * - A root's tool, or a wrapper whose cc1 the host does not have, is marked
 *   `hostFiles: false`: the headers it reads are not the host's, so its
 *   units are keyed by their preprocessed source, never in direct mode
 *   (cache/direct.ts).
 */
import { isAbsolute } from 'node:path';
import { runCommand } from '../recipe/run-step.js';
import { GCC_DRIVER_ROLES } from '../recipe/recipes.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { sha256, type ToolDigest } from '../cache/key.js';
import { digestFile, digestTool, type ToolDigestBook } from '../cache/tool-digest.js';
import { toolCommand } from './exec.js';
import { hostPath } from './roots.js';

export async function identifyTool(tool: ResolvedTool, timeoutSeconds: number, book?: ToolDigestBook): Promise<ToolDigest | undefined> {
  const own = tool.root ? hostPath(tool.root.fs, tool.path) : tool.path;
  if (own === undefined || !readable(own, book)) return undefined;
  const helpers: string[] = [];
  const facts: string[] = [];
  if (GCC_DRIVER_ROLES.includes(tool.role)) {
    const answer = (await ask(tool, ['-print-prog-name=cc1'], timeoutSeconds))?.trim();
    if (answer !== undefined && isAbsolute(answer)) {
      const at = tool.root ? hostPath(tool.root.fs, answer) : answer;
      if (at !== undefined && readable(at, book)) helpers.push(at);
      else {
        facts.push(`-print-prog-name=cc1: ${answer}`);
        facts.push(`--version: ${(await ask(tool, ['--version'], timeoutSeconds)) ?? ''}`);
        facts.push(`-dumpfullversion: ${(await ask(tool, ['-dumpfullversion'], timeoutSeconds)) ?? ''}`);
      }
    }
  }
  const d = digestTool(tool.role, own, helpers, book);
  const sum = facts.length === 0 ? d.sha256 : sha256([d.sha256, ...facts].join('\n'));
  // A root's tool is named by root and path inside it, not by where the roots directory happens to be.
  return {
    role: tool.role,
    path: tool.root ? `${tool.root.name}:${tool.path}` : d.path,
    sha256: sum,
    ...(tool.root || facts.length > 0 ? { hostFiles: false as const } : {}),
  };
}

/** The tool's stdout for `args`, or undefined when it fails. */
async function ask(tool: ResolvedTool, args: string[], timeoutSeconds: number): Promise<string | undefined> {
  try {
    // A root's tool is asked from its / (the host's cwd need not be visible in the root).
    const cwd = tool.root ? '/' : process.cwd();
    const r = await runCommand(toolCommand(tool, { args, cwd, timeoutSeconds, step: `${tool.command} ${args.join(' ')}` }));
    return r.stdout;
  } catch {
    return undefined;
  }
}

/** The file's bytes can be read (digestFile memoises, so digestTool does not read them again). */
function readable(path: string, book: ToolDigestBook | undefined): boolean {
  try {
    digestFile(path, book);
    return true;
  } catch {
    return false;
  }
}
