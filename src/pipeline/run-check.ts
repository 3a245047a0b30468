/**
 * A whole `check` run: detect tools, make the run's temp dir, check each
 * unit, assemble the RunResult. Units run one after another; `checkUnit`
 * takes plain inputs and its own subdirectory, so a `-j` pool can replace
 * the loop without touching it.
 */
import { buildSummary } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RecipeInfo, type RunResult, type UnitResult } from '../report/run-result.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import type { CompareConfig, UnitSource } from '../recipe/plan.js';
import { recipeTools, type ToolRole } from '../recipe/recipes.js';
import { detectTool, type ResolvedTool } from '../recipe/tools.js';
import type { Rule } from '../findings/rules.js';
import { checkUnit } from './check-unit.js';

export interface CheckRun {
  readonly sources: readonly UnitSource[];
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
  readonly rules: readonly Rule[];
  /** Called after each unit (progress display); optional. */
  readonly onUnit?: (result: UnitResult, index: number, total: number) => void;
}

const ROLE_ORDER: readonly ToolRole[] = ['cc', 'clang', 'pahole'];

/** Every tool the two recipes need, resolved; throws ToolchainError (exit 3) for a missing one. */
export async function detectToolchain(config: CompareConfig, timeoutSeconds: number): Promise<Partial<Record<ToolRole, ResolvedTool>>> {
  const needed = new Set([...recipeTools(config.left.recipe), ...recipeTools(config.right.recipe)]);
  const tools: Partial<Record<ToolRole, ResolvedTool>> = {};
  for (const role of ROLE_ORDER) {
    if (needed.has(role)) tools[role] = await detectTool(role, config.tools[role], timeoutSeconds);
  }
  return tools;
}

export async function runCheck(run: CheckRun): Promise<RunResult> {
  const tools = await detectToolchain(run.config, run.timeoutSeconds);
  const runDir = makeRunDir();
  const units: UnitResult[] = [];
  try {
    for (const [i, source] of run.sources.entries()) {
      const result = await checkUnit(source, i, { config: run.config, tools, timeoutSeconds: run.timeoutSeconds, runDir, rules: run.rules });
      units.push(result);
      run.onUnit?.(result, i, run.sources.length);
    }
  } finally {
    removeRunDir(runDir);
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    toolchain: ROLE_ORDER.flatMap((r) => (tools[r] ? [tools[r]] : [])),
    recipes: recipeInfos(run.config),
    units,
    summary: buildSummary(units),
  };
}

export function recipeInfos(config: CompareConfig): RecipeInfo[] {
  return (['left', 'right'] as const).map((side) => ({
    side,
    name: config[side].recipe.name,
    description: config[side].recipe.description,
  }));
}
