/**
 * From recipes (templates) to the concrete steps of one unit: argv arrays
 * with real paths, and where each side's BTF will be. Pure: no files are
 * touched here, so the plan can be shown, tested and recorded before
 * anything runs.
 */
import { InputError, ToolchainError } from '../errors.js';
import { pushAll } from '../lang.js';
import type { UnitSource } from '../source/unit-source.js';
import { kernelPaholeFlags, paholeVersionOf } from './pahole-flags.js';
import type { CompileStep, EncodeStep, Recipe, ToolRole } from './recipes.js';

/** The configured command of each tool role, as given (not yet resolved on PATH). */
export type ToolCommands = Readonly<Record<ToolRole, string>>;

export interface SideConfig {
  readonly recipe: Recipe;
  /** Extra compile flags for this side (`--cflags` plus `--left-cflags`/`--right-cflags`). */
  readonly cflags: readonly string[];
  /** This side's tools (`--cc` for both sides, `--left-cc` for this one, ...). */
  readonly tools: ToolCommands;
}

export interface CompareConfig {
  readonly left: SideConfig;
  readonly right: SideConfig;
  readonly paholeFlags: readonly string[];
  /** The kernel tree whose pahole flags `pahole-kernel` mirrors (`6.8`); default the newest in the table. */
  readonly kernelVersion?: string;
  /** Compile once for both sides (see `whyNotShareCompile`). */
  readonly singleCompile: boolean;
}

/** What the plan needs to know of each side's resolved tools: the `--version` line of its pahole. */
export type SideToolFacts = Readonly<Partial<Record<'left' | 'right', { readonly paholeVersion?: string }>>>;

/** Two tool commands name the same tool (default: the same text; the CLI compares what they resolve to). */
export type SameTool = (a: string, b: string) => boolean;

export type StepSide = 'left' | 'right' | 'both';

export interface PlannedStep {
  readonly side: StepSide;
  readonly name: 'compile' | 'encode';
  readonly role: ToolRole;
  /** argv[0] is the tool command as configured; the runner executes its resolved path. */
  readonly argv: readonly string[];
  /** Files this step must leave behind (checked after it exits 0). */
  readonly outputs: readonly string[];
}

export interface BtfLocation {
  readonly file: string;
  readonly from: 'object' | 'detached';
}

export interface UnitPlan {
  readonly source: UnitSource;
  readonly steps: readonly PlannedStep[];
  readonly btf: { readonly left: BtfLocation; readonly right: BtfLocation };
  /** The compiled object whose symbol table explains presence differences (the left side's). */
  readonly symbolsFrom: string;
}

/** Why two sides cannot share one compile, or undefined when they can. */
export function whyNotShareCompile(left: SideConfig, right: SideConfig, sameTool: SameTool = (x, y) => x === y): string | undefined {
  const a = left.recipe.compile;
  const b = right.recipe.compile;
  if (a.tool !== b.tool) return `the sides use different compilers (${a.tool} vs ${b.tool})`;
  const [l, r] = [left.tools[a.tool], right.tools[a.tool]];
  if (!sameTool(l, r)) return `the sides use different compilers (${l} vs ${r})`;
  if (!sameTokens(withoutDebugFlags(a), withoutDebugFlags(b))) return 'the compile steps differ beyond debug-info flags';
  if (!sameTokens(left.cflags, right.cflags)) return 'the sides have different cflags';
  return undefined;
}

/**
 * Single-compile is on by default exactly when it is possible. Asking for
 * it when impossible is a usage error rather than a silent fallback, so a
 * user never believes they measured something they did not.
 */
export function decideSingleCompile(left: SideConfig, right: SideConfig, requested: boolean | undefined, sameTool?: SameTool): boolean {
  const why = whyNotShareCompile(left, right, sameTool);
  if (requested === true && why) throw new InputError(`not possible: ${why}`, { option: '--single-compile' });
  return requested ?? why === undefined;
}

/**
 * The unit's steps. `facts`: what the resolved tools said (pahole's
 * version, for `$KERNEL_PAHOLE_FLAGS`); needed only by recipes that use it.
 */
