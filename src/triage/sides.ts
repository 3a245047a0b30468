/**
 * Build one unit through both recipes and keep what a triage report
 * shows: each side's decoded BTF and the compiler's DWARF (as
 * `llvm-dwarfdump --debug-info` text) from the object that carries it.
 * Effects: runs the planned recipe steps in a directory the caller owns.
 */
import { readFileSync } from 'node:fs';
import { loadBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { type CompareConfig, planUnit } from '../recipe/plan.js';
import type { UnitSource } from '../source/unit-source.js';
import type { ToolRole } from '../recipe/recipes.js';
import { runCommand } from '../recipe/run-step.js';
import { resolveExecutable, type ResolvedTool } from '../recipe/tools.js';

/** DWARF readers tried in order (Debian ships versioned llvm tools). */
export const DWARFDUMP_CANDIDATES = ['llvm-dwarfdump', 'llvm-dwarfdump-16', 'llvm-dwarfdump-17', 'llvm-dwarfdump-15'];

export interface BuiltSides {
  readonly left: Btf;
  readonly right: Btf;
  /** `llvm-dwarfdump --debug-info` of the object with DWARF, when a side has one and the tool exists. */
  readonly dwarf?: { readonly text: string; readonly argv: readonly string[] };
}

export async function buildSides(
  source: UnitSource,
  config: CompareConfig,
  tools: Readonly<Partial<Record<ToolRole, ResolvedTool>>>,
  timeoutSeconds: number,
  dir: string,
): Promise<BuiltSides> {
  const plan = planUnit(source, config, dir);
  for (const step of plan.steps) {
    const tool = tools[step.role];
    if (!tool) throw new Error(`tool ${step.role} was not resolved`); // a bug: detection covers the recipes
    await runCommand({
      executable: tool.path,
      args: step.argv.slice(1),
      cwd: source.cwd,
      timeoutSeconds,
      step: `${step.side} ${step.name}`,
      outputs: step.outputs,
    });
  }
  const left = loadBtf(readFileSync(plan.btf.left.file)).blobs[0];
  const right = loadBtf(readFileSync(plan.btf.right.file)).blobs[0];
  const dwarfSide = (['left', 'right'] as const).find((s) => config[s].recipe.compile.produces === 'dwarf');
  const dumper = DWARFDUMP_CANDIDATES.map((c) => resolveExecutable(c)).find((p) => p !== undefined);
  if (!dwarfSide || !dumper) return { left, right };
  // The DWARF-carrying object is the side's compile output (single-compile: the shared one).
  const object = dwarfSide === 'left' ? plan.symbolsFrom : (plan.steps.find((s) => s.name === 'compile' && s.side !== 'left')?.outputs[0] ?? plan.symbolsFrom);
  const out = await runCommand({ executable: dumper, args: ['--debug-info', object], cwd: source.cwd, timeoutSeconds, step: 'llvm-dwarfdump' });
  return { left, right, dwarf: { text: out.stdout, argv: [dumper.split('/').pop() ?? dumper, '--debug-info', 'OBJ'] } };
}
