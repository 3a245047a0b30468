/**
 * A whole `check` run: detect tools, make the run's temp dir, check the
 * units in a pool of `jobs` concurrent toolchain pipelines, assemble the
 * RunResult (units in input order, whatever order they finish in). Each
 * finished unit is spilled to a scratch file (unit-spill.ts) and read back
 * when a report renders it, so memory is bounded by the largest unit.
 *
 * One failing unit never stops the run: toolchain failures are already
 * UnitResult.error, and anything unexpected while checking a unit (a bug)
 * is turned into an error result for that unit too, so a kernel-sized run
 * still reports the other 19,999.
 */
import { countFindings, type FindingCounts, summaryOf } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RecipeInfo, type RunResult, type UnitResult } from '../report/run-result.js';
import { TreeFacts } from '../cache/file-state.js';
import { ArtifactCache } from '../cache/store.js';
import { ToolDigestBook } from '../cache/tool-digest.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import { type CompareConfig, checkKernelFlags } from '../recipe/plan.js';
import type { UnitSource } from '../source/unit-source.js';
import { recipeTools, type ToolRole } from '../recipe/recipes.js';
import type { ResolvedTool } from '../recipe/tools.js';
import { resolveTool } from '../toolchain/tool-ref.js';
import type { Rule } from '../findings/rules-schema.js';
import { checkUnit, type UnitEnv } from './check-unit.js';
import { ROLE_ORDER, type RunTools, type SideTools, sideFacts, toolchainInfos } from './unit-steps.js';
import { runPool } from './pool.js';
import { storedCounts, UnitSpill } from './unit-spill.js';
import { escapeControls } from '../report/escape.js';
import { codeDigest } from '../cache/code-digest.js';
import { checkCachedComparison, checkCachedMeta, comparisonContext, digestRunTools, type UnitCache } from './unit-cache.js';
import { scanComparison } from './comparison-text.js';

export interface CheckRun {
  readonly sources: readonly UnitSource[];
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
  readonly rules: readonly Rule[];
  /** Units in flight at once (default 1). */
  readonly jobs?: number;
  /** Artifact cache directory; absent: no cache. */
  readonly cacheDir?: string;
  /** Direct-mode cache keys (no preprocessor run on a hit, cache/direct.ts); default true. False: preprocessor-mode keys only. */
  readonly directCache?: boolean;
  /**
   * Serve a cached unit's comparison (findings and types) from the cache
   * too, keyed by the rules, recipes, tools and btfparity's code
   * (pipeline/unit-cache.ts); default true. False (`check --recompare`):
   * the comparison is redone for every unit; the toolchain steps stay cached.
   */
  readonly reuseComparisons?: boolean;
  /** The digest of btfparity's code comparison keys carry; default cache/code-digest.ts codeDigest() (tests give another). */
  readonly codeDigest?: string;
  /** Called after each unit, in completion order (progress display); optional. */
  readonly onUnit?: (result: UnitResult, index: number, total: number, counts: FindingCounts) => void;
  /** Told about damaged cache entries (one line each; they are rebuilt). Default: a stderr line. */
  readonly warn?: (message: string) => void;
}

/** A finished run plus what the cache did (for a stderr line; not part of the report). */
export interface CheckOutcome {
  readonly result: RunResult;
  readonly cache?: { readonly hits: number; readonly misses: number };
}

/**
 * Every tool each side's recipe needs, resolved once per side (a command
 * both sides name, once for both); throws ToolchainError (exit 3) for a
 * missing one, or for a pahole-kernel side whose pahole gives no version,
 * and InputError for a `--kernel-version` that is no version.
 */
export async function detectToolchain(config: CompareConfig, timeoutSeconds: number): Promise<RunTools> {
  const seen = new Map<string, ResolvedTool>();
  const side = async (s: 'left' | 'right'): Promise<SideTools> => {
    const needed = new Set(recipeTools(config[s].recipe));
    const out: Partial<Record<ToolRole, ResolvedTool>> = {};
    for (const role of ROLE_ORDER) {
      if (!needed.has(role)) continue;
      const command = config[s].tools[role];
      const key = `${role}\0${command}`;
      const tool = seen.get(key) ?? (await resolveTool(role, command, timeoutSeconds));
      seen.set(key, tool);
      out[role] = tool;
    }
    return out;
  };
  const tools = { left: await side('left'), right: await side('right') };
  checkKernelFlags(config, sideFacts(tools));
  return tools;
}