export function planUnit(source: UnitSource, config: CompareConfig, dir: string, facts: SideToolFacts = {}): UnitPlan {
  const steps: PlannedStep[] = [];
  const shared = `${dir}/unit.o`;
  const objOf = (side: 'left' | 'right'): string => (config.singleCompile ? shared : `${dir}/${side}.o`);
  if (config.singleCompile) {
    // Both sides name the same compiler here (whyNotShareCompile): the left side's command runs it.
    const compile = mergedCompile(config.left.recipe.compile, config.right.recipe.compile);
    steps.push(compileStep('both', compile, config.left.cflags, source, shared, config.left.tools));
  }
  const btf = {} as Record<'left' | 'right', BtfLocation>;
  for (const side of ['left', 'right'] as const) {
    const { recipe, cflags, tools } = config[side];
    if (!config.singleCompile) steps.push(compileStep(side, recipe.compile, cflags, source, objOf(side), tools));
    const out = `${dir}/${side}.btf`;
    if (recipe.encode) {
      const vars = { $OBJ: objOf(side), $BTF: out, $SRC: source.arg };
      const lists = { $PAHOLE_FLAGS: config.paholeFlags, $KERNEL_PAHOLE_FLAGS: kernelFlagsOf(recipe.encode, side, config, facts) };
      const argv = expand(recipe.encode.argv, vars, { $PAHOLE: tools.pahole }, lists);
      steps.push({ side, name: 'encode', role: recipe.encode.tool, argv, outputs: [out] });
    }
    btf[side] = recipe.btfFrom === 'detached' ? { file: out, from: 'detached' } : { file: objOf(side), from: 'object' };
  }
  return { source, steps, btf, symbolsFrom: objOf('left') };
}

/**
 * The kernel build's pahole flags for this side's pahole version. A pahole
 * that does not say its version is a ToolchainError (exit 3), a
 * `--kernel-version` that is no version an InputError: guessing would
 * measure flags the kernel does not pass. The pipeline calls this once per
 * side before any unit (checkKernelFlags), so units never meet these errors.
 */
function kernelFlagsOf(encode: EncodeStep, side: 'left' | 'right', config: CompareConfig, facts: SideToolFacts): string[] {
  if (!encode.kernelFlags) return [];
  const line = facts[side]?.paholeVersion;
  const pahole = paholeVersionOf(line);
  if (pahole === undefined)
    throw new ToolchainError(
      `${side} pahole '${config[side].tools.pahole}'`,
      `gave no version (${JSON.stringify(line ?? '')}): cannot pick the kernel's pahole flags`,
    );
  const flags = kernelPaholeFlags({ pahole, kernel: config.kernelVersion, allVars: encode.kernelFlags === 'kernel-all-vars' });
  if (!flags) throw new InputError(`expected a kernel version like 6.8, got '${config.kernelVersion}'`, { option: '--kernel-version' });
  return flags;
}

/** Throws what planning would throw for the kernel's pahole flags of either side (see kernelFlagsOf). */
export function checkKernelFlags(config: CompareConfig, facts: SideToolFacts): void {
  for (const side of ['left', 'right'] as const) {
    const encode = config[side].recipe.encode;
    if (encode) kernelFlagsOf(encode, side, config, facts);
  }
}

function compileStep(side: StepSide, compile: CompileStep, cflags: readonly string[], source: UnitSource, obj: string, tools: ToolCommands): PlannedStep {
  const flags = [...(source.flags ?? []), ...cflags];
  const compilers = { $CC: source.compiler ?? tools.cc, $CLANG: tools.clang, $BPF_GCC: tools['bpf-gcc'] };
  const argv = expand(compile.argv, { $SRC: source.arg, $OBJ: obj, $BTF: '' }, compilers, { $CFLAGS: flags });
  return { side, name: 'compile', role: compile.tool, argv, outputs: [obj] };
}

/** One compile step asking for the debug info of both (caller checked they are otherwise equal). */
function mergedCompile(a: CompileStep, b: CompileStep): CompileStep {
  const union = [...a.debugFlags, ...b.debugFlags.filter((f) => !a.debugFlags.includes(f))];
  const argv: string[] = [];
  let placed = false;
  for (const tok of a.argv) {
    if (!a.debugFlags.includes(tok)) argv.push(tok);
    else if (!placed) {
      pushAll(argv, union);
      placed = true;
    }
  }
  return { tool: a.tool, argv, debugFlags: union, produces: a.produces };
}

function withoutDebugFlags(c: CompileStep): string[] {
  return c.argv.filter((t) => !c.debugFlags.includes(t));
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Expand a template: whole-token tools, spliced lists, and inline path variables. */
function expand(
  template: readonly string[],
  inline: Readonly<Record<string, string>>,
  tools: Readonly<Record<string, string>>,
  lists: Readonly<Record<string, readonly string[]>>,
): string[] {
  const out: string[] = [];
  for (const tok of template) {
    if (Object.hasOwn(lists, tok)) pushAll(out, lists[tok]);
    else if (Object.hasOwn(tools, tok)) out.push(tools[tok]);
    else out.push(tok.replace(/\$(SRC|OBJ|BTF)/g, (m) => inline[m]));
  }
  return out;
}

/** A step's argv for reports: the run's temp dir replaced by `$TMP`, so reports are reproducible. */
export function recordArgv(argv: readonly string[], tmp: string): string[] {
  // Only whole path components: `/tmp/btfparity-abc` must not rewrite `/tmp/btfparity-abcd/x`.
  return argv.map((a) => (a === tmp ? '$TMP' : a.split(`${tmp}/`).join('$TMP/')));
}
