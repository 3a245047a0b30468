/**
 * Building a unit's BTF from its plan: which resolved tool runs each step,
 * running the steps in order (argv as planned, cwd = the unit's, the
 * per-step timeout, the outputs each must leave), and reading back each
 * side's BTF. Every way this fails for the unit — a step that fails or
 * times out, a BTF file that cannot be read or holds no blob — is a
 * UnitFailure naming the step, so `check` (check-unit.ts) and `triage`
 * (triage/sides.ts) build and check units the same way. Effects: runs the
 * toolchain, reads the outputs.
 */
import { basename } from 'node:path';
import { loadBtf, type LoadedBtf } from '../btf/load.js';
import { InputError, InternalError, ToolchainError } from '../errors.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import type { BtfLocation, PlannedStep, SideToolFacts, UnitPlan } from '../recipe/plan.js';
import type { ToolRole } from '../recipe/recipes.js';
import { firstErrorLine, runCommand } from '../recipe/run-step.js';
import type { ResolvedTool, ToolInfo } from '../recipe/tools.js';
import type { StepRecord } from '../report/run-result.js';
import type { UnitSource } from '../source/unit-source.js';
import { toolCommand } from '../toolchain/exec.js';

/** One side's tools, resolved before a run, by role. */
export type SideTools = Readonly<Partial<Record<ToolRole, ResolvedTool>>>;

/**
 * Each side's tools. A command both sides name is resolved once: both
 * sides then hold the same ResolvedTool object.
 */
export type RunTools = Readonly<Record<'left' | 'right', SideTools>>;

/** Tool roles in the order reports list them. */
export const ROLE_ORDER: readonly ToolRole[] = ['cc', 'clang', 'bpf-gcc', 'pahole'];

/**
 * The configured tools in role order, then any other compiler units named
 * (without `--cc`). A role whose two sides run different tools is listed
 * once per side, with `side`; a role with one tool (both sides', or the
 * one side's that needs it) once, without.
 */
export function toolchainInfos(tools: RunTools, compilers: ReadonlyMap<string, ResolvedTool> = new Map()): ToolInfo[] {
  const configured = ROLE_ORDER.flatMap((r): ToolInfo[] => {
    const [l, rt] = [tools.left[r], tools.right[r]];
    if (l && rt && l !== rt)
      return [
        { ...l, side: 'left' },
        { ...rt, side: 'right' },
      ];
    const one = l ?? rt;
    return one ? [one] : [];
  });
  const extra = [...compilers.values()].filter((c) => !configured.some((t) => t.path === c.path && t.command === c.command));
  return [...configured, ...extra];
}

/** What the plan needs of the resolved tools (pahole's version line, per side). */
export function sideFacts(tools: RunTools): SideToolFacts {
  const of = (t: SideTools) => (t.pahole?.version !== undefined ? { paholeVersion: t.pahole.version } : {});
  return { left: of(tools.left), right: of(tools.right) };
}

/** A unit failure on its way to UnitResult.error: the step that failed and why. */
export class UnitFailure extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
    /** The steps run up to and including the failing one (a report lists only what ran). */
    readonly ran?: StepRecord[],
    cause?: unknown,
  ) {
    super(`${step}: ${detail}`, cause !== undefined ? { cause } : undefined);
  }
}

/**
 * The resolved tool a step runs: the unit's own compiler when it names one
 * (`compilers`, by command), else the step's side's tool for its role (a
 * shared compile's is the left side's: both name the same program).
 */
export function stepTool(step: PlannedStep, source: UnitSource, tools: RunTools, compilers?: ReadonlyMap<string, ResolvedTool>): ResolvedTool {
  const own = step.role === 'cc' && source.compiler !== undefined ? compilers?.get(source.compiler) : undefined;
  const tool = own ?? tools[step.side === 'both' ? 'left' : step.side][step.role];
  if (!tool) throw new InternalError(`tool ${step.role} was not resolved before the run`); // detection covers every recipe role
  return tool;
}

/** How errors and reports name a step: `both compile (gcc)`. */
export function stepLabel(step: PlannedStep): string {
  return `${step.side} ${step.name} (${step.argv[0]})`;
}

/**
 * Run every step of the plan in order, in the unit's directory. A failing
 * step is a UnitFailure carrying `records` up to and including it (when
 * given: the recorded form of the plan's steps, one per step). The steps'
 * TMPDIR is `tmpDir` (an existing directory inside the run's temp dir; default
 * the process's private one, recipe/cleanup.ts stepTmpDir). `extraArgs`:
 * what a step gets beyond its planned argv, unrecorded (the cache's
 * dependency file, pipeline/unit-cache.ts depFileArgs).
 */
export async function runUnitSteps(
  plan: UnitPlan,
  toolFor: (step: PlannedStep) => ResolvedTool,
  timeoutSeconds: number,
  records?: readonly StepRecord[],
  tmpDir?: string,
  extraArgs: (step: PlannedStep) => readonly string[] = () => [],
): Promise<void> {
  for (const [i, step] of plan.steps.entries()) {
    try {
      await runCommand(
        toolCommand(toolFor(step), {
          args: [...step.argv.slice(1), ...extraArgs(step)],
          cwd: plan.source.cwd,
          timeoutSeconds,
          step: stepLabel(step),
          outputs: step.outputs,
          ...(tmpDir !== undefined ? { tmpDir } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ToolchainError) {
        const line = firstErrorLine(e.stderr);
        throw new UnitFailure(e.step, line ? `${e.reason}: ${line}` : e.reason, records?.slice(0, i + 1), e);
      }
      throw e;
    }
  }
}

/** One side's BTF where the plan left it; unreadable or without a blob is a UnitFailure. */
export function readSide(side: 'left' | 'right', where: BtfLocation): LoadedBtf {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(where.file, { maxBytes: INPUT_LIMITS.binary, expected: 'an ELF or BTF file' });
  } catch (e) {
    if (e instanceof InputError) throw new UnitFailure(`${side} read BTF (${basename(where.file)})`, e.reason, undefined, e);
    throw e;
  }
  return decodeSide(side, basename(where.file), bytes);
}

/** Decode one side's BTF bytes (`from` names where they came from in the failure); no blob is a UnitFailure. */
export function decodeSide(side: 'left' | 'right', from: string, bytes: Uint8Array): LoadedBtf {
  const label = `${side} read BTF (${from})`;
  try {
    const loaded = loadBtf(bytes);
    if (loaded.blobs.length === 0) throw new UnitFailure(label, 'no BTF blob');
    return loaded;
  } catch (e) {
    if (e instanceof InputError) throw new UnitFailure(label, e.oneLine().replace(/^<input>: /, ''), undefined, e);
    throw e;
  }
}
