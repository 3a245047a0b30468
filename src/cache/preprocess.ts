/**
 * The preprocessed-source fact of a cache key: run a compile step's argv as
 * `-E` (no object, no debug flags) and digest what it prints. Streaming the
 * output into the hash keeps memory flat for kernel units (several MB of
 * preprocessed text each). An effect: spawns the compiler.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { stepEnv, stepTmpDir, terminateGroup, trackGroup, untrackGroup } from '../recipe/cleanup.js';
import { isDebugFlag, PREPROCESS_ONLY, readArgv } from '../source/gcc-options.js';

/**
 * The compile argv turned into a preprocess-only argv: `-c` → `-E`, `-o X`
 * dropped (output goes to stdout), `-g*` dropped (debug flags never change
 * what the preprocessor produces, and dropping them lets both sides of a
 * separate compile share one digest). Other options keep their argument
 * (source/gcc-options.ts says which take one).
 */
export function preprocessArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of readArgv(argv)) {
    if (w.role === 'output') continue;
    if (w.role === 'compile') out.push(PREPROCESS_ONLY);
    else if (!isDebugFlag(w.word)) out.push(...w.words);
  }
  return out;
}

/** Preprocessor options that only change the text, not where headers are found: left out so units differing in them share one search list. */
const TEXT_ONLY = new Set(['-D', '-U', '-include', '-imacros']);

/**
 * The compile argv turned into a run that prints the include search list
 * (`-E -v` of an empty C input, on stderr): the source, the output, `-c`,
 * debug flags and the TEXT_ONLY options dropped; what picks directories
 * (-I, -isystem, -nostdinc, --sysroot, the target) kept.
 */
export function searchListArgv(argv: readonly string[], source: string): string[] {
  const out: string[] = [];
  for (const w of readArgv(argv)) {
    if (w.role === 'output' || w.role === 'compile' || w.word === source || isDebugFlag(w.word)) continue;
    if (w.option && TEXT_ONLY.has(w.option.name)) continue;
    out.push(...w.words);
  }
  out.push(PREPROCESS_ONLY, '-v', '-x', 'c', '-o', '/dev/null', '/dev/null');
  return out;
}

/** The tool's stderr for `args` (exit 0 only), or undefined. An effect: spawns the tool. */
export async function captureStderr(
  executable: string,
  args: readonly string[],
  cwd: string,
  timeoutSeconds: number,
  tmpDir: string = stepTmpDir(),
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  const ok = await runReading(executable, args, cwd, timeoutSeconds, tmpDir, 'stderr', (c) => chunks.push(c));
  return ok ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** sha256 of the tool's stdout for `args`, or undefined when it fails (the real compile will report why). */
export async function digestStdout(
  executable: string,
  args: readonly string[],
  cwd: string,
  timeoutSeconds: number,
  tmpDir: string = stepTmpDir(),
): Promise<string | undefined> {
  const hash = createHash('sha256');
  const ok = await runReading(executable, args, cwd, timeoutSeconds, tmpDir, 'stdout', (c) => hash.update(c));
  return ok ? hash.digest('hex') : undefined;
}

/**
 * Runs the tool in its own process group (tracked, so a signal to
 * btfparity stops it; killed at the timeout), in the C locale, feeding one
 * of its streams to `sink` and dropping the other. True when it exits 0.
 */
function runReading(
  executable: string,
  args: readonly string[],
  cwd: string,
  timeoutSeconds: number,
  tmpDir: string,
  stream: 'stdout' | 'stderr',
  sink: (chunk: Buffer) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(executable, [...args], {
      cwd,
      stdio: ['ignore', stream === 'stdout' ? 'pipe' : 'ignore', stream === 'stderr' ? 'pipe' : 'ignore'],
      detached: true,
      env: { ...process.env, LC_ALL: 'C', ...stepEnv(tmpDir) },
    });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    const timer = setTimeout(() => pid !== undefined && terminateGroup(pid), timeoutSeconds * 1000);
    child[stream]?.on('data', sink);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      if (pid !== undefined) untrackGroup(pid);
      resolve(ok);
    };
    child.on('error', () => finish(false));
    child.on('close', (code) => finish(code === 0));
  });
}
