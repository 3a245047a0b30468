/**
 * One unit, end to end: source → recipe steps → artifacts → decoded BTF →
 * findings. A unit never throws for toolchain or artifact trouble: the
 * failure becomes UnitResult.error and the run goes on with the next unit.
 *
 * Inputs are plain data (source, index, UnitEnv) and the unit works only
 * inside its own subdirectory, so units can later run in a worker pool.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseElf, readSymbols, type ElfSymbol } from '../artifact/elf.js';
import { loadBtf, type LoadedBtf } from '../btf/load.js';
import { InputError, ToolchainError } from '../errors.js';
import type { Rule } from '../findings/rules.js';
import type { ToolInfo, StepRecord, UnitResult } from '../report/run-result.js';
import { type BtfLocation, type CompareConfig, type PlannedStep, planUnit, recordArgv, type UnitSource } from '../recipe/plan.js';
import type { ToolRole } from '../recipe/recipes.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { compareBtf } from './compare.js';

export interface UnitEnv {
  readonly config: CompareConfig;
  /** Resolved tools for every role the recipes use. */
  readonly tools: Readonly<Partial<Record<ToolRole, ResolvedTool>>>;
  readonly timeoutSeconds: number;
  /** The run's temp dir; recorded commands show it as `$TMP`. */
  readonly runDir: string;
  /** Known-divergence rules for classification; none when absent. */
  readonly rules?: readonly Rule[];
}

/** A unit failure on its way to UnitResult.error. */
class UnitFailure extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

export async function checkUnit(source: UnitSource, index: number, env: UnitEnv): Promise<UnitResult> {
  const dir = join(env.runDir, unitDirName(source, index));
  mkdirSync(dir, { recursive: true });
  const plan = planUnit(source, env.config, dir);
  const commands: StepRecord[] = [];
  try {
    for (const step of plan.steps) {
      commands.push({ side: step.side, argv: recordArgv(step.argv, env.runDir) });
      await runPlannedStep(step, source, env);
    }
    const left = readSide('left', plan.btf.left);
    const right = readSide('right', plan.btf.right);
    const symbols = objectSymbols(plan.symbolsFrom, plan.btf.left, left);
    const toolInfos: ToolInfo[] = Object.values(env.tools).filter((t): t is ResolvedTool => t !== undefined);
    const { findings, types } = compareBtf(left.blobs[0], right.blobs[0], {
      leftRecipe: env.config.left.recipe.name,
      rightRecipe: env.config.right.recipe.name,
      tools: toolInfos,
      symbols,
      rules: env.rules,
    });
    return { source: source.display, commands, findings, ...(types ? { types } : {}) };
  } catch (e) {
    if (e instanceof UnitFailure) return { source: source.display, commands, findings: [], error: { step: e.step, message: e.detail } };
    throw e;
  }
}

/** `003-21-multidim-array`: unique per unit, readable when debugging, free of user path separators. */
function unitDirName(source: UnitSource, index: number): string {
  const stem = basename(source.arg)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${String(index + 1).padStart(3, '0')}-${stem}`;
}

/** How errors and reports name a step: `both compile (gcc)`. */
export function stepLabel(step: PlannedStep): string {
  return `${step.side} ${step.name} (${step.argv[0]})`;
}

async function runPlannedStep(step: PlannedStep, source: UnitSource, env: UnitEnv): Promise<void> {
  const tool = env.tools[step.role];
  if (!tool) throw new Error(`tool ${step.role} was not resolved before the run`); // a bug: detection covers every recipe role
  try {
    await runCommand({
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
      throw new UnitFailure(e.step, line ? `${e.reason}: ${line}` : e.reason);
    }
    throw e;
  }
}

function readSide(side: 'left' | 'right', where: BtfLocation): LoadedBtf {
  const label = `${side} read BTF (${basename(where.file)})`;
  try {
    const loaded = loadBtf(readFileSync(where.file));
    if (loaded.blobs.length === 0) throw new UnitFailure(label, 'no BTF blob');
    return loaded;
  } catch (e) {
    if (e instanceof InputError) throw new UnitFailure(label, e.oneLine().replace(/^<input>: /, ''));
    if (e instanceof UnitFailure) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new UnitFailure(label, `cannot read (${code})`);
    throw e;
  }
}

/** Symbols of the compiled object; undefined when it cannot be read (classification then does without). */
function objectSymbols(object: string, leftBtf: BtfLocation, left: LoadedBtf): ElfSymbol[] | undefined {
  if (leftBtf.from === 'object' && leftBtf.file === object && left.elf) return readSymbols(left.elf);
  try {
    return readSymbols(parseElf(readFileSync(object)));
  } catch {
    return undefined;
  }
}