/** Every distinct resolved tool of the run, left side's first. */
export function distinctTools(tools: RunTools): ResolvedTool[] {
  const all = [...Object.values(tools.left), ...Object.values(tools.right)].filter((t): t is ResolvedTool => t !== undefined);
  return [...new Set(all)];
}

/** Resolve the compilers units name themselves (compile_commands.json), once each; a missing one is exit 3. */
async function detectUnitCompilers(sources: readonly UnitSource[], timeoutSeconds: number): Promise<Map<string, ResolvedTool>> {
  const out = new Map<string, ResolvedTool>();
  for (const s of sources) {
    if (s.compiler !== undefined && !out.has(s.compiler)) out.set(s.compiler, await resolveTool('cc', s.compiler, timeoutSeconds));
  }
  return out;
}

export async function runCheck(run: CheckRun): Promise<RunResult> {
  return (await runCheckWithStats(run)).result;
}

export async function runCheckWithStats(run: CheckRun): Promise<CheckOutcome> {
  const tools = await detectToolchain(run.config, run.timeoutSeconds);
  const compilers = await detectUnitCompilers(run.sources, run.timeoutSeconds);
  const every = [...distinctTools(tools), ...compilers.values()];
  const runDir = makeRunDir();
  // The spill outlives the run's directory: reports are rendered from it. Its own scratch dir goes at exit.
  const spill = new UnitSpill(makeRunDir());
  let units: UnitResult[];
  // Each unit's counts, taken while its findings are in memory: the summary then reads nothing back.
  const counts: FindingCounts[] = [];
  let cache: UnitCache | undefined;
  try {
    const warn = run.warn ?? ((m: string) => process.stderr.write(`btfparity: ${escapeControls(m)}\n`));
    cache = await openCache(run, every, warn);
    const env: UnitEnv = { config: run.config, tools, timeoutSeconds: run.timeoutSeconds, runDir, rules: run.rules, compilers, cache };
    // Each unit goes to the spill as soon as it is done (progress sees it first, whole): memory holds one unit's results at a time.
    units = await runPool(run.sources, run.jobs ?? 1, async (source, i) => {
      const result = await checkUnitSafely(source, i, env);
      // A served unit's counts were read with its text, whose findings are then parsed only if a report reads them.
      counts[i] = storedCounts(result) ?? countFindings(result.findings);
      run.onUnit?.(result, i, run.sources.length, counts[i]);
      return spill.add(result);
    });
  } finally {
    spill.close();
    removeRunDir(runDir);
  }
  const result: RunResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    toolchain: toolchainInfos(tools, compilers),
    recipes: recipeInfos(run.config),
    units,
    summary: summaryOf(units, counts),
  };
  return { result, ...(cache ? { cache: { hits: cache.store.hits, misses: cache.store.misses } } : {}) };
}

/** The run's view of the artifact cache; undefined without a cache directory. */
async function openCache(run: CheckRun, every: readonly ResolvedTool[], warn: (message: string) => void): Promise<UnitCache | undefined> {
  if (run.cacheDir === undefined) return undefined;
  const store = new ArtifactCache(run.cacheDir, { validateMeta: checkCachedMeta, validateComparison: checkCachedComparison, scanComparison, warn });
  const direct = run.directCache === false ? {} : { tree: new TreeFacts(), searchLists: new Map() };
  const reuse = run.reuseComparisons !== false;
  const facts = { rules: run.rules, leftRecipe: run.config.left.recipe.name, rightRecipe: run.config.right.recipe.name };
  const comparisons = reuse ? { comparisons: comparisonContext({ code: run.codeDigest ?? codeDigest(), ...facts }) } : {};
  return { store, tools: await digestRunTools(every, run.timeoutSeconds, new ToolDigestBook(run.cacheDir)), ...direct, ...comparisons };
}

/** checkUnit, with a bug in one unit reported as that unit's failure instead of ending the run. */
async function checkUnitSafely(source: UnitSource, index: number, env: UnitEnv): Promise<UnitResult> {
  try {
    return await checkUnit(source, index, env);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (process.env.BTFPARITY_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return { source: source.display, commands: [], findings: [], error: { step: 'btfparity', message: `internal error: ${msg}` } };
  }
}

export function recipeInfos(config: CompareConfig): RecipeInfo[] {
  return (['left', 'right'] as const).map((side) => ({
    side,
    name: config[side].recipe.name,
    description: config[side].recipe.description,
  }));
}
