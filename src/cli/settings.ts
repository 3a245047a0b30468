/**
 * Toolchain settings shared by `check`, `triage`, `reduce` and build-wrapper
 * mode: the options, and their resolution with precedence option >
 * environment > config file (config-file.ts) > default; and which rules
 * classify. Every bad value is an InputError (exit 2) naming the option or
 * the file.
 */
import { existsSync, realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { defaultRulesPath, loadRulesFile } from '../findings/rules-file.js';
import type { Rule } from '../findings/rules-schema.js';
import { majorMinor, NEWEST_KERNEL } from '../recipe/pahole-flags.js';
import { type CompareConfig, decideSingleCompile, type ToolCommands } from '../recipe/plan.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, findRecipe, RECIPE_NAMES, type Recipe, type ToolRole } from '../recipe/recipes.js';
import { resolveExecutable } from '../recipe/tools.js';
import { splitShellWords } from '../source/shell-words.js';
import { parseToolRef } from '../toolchain/tool-ref.js';
import { type ConfigFile, configFileShown, configTool, DEFAULT_CONFIG_FILE, loadConfig } from './config-file.js';
import { type SettingScope, TOOL_SETTINGS, toolSettingNames } from './tool-settings.js';

/**
 * Toolchain options as commander hands them over (all optional: absent
 * means "ask env, config, default"). The tool options (`cc`, `leftCc`,
 * `rightBpfGcc`, ...: tool-settings.ts) are read by their names from the table.
 */
export interface ToolchainOptions {
  left?: string;
  right?: string;
  cc?: string;
  clang?: string;
  pahole?: string;
  bpfGcc?: string;
  [toolOption: `${'left' | 'right'}${string}`]: string | undefined;
  kernelVersion?: string;
  cflags?: string;
  leftCflags?: string;
  rightCflags?: string;
  paholeFlags?: string;
  timeout?: string;
  singleCompile?: boolean;
  config?: string;
}

/**
 * `--rules FILE` (repeatable: a project's own rules, on top of the shipped
 * ones), `--no-default-rules` (drop the shipped set), `--no-rules` (none at all).
 */
export interface RulesOption {
  rules?: string[] | false;
  /** false with `--no-default-rules`. */
  defaultRules?: boolean;
}

/** The rules options of every command that classifies. */
export function addRulesOptions(cmd: Command, what = 'known-divergence rules'): Command {
  return cmd
    .option(
      '--rules <file>',
      `${what}: a rules file layered on top of the shipped rules/known-divergences.json (repeatable; earlier files win, the shipped set comes last)`,
      (file: string, prev: string[] | false | undefined) => [...(Array.isArray(prev) ? prev : []), file],
    )
    .option('--no-default-rules', 'do not use the shipped rules, only --rules files')
    .option('--no-rules', 'classify with no rules at all: every finding not equivalent is unexplained');
}

export const DEFAULTS = { timeout: 60 } as const;

/** Environment variable for each setting that has one (the tools': tool-settings.ts). */
export const ENV_VARS = {
  cc: 'BTFPARITY_CC',
  cflags: 'BTFPARITY_CFLAGS',
  paholeFlags: 'BTFPARITY_PAHOLE_FLAGS',
  kernelVersion: 'BTFPARITY_KERNEL_VERSION',
  timeout: 'BTFPARITY_TIMEOUT',
} as const;

/** `--cc`, `--left-cc`, `--right-cc`, ... for every row of TOOL_SETTINGS. */
function addToolOptions(cmd: Command): Command {
  for (const s of TOOL_SETTINGS) {
    const both = toolSettingNames(s, 'both');
    cmd.option(`${both.option} <exe>`, `${s.what}, both sides [${both.env}] (default ${s.default})`);
    for (const side of ['left', 'right'] as const) {
      const n = toolSettingNames(s, side);
      cmd.option(`${n.option} <exe>`, `${s.flag} of the ${side} side only, over ${both.option} [${n.env}]`);
    }
  }
  return cmd;
}

export function addToolchainOptions(cmd: Command): Command {
  cmd
    .option('--left <recipe>', `recipe of the left side: ${RECIPE_NAMES.join(', ')} (default ${DEFAULT_LEFT_RECIPE})`)
    .option('--right <recipe>', `recipe of the right side (default ${DEFAULT_RIGHT_RECIPE})`);
  return addToolOptions(cmd)
    .option(
      '--kernel-version <x.y>',
      `the kernel tree whose pahole flags pahole-kernel and pahole-all-vars pass (src/recipe/pahole-flags.ts) [${ENV_VARS.kernelVersion}] (default ${NEWEST_KERNEL})`,
    )
    .option('--cflags <flags>', `extra compile flags for both sides, split like a shell would, quotes kept together, nothing expanded [${ENV_VARS.cflags}]`)
    .option('--left-cflags <flags>', 'extra compile flags for the left side only (after --cflags)')
    .option('--right-cflags <flags>', 'extra compile flags for the right side only (after --cflags)')
    .option('--pahole-flags <flags>', `extra pahole flags, e.g. --btf_gen_floats [${ENV_VARS.paholeFlags}]`)
    .option('--timeout <seconds>', `per-step timeout; the step's process group is killed [${ENV_VARS.timeout}] (default ${DEFAULTS.timeout})`)
    .option(
      '--single-compile',
      "compile once with both sides' debug flags (e.g. -g -gbtf); default when both sides use the same compiler (the same program once resolved) and flags",
    )
    .option('--no-single-compile', 'compile separately for each side')
    .option('--config <file>', `JSON config file (default ./${DEFAULT_CONFIG_FILE} if present)`);
}

/** The known-divergence rules for classification (an unreadable or invalid file is exit 2). */
export function resolveRules(opts: RulesOption): Rule[] {
  if (opts.rules === false) return [];
  // First match wins: the project's files, in the order given, before the shipped set.
  const own = (opts.rules ?? []).flatMap((f) => loadRulesFile(f, f));
  if (opts.defaultRules === false) return own;
  const shipped = defaultRulesPath();
  return existsSync(shipped) ? [...own, ...loadRulesFile(shipped)] : own;
}

export interface CheckSettings {
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
}

/** Resolve every toolchain setting (option > environment > config > default). */
export function resolveCheckSettings(opts: ToolchainOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CheckSettings {
  const file = loadConfig(opts.config, cwd);
  const pick = (option: string, opt: string | undefined, envName: string | undefined, cfg: string | string[] | undefined): string[] | undefined => {
    if (opt !== undefined) return splitFlags(opt, option);
    const e = envName ? env[envName] : undefined;
    if (e !== undefined && e !== '') return splitFlags(e, envName);
    if (cfg !== undefined) return typeof cfg === 'string' ? splitFlags(cfg, configFileShown(opts.config)) : [...cfg];
    return undefined;
  };
  const cflags = pick('--cflags', opts.cflags, ENV_VARS.cflags, file.cflags) ?? [];
  const left = recipeNamed('--left', opts.left ?? file.left ?? DEFAULT_LEFT_RECIPE);
  const right = recipeNamed('--right', opts.right ?? file.right ?? DEFAULT_RIGHT_RECIPE);
  const leftSide = {
    recipe: left,
    cflags: [...cflags, ...(pick('--left-cflags', opts.leftCflags, undefined, file.leftCflags) ?? [])],
    tools: sideTools('left', opts, env, file),
  };
  const rightSide = {
    recipe: right,
    cflags: [...cflags, ...(pick('--right-cflags', opts.rightCflags, undefined, file.rightCflags) ?? [])],
    tools: sideTools('right', opts, env, file),
  };
  const kernelVersion = opts.kernelVersion ?? (env[ENV_VARS.kernelVersion] || undefined) ?? file.kernelVersion;
  if (kernelVersion !== undefined && !majorMinor(kernelVersion))
    throw new InputError(`expected a kernel version like 6.8, got '${kernelVersion}'`, { option: '--kernel-version' });
  const timeoutText = opts.timeout ?? (env[ENV_VARS.timeout] || undefined);
  const timeoutSeconds = timeoutText !== undefined ? parseTimeout(timeoutText) : (file.timeout ?? DEFAULTS.timeout);
  if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds))
    throw new InputError(`'timeout' must be a positive number of seconds, got ${timeoutSeconds}`, { file: configFileShown(opts.config) });
  return {
    timeoutSeconds,
    config: {
      left: leftSide,
      right: rightSide,
      paholeFlags: pick('--pahole-flags', opts.paholeFlags, ENV_VARS.paholeFlags, file.paholeFlags) ?? [],
      ...(kernelVersion !== undefined ? { kernelVersion } : {}),
      singleCompile: decideSingleCompile(leftSide, rightSide, opts.singleCompile ?? file.singleCompile, sameProgram),
    },
  };
}

