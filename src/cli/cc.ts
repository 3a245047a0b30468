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
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256 } from '../cache/key.js';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { runCheckWithStats } from '../pipeline/run-check.js';
import type { UnitSource } from '../source/unit-source.js';
import { buildSummary } from '../report/render.js';
import { renderJson } from '../report/json.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../report/run-result.js';
import type { CompileUnit } from '../source/compile-unit.js';
import { unitFromCompilerArgv } from '../source/compiler-invocation.js';
import { DEFAULT_RESULTS_DIR, RESULTS_ENV } from './commands/cc.js';
import { stderrLine } from './output.js';
import { repositoryRoot } from '../source/files.js';
import { namedFrom } from '../source/select.js';
import { resolveCheckSettings, resolveRules } from './settings.js';

/** argv after `cc`: the compiler and its arguments. Resolves to the exit status to use. */
export async function runCc(args: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  if (args.length === 0 || args[0] === '') {
    process.stderr.write('btfparity: cc: usage: btfparity cc COMPILER [ARGS...]\n');
    return 2;
  }
  const status = await runCompiler(args);
  if (status.signal) {
    process.kill(process.pid, status.signal);
    return 128 + (constants.signals[status.signal] ?? 0);
  }
  if (status.code !== 0) return status.code;
  try {
    const unit = unitFromCompilerArgv(args, cwd);
    if (unit) await recordUnit(unit, env);
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

/** Both avenues for the unit; whatever happens, a result file (or one stderr line). */
async function recordUnit(unit: CompileUnit, env: NodeJS.ProcessEnv): Promise<void> {
  // Named relative to BTFPARITY_ROOT, else to the repository holding the compile's directory, else absolute.
  const root = env.BTFPARITY_ROOT ? resolve(env.BTFPARITY_ROOT) : repositoryRoot(unit.directory);
  const display = root !== undefined ? namedFrom(root, unit.file) : unit.file;
  const dir = resolve(unit.directory, env[RESULTS_ENV] || DEFAULT_RESULTS_DIR);
  const file = join(dir, `${sha256(unit.output ?? unit.file)}.json`);
  let result: RunResult;
  try {
    result = await checkWrapped(unit, display, env);
  } catch (e) {
    result = errorResult(display, e instanceof Error && 'oneLine' in e ? (e as { oneLine(): string }).oneLine() : String((e as Error)?.message ?? e));
  }
  try {
    writeAtomically(dir, file, renderJson(result));
  } catch (e) {
    stderrLine(`cc: cannot write result for ${display} into ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function checkWrapped(unit: CompileUnit, display: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const settings = resolveCheckSettings({ cc: unit.compiler }, env, unit.directory);
  const source: UnitSource = { display, arg: unit.file, cwd: unit.directory, flags: unit.flags };
  const outcome = await runCheckWithStats({
    sources: [source],
    config: settings.config,
    timeoutSeconds: settings.timeoutSeconds,
    rules: resolveRules({}),
    jobs: 1,
    ...(env.BTFPARITY_CACHE === '1' ? { cacheDir: defaultCacheDir(env) } : {}),
  });
  return outcome.result;
}

function errorResult(display: string, message: string): RunResult {
  const units: UnitResult[] = [{ source: display, commands: [], findings: [], error: { step: 'btfparity', message } }];
  return { schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: buildSummary(units) };
}

/** Temp name in the same directory, then rename: readers see the old file or the new one, never a part. */
function writeAtomically(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
