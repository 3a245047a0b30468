/**
 * Build-wrapper mode: `make CC="btfparity cc gcc"`.
 *
 * `btfparity cc COMPILER ARGS...` first runs `COMPILER ARGS...` exactly as
 * given (same argv, same cwd and environment, stdio inherited) and exits
 * with its status, so the build sees the compiler and nothing else. When
 * that command compiled exactly one C source to an object and succeeded,
 * btfparity then builds both avenues' BTF of the same source with the same
 * flags in a scratch directory (the `check` pipeline, one unit) and writes
 * a one-unit json report into the results directory:
 *
 *   $BTFPARITY_RESULTS (relative paths resolve against the compile's cwd),
 *   default `<cwd of the compile>/btfparity-results`.
 *
 * Recursive makes compile in many directories, so set BTFPARITY_RESULTS to
 * an absolute path and `btfparity collect` it afterwards. The file name is
 * the sha256 of the object's absolute path: a rebuilt object replaces its
 * result; written to a temp name and renamed, so a concurrent collect or a
 * parallel make never sees half a file. Each compile is independent of the
 * others (no shared state beyond that directory), so make -j, distcc and
 * icecc work.
 *
 * btfparity's own work never fails the build: any failure of it becomes an
 * error result (or, if even that cannot be written, one stderr line), and
 * the exit status is always the compiler's. It is silent otherwise.
 *
 * Argument parsing bypasses commander on purpose: every argument after
 * COMPILER belongs to the compiler (`--version`, `-h`, `-o` included).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CompileUnit } from '../source/compile-unit.js';
import { unitFromCompilerArgv } from '../source/compiler-invocation.js';
import { stderrLine } from './output.js';

/** argv after `cc`: the compiler and its arguments. Resolves to the exit status to use. */
export async function runCc(args: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  if (args.length === 0 || args[0] === '') {
    process.stderr.write('btfparity: cc: usage: btfparity cc COMPILER [ARGS...]\n');
    return 2;
  }
  // A compile of one C unit: its recorder (the check pipeline) loads while the compiler runs.
  const unit = compiledUnit(args, cwd);
  const recorder = unit ? import('./cc-record.js') : undefined;
  recorder?.catch(() => undefined); // a failed compile never awaits it; the await below sees any failure
  const status = await runCompiler(args);
  if (status.signal) {
    process.kill(process.pid, status.signal);
    return 128 + (constants.signals[status.signal] ?? 0);
  }
  if (status.code !== 0) return status.code;
  if (!unit || !recorder) return 0;
  try {
    await (await recorder).recordUnit(unit, env);
  } catch (e) {
    // A bug in btfparity must not fail a build that compiled fine.
    stderrLine(`cc: internal error: ${(e as Error)?.message ?? e}`);
  }
  return 0;
}

interface CompilerStatus {
  code: number;
  signal?: NodeJS.Signals;
}

function runCompiler(args: readonly string[]): Promise<CompilerStatus> {
  return new Promise((done) => {
    const child = spawn(args[0], args.slice(1), { stdio: 'inherit' });
    child.on('error', (e: NodeJS.ErrnoException) => {
      // As a shell would: 127 not found, 126 not executable.
      stderrLine(`cc: ${args[0]}: ${e.code === 'ENOENT' ? 'command not found' : e.message}`);
      done({ code: e.code === 'ENOENT' ? 127 : 126 });
    });
    child.on('exit', (code, signal) => done(signal ? { code: 1, signal } : { code: code ?? 1 }));
  });
}

/** The unit the compile makes, if it compiles exactly one C source to an object; undefined (never a throw) otherwise. */
function compiledUnit(args: readonly string[], cwd: string): CompileUnit | undefined {
  try {
    return unitFromCompilerArgv(args, cwd);
  } catch (e) {
    stderrLine(`cc: internal error: ${(e as Error)?.message ?? e}`);
    return undefined;
  }
}