/**
 * Where one tool setting comes from, in precedence order: the option, the
 * environment, the config file; within each, the side's own (`--left-cc`)
 * before the shared one (`--cc`). Undefined: no source sets it (the default applies).
 */
function toolSetting(role: ToolRole, side: 'left' | 'right', opts: ToolchainOptions, env: NodeJS.ProcessEnv, file: ConfigFile): string | undefined {
  const s = TOOL_SETTINGS.find((t) => t.role === role);
  if (!s) return undefined;
  const scopes: SettingScope[] = [side, 'both'];
  const fromOpts = (k: string): string | undefined => (opts as Record<string, unknown>)[k] as string | undefined;
  const fromEnv = (_k: string, e: string): string | undefined => (env[e] === '' ? undefined : env[e]);
  for (const read of [fromOpts, fromEnv, (k: string) => configTool(file, k)]) {
    for (const scope of scopes) {
      const n = toolSettingNames(s, scope);
      const v = read(n.key, n.env);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** One side's tool commands: each role's setting, else its default. */
function sideTools(side: 'left' | 'right', opts: ToolchainOptions, env: NodeJS.ProcessEnv, file: ConfigFile): ToolCommands {
  return Object.fromEntries(TOOL_SETTINGS.map((s) => [s.role, toolSetting(s.role, side, opts, env, file) ?? s.default])) as Record<ToolRole, string>;
}

/** Some option, environment variable or config key of any scope set this role's tool (`--cc`, `--right-cc`, ...). */
export function toolChosen(role: ToolRole, opts: ToolchainOptions, env: NodeJS.ProcessEnv, file: ConfigFile): boolean {
  return (['left', 'right'] as const).some((side) => toolSetting(role, side, opts, env, file) !== undefined);
}

/**
 * Two commands name the same program: a `ROOT:TOOL` by its text (the root's
 * file is the same for the same text), a host command by the file it
 * resolves to on PATH, symlinks followed (`gcc` and `gcc-12` are one
 * compiler). Single-compile is decided on this, so a shared compile never
 * hides that the sides were meant to use two compilers.
 */
function sameProgram(a: string, b: string): boolean {
  if (a === b) return true;
  if (parseToolRef(a) || parseToolRef(b)) return false;
  const real = (c: string): string | undefined => {
    const p = resolveExecutable(c);
    try {
      return p !== undefined ? realpathSync(p) : undefined;
    } catch {
      return undefined;
    }
  };
  const ra = real(a);
  return ra !== undefined && ra === real(b);
}

/**
 * Flags text as a shell would split it (`-DGREETING="hello world"` is one
 * word), without expanding anything: the compile database's splitter. A
 * construct that needs a shell (`$X`, `;`, an open quote) is an InputError
 * naming where the text came from.
 */
export function splitFlags(text: string, from = 'flags'): string[] {
  try {
    return splitShellWords(text.replace(/[\r\n]+/g, ' '));
  } catch (e) {
    throw new InputError(`cannot split ${JSON.stringify(text)}: ${(e as Error).message}`, { option: from }, { cause: e });
  }
}

function recipeNamed(option: string, name: string): Recipe {
  const r = findRecipe(name);
  if (!r) throw new InputError(`unknown recipe '${name}' (one of: ${RECIPE_NAMES.join(', ')})`, { option });
  return r;
}

function parseTimeout(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InputError(`expected a positive number of seconds, got '${text}'`, { option: '--timeout' });
  return n;
}
