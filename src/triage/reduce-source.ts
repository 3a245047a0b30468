/**
 * Reduce one source file for one target, end to end: detect tools,
 * preprocess with the unit's flags, reduce, and say how to see the
 * divergence by hand. Effects (temp files, toolchain); used by the
 * `reduce` and `triage` commands.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InternalError } from '../errors.js';
import type { Rule } from '../findings/rules-schema.js';
import { detectToolchain } from '../pipeline/run-check.js';
import { type CompareConfig, planUnit, type SideToolFacts } from '../recipe/plan.js';
import type { RunTools } from '../pipeline/unit-steps.js';
import type { UnitSource } from '../source/unit-source.js';
import { makeRunDir, removeRunDir } from '../recipe/cleanup.js';
import type { ToolRole } from '../recipe/recipes.js';
import { shellLine } from '../report/shell.js';
import { parseToolRef, runnableArgv } from '../toolchain/tool-ref.js';
import { CandidateChecker, type Target } from './candidate.js';
import { configForPreprocessed, preprocess } from './preprocess.js';
import { lineCount, type ReduceOutcome, reduceUnit } from './reduce.js';

export interface ReduceRequest {
  readonly source: UnitSource;
  readonly target: Target;
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
  readonly rules: readonly Rule[];
  readonly jobs: number;
  readonly onProgress?: (message: string) => void;
  /** Already detected tools (triage reuses them across reductions). */
  readonly tools?: RunTools;
}

export interface ReducedSource extends ReduceOutcome {
  /** The preprocessing command as run (`gcc -E -P ... SRC -o preprocessed.c`). */
  readonly preprocessArgv: readonly string[];
  /** The config candidates were checked with (preprocessor-only flags removed). */
  readonly config: CompareConfig;
}

export async function reduceSource(given: ReduceRequest): Promise<ReducedSource> {
  const req = withUnitFlags(given);
  const tools = req.tools ?? (await detectToolchain(req.config, req.timeoutSeconds));
  // Preprocess with the left side's compiler (its --target too), as that side compiles the unit.
  const cc = tools.left[req.config.left.recipe.compile.tool];
  if (!cc) throw new InternalError('left compiler was not resolved'); // detectToolchain covers every recipe role
  const dir = makeRunDir();
  try {
    const pp = await preprocess(req.source, req.config, cc, dir, req.timeoutSeconds);
    const config = configForPreprocessed(req.config);
    const checker = new CandidateChecker({ config, tools, timeoutSeconds: req.timeoutSeconds, rules: req.rules, workDir: join(dir, 'candidates') }, req.target);
    const original = lineCount(readFileSync(resolve(req.source.cwd, req.source.arg), 'utf8'));
    const outcome = await reduceUnit(pp.text, original, req.target, checker, {
      jobs: req.jobs,
      unitName: req.source.display,
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    return { ...outcome, preprocessArgv: pp.argv, config };
  } finally {
    removeRunDir(dir);
  }
}

/**
 * A unit's own flags (from a compile database) become both sides' cflags,
 * in front: preprocessing reads only the config's flags, and the
 * candidates compile with what remains of them once the preprocessor-only
 * ones are dropped — and the reproduce commands then spell them out.
 */
function withUnitFlags(req: ReduceRequest): ReduceRequest {
  const { flags, ...source } = req.source;
  if (!flags || flags.length === 0) return req;
  const { left, right } = req.config;
  const config = { ...req.config, left: { ...left, cflags: [...flags, ...left.cflags] }, right: { ...right, cflags: [...flags, ...right.cflags] } };
  return { ...req, source, config };
}

/**
 * Shell lines that show the divergence for reproducer `file` (a name in
 * the current directory): each recipe step, the two bpftool dumps, and the
 * btfparity check that reports it.
 */
export function reproduceCommands(file: string, config: CompareConfig, target: Target, facts: SideToolFacts = {}): string[] {
  const stem = file.replace(/\.c$/, '');
  const plan = planUnit({ display: file, arg: file, cwd: '.' }, config, '.', facts);
  const rename = (a: string): string => a.replace(/^\.\/(unit|left|right)(\.o|\.btf)$/, `${stem}.$1$2`).replace(/=\.\/(left|right)\.btf$/, `=${stem}.$1.btf`);
  const lines = plan.steps.map((s) => shellLine(runnableArgv(s.argv.map(rename))));
  for (const side of ['left', 'right'] as const) lines.push(shellLine(['bpftool', 'btf', 'dump', 'file', rename(plan.btf[side].file)]));
  const recipeFlags = ['--left', config.left.recipe.name, '--right', config.right.recipe.name];
  const cflags = config.left.cflags.length > 0 ? ['--cflags', config.left.cflags.join(' ')] : [];
  const kernel = config.kernelVersion !== undefined ? ['--kernel-version', config.kernelVersion] : [];
  lines.push(
    `${shellLine(['btfparity', 'check', ...recipeFlags, ...cflags, ...toolFlags(config), ...kernel, file])}   # look for: ${target.category} ${target.entity}`,
  );
  return lines;
}

/**
 * The tool options a reproducer's check needs: a tool in a toolchain root
 * (the reader's PATH has the host ones), and any side whose tool differs
 * from the other's (`--left-cc gcc --right-cc sid:gcc-16`), by role.
 */
function toolFlags(config: CompareConfig): string[] {
  const roles = Object.keys(config.left.tools) as ToolRole[];
  return roles.flatMap((r) => {
    const [l, rt] = [config.left.tools[r], config.right.tools[r]];
    if (l === rt) return parseToolRef(l) ? [`--${r}`, l] : [];
    return [`--left-${r}`, l, `--right-${r}`, rt];
  });
}
