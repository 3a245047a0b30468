/**
 * The build wrapper's second half (src/cli/cc.ts has the first): after a
 * compile of one C unit succeeded, both avenues' BTF of the same source with
 * the same flags (the `check` pipeline, one unit), and its one-unit json
 * report written atomically into the results directory. Imported only for
 * such a compile, while the compiler runs, so the build's other compiler
 * calls (links, `-E`, the probes of cc-option) load none of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256 } from '../cache/key.js';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { runCheckWithStats } from '../pipeline/run-check.js';
import type { UnitSource } from '../source/unit-source.js';
import { buildSummary } from '../report/render.js';
import { renderJson } from '../report/json.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../report/run-result.js';
import type { CompileUnit } from '../source/compile-unit.js';
import { DEFAULT_RESULTS_DIR, RESULTS_ENV } from './commands/cc.js';
import { stderrLine } from './output.js';
import { repositoryRoot } from '../source/files.js';
import { namedFrom } from '../source/select.js';
import { resolveCheckSettings, resolveRules } from './settings.js';

/** Both avenues for the unit; whatever happens, a result file (or one stderr line). */
export async function recordUnit(unit: CompileUnit, env: NodeJS.ProcessEnv): Promise<void> {
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
