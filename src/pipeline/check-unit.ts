/**
 * One unit, end to end: source → recipe steps → artifacts → decoded BTF →
 * findings. A unit never throws for toolchain or artifact trouble: the
 * failure becomes UnitResult.error and the run goes on with the next unit.
 *
 * Inputs are plain data (source, index, UnitEnv) and the unit works only
 * inside its own subdirectory (removed when the unit is done, so a kernel
 * run does not pile up objects), so units run concurrently in a pool.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseElf, readSymbols, type ElfSymbol } from '../artifact/elf.js';
import { loadBtf, type LoadedBtf } from '../btf/load.js';
import { InputError, ToolchainError } from '../errors.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import type { Rule } from '../findings/rules.js';
import type { ToolInfo, StepRecord, UnitResult } from '../report/run-result.js';
import { type BtfLocation, type CompareConfig, type PlannedStep, planUnit, recordArgv, type UnitSource } from '../recipe/plan.js';
import type { ToolRole } from '../recipe/recipes.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { fnv1a32 } from '../source/compile-commands.js';
import { compareBtf } from './compare.js';
import { btfBytes, loadSymbols, storeSymbols, type UnitCache, unitKey } from './unit-cache.js';

export interface UnitEnv {
  readonly config: CompareConfig;
  /** Resolved tools for every role the recipes use. */
  readonly tools: Readonly<Partial<Record<ToolRole, ResolvedTool>>>;
  readonly timeoutSeconds: number;
  /** The run's temp dir; recorded commands show it as `$TMP`. */
  readonly runDir: string;
  /** Known-divergence rules for classification; none when absent. */
  readonly rules?: readonly Rule[];
  /** Resolved compilers of units that name their own (`UnitSource.compiler`), by command. */
  readonly compilers?: ReadonlyMap<string, ResolvedTool>;
  /** The artifact cache; absent with `--no-cache`. */
  readonly cache?: UnitCache;
}

/** A unit failure on its way to UnitResult.error. */
class UnitFailure extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
    /** The steps run up to and including the failing one (a report lists only what ran). */
    readonly ran?: StepRecord[],
  ) {
    super(`${step}: ${detail}`);
  }
}

