/**
 * Build one unit through both recipes and keep what a triage report
 * shows: each side's decoded BTF and the compiler's DWARF (as
 * `llvm-dwarfdump --debug-info` text) from the object that carries it.
 * The steps run and are checked as in `check` (pipeline/unit-steps.ts).
 * Effects: runs the planned recipe steps in a directory the caller owns.
 */
import type { Btf } from '../btf/types.js';
import { type RunTools, readSide, runUnitSteps, sideFacts, stepTool } from '../pipeline/unit-steps.js';
import { type CompareConfig, planUnit } from '../recipe/plan.js';
import { runCommand } from '../recipe/run-step.js';
import { resolveExecutable } from '../recipe/tools.js';
import type { UnitSource } from '../source/unit-source.js';
import { DWARFDUMP_CANDIDATES } from '../witness/dwarf.js';

/** DWARF readers tried in order: the witness's list (one list for check and triage). */
export { DWARFDUMP_CANDIDATES };

export interface BuiltSides {
  readonly left: Btf;
  readonly right: Btf;
  /** `llvm-dwarfdump --debug-info` of the object with DWARF, when a side has one and the tool exists. */
  readonly dwarf?: { readonly text: string; readonly argv: readonly string[] };
}

/** Throws UnitFailure when a step fails or a side has no BTF (as `check` would report the unit). */
export async function buildSides(source: UnitSource, config: CompareConfig, tools: RunTools, timeoutSeconds: number, dir: string): Promise<BuiltSides> {
  const plan = planUnit(source, config, dir, sideFacts(tools));
  await runUnitSteps(plan, (step) => stepTool(step, source, tools), timeoutSeconds);
  const left = readSide('left', plan.btf.left).blobs[0];
  const right = readSide('right', plan.btf.right).blobs[0];
  const dwarfSide = (['left', 'right'] as const).find((s) => config[s].recipe.compile.produces === 'dwarf');
  const dumper = DWARFDUMP_CANDIDATES.map((c) => resolveExecutable(c)).find((p) => p !== undefined);
  if (!dwarfSide || !dumper) return { left, right };
  // The DWARF-carrying object is the side's compile output (single-compile: the shared one).
  const object = dwarfSide === 'left' ? plan.symbolsFrom : (plan.steps.find((s) => s.name === 'compile' && s.side !== 'left')?.outputs[0] ?? plan.symbolsFrom);
  const out = await runCommand({ executable: dumper, args: ['--debug-info', object], cwd: source.cwd, timeoutSeconds, step: 'llvm-dwarfdump' });
  return { left, right, dwarf: { text: out.stdout, argv: [dumper.split('/').pop() ?? dumper, '--debug-info', 'OBJ'] } };
}