export async function checkUnit(source: UnitSource, index: number, env: UnitEnv): Promise<UnitResult> {
  const dir = makeUnitDir(env.runDir, source, index);
  const plan = planUnit(source, env.config, dir);
  const commands: StepRecord[] = plan.steps.map((step) => ({ side: step.side, argv: recordArgv(step.argv, env.runDir) }));
  const toolFor = (step: PlannedStep): ResolvedTool => unitTool(step, source, env);
  try {
    const key = env.cache ? await unitKey(plan, dir, toolFor, env.cache, env.timeoutSeconds) : undefined;
    const hit = key !== undefined ? env.cache?.store.get(key) : undefined;
    let sides: { left: LoadedBtf; right: LoadedBtf; symbols: ElfSymbol[] | undefined };
    if (hit) {
      sides = { left: decodeSide('left', 'cache', hit.left), right: decodeSide('right', 'cache', hit.right), symbols: loadSymbols(hit.meta) };
    } else {
      const tmpDir = join(dir, 'tmp'); // the steps' TMPDIR: a killed compiler's leftovers go with the unit dir
      mkdirSync(tmpDir);
      for (const [i, step] of plan.steps.entries()) await runPlannedStep(step, toolFor(step), source, env, commands.slice(0, i + 1), tmpDir);
      const left = readSide('left', plan.btf.left);
      const right = readSide('right', plan.btf.right);
      sides = {
        left,
        right,
        symbols: objectSymbols(plan.symbolsFrom, [
          [plan.btf.left, left],
          [plan.btf.right, right],
        ]),
      };
      if (key !== undefined) {
        env.cache?.store.put(key, { left: btfBytes(plan.btf.left.file), right: btfBytes(plan.btf.right.file), meta: storeSymbols(sides.symbols) });
      }
    }
    const { findings, types } = compareBtf(sides.left.blobs[0], sides.right.blobs[0], {
      leftRecipe: env.config.left.recipe.name,
      rightRecipe: env.config.right.recipe.name,
      tools: unitToolInfos(source, env),
      symbols: sides.symbols,
      rules: env.rules,
    });
    return { source: source.display, commands, findings, ...(types ? { types } : {}) };
  } catch (e) {
    if (e instanceof UnitFailure) return { source: source.display, commands: e.ran ?? commands, findings: [], error: { step: e.step, message: e.detail } };
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The resolved tool a step runs: the unit's own compiler when it names one. */
function unitTool(step: PlannedStep, source: UnitSource, env: UnitEnv): ResolvedTool {
  const own = step.role === 'cc' && source.compiler !== undefined ? env.compilers?.get(source.compiler) : undefined;
  const tool = own ?? env.tools[step.role];
  if (!tool) throw new Error(`tool ${step.role} was not resolved before the run`); // a bug: detection covers every recipe role
  return tool;
}

function unitToolInfos(source: UnitSource, env: UnitEnv): ToolInfo[] {
  const own = source.compiler !== undefined ? env.compilers?.get(source.compiler) : undefined;
  return Object.values(env.tools)
    .filter((t): t is ResolvedTool => t !== undefined)
    .map((t) => (own && t.role === 'cc' ? own : t));
}

/**
 * `21-multidim-array-1a2b3c4d`: readable when debugging, free of user path
 * separators, and a function of the unit's name alone (FNV-1a of how the
 * report names it), so the commands recorded for a unit are the same in a
 * full run and in any shard of it. The index only separates a unit given
 * twice in one run.
 */
function makeUnitDir(runDir: string, source: UnitSource, index: number): string {
  const stem = basename(source.arg)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  const dir = join(runDir, `${stem}-${fnv1a32(source.display).toString(16).padStart(8, '0')}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    mkdirSync(`${dir}-${index + 1}`);
    return `${dir}-${index + 1}`;
  }
}

/** How errors and reports name a step: `both compile (gcc)`. */
export function stepLabel(step: PlannedStep): string {
  return `${step.side} ${step.name} (${step.argv[0]})`;
}

async function runPlannedStep(step: PlannedStep, tool: ResolvedTool, source: UnitSource, env: UnitEnv, ran: StepRecord[], tmpDir: string): Promise<void> {
  try {
    await runCommand({
      tmpDir,
      executable: tool.path,
      args: step.argv.slice(1),
      cwd: source.cwd,
      timeoutSeconds: env.timeoutSeconds,
      step: stepLabel(step),
      outputs: step.outputs,
    });
  } catch (e) {
    if (e instanceof ToolchainError) {
      const line = firstErrorLine(e.stderr);
      throw new UnitFailure(e.step, line ? `${e.reason}: ${line}` : e.reason, ran);
    }
    throw e;
  }
}

function readSide(side: 'left' | 'right', where: BtfLocation): LoadedBtf {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(where.file, { maxBytes: INPUT_LIMITS.binary, expected: 'an ELF or BTF file' });
  } catch (e) {
    if (e instanceof InputError) throw new UnitFailure(`${side} read BTF (${basename(where.file)})`, e.reason);
    throw e;
  }
  return decodeSide(side, basename(where.file), bytes);
}

function decodeSide(side: 'left' | 'right', from: string, bytes: Uint8Array): LoadedBtf {
  const label = `${side} read BTF (${from})`;
  try {
    const loaded = loadBtf(bytes);
    if (loaded.blobs.length === 0) throw new UnitFailure(label, 'no BTF blob');
    return loaded;
  } catch (e) {
    if (e instanceof InputError) throw new UnitFailure(label, e.oneLine().replace(/^<input>: /, ''));
    throw e;
  }
}

/** Symbols of the compiled object; undefined when it cannot be read (classification then does without). */
function objectSymbols(object: string, sides: ReadonlyArray<readonly [BtfLocation, LoadedBtf]>): ElfSymbol[] | undefined {
  // A side whose BTF came from the object has it parsed already (gcc -gbtf's side usually): no second read.
  for (const [where, loaded] of sides) if (where.from === 'object' && where.file === object && loaded.elf) return readSymbols(loaded.elf);
  try {
    return readSymbols(parseElf(readRegularFile(object, { maxBytes: INPUT_LIMITS.binary })));
  } catch {
    return undefined;
  }
}
