/**
 * Toolchain settings shared by `check`, `triage`, `reduce` and build-wrapper
 * mode: their resolution (the options themselves: options.ts) with precedence option >
 * environment > config file (config-file.ts) > default; and which rules
 * classify. Every bad value is an InputError (exit 2) naming the option or
 * the file.
 */
import { existsSync, realpathSync } from 'node:fs';
import { InputError } from '../errors.js';
import { defaultRulesPath, loadRulesFile } from '../findings/rules-file.js';
import type { Rule } from '../findings/rules-schema.js';
import { majorMinor } from '../recipe/pahole-flags.js';
import { type CompareConfig, decideSingleCompile, type ToolCommands } from '../recipe/plan.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, findRecipe, RECIPE_NAMES, type Recipe, type ToolRole } from '../recipe/recipes.js';
import { resolveExecutable } from '../recipe/tools.js';
import { splitShellWords } from '../source/shell-words.js';
import { parseToolRef } from '../toolchain/tool-ref.js';
import { type ConfigFile, configFileShown, configTool, loadConfig } from './config-file.js';
import { DEFAULTS, ENV_VARS } from './options.js';
import { type SettingScope, TOOL_SETTINGS, toolSettingNames } from './tool-settings.js';

// Defined with the options that state them in --help; resolved here.
export { DEFAULTS, ENV_VARS } from './options.js';

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
  return resolveSettingsFrom(opts, env, loadConfig(opts.config, cwd), configFileShown(opts.config));
}

/**
 * The same from a config already read (`shown`: how messages name where it
 * came from): `matrix` resolves each pair of its pairs file this way.
 */
export function resolveSettingsFrom(opts: ToolchainOptions, env: NodeJS.ProcessEnv, file: ConfigFile, shown: string): CheckSettings {
  const pick = (option: string, opt: string | undefined, envName: string | undefined, cfg: string | string[] | undefined): string[] | undefined => {
    if (opt !== undefined) return splitFlags(opt, option);
    const e = envName ? env[envName] : undefined;
    if (e !== undefined && e !== '') return splitFlags(e, envName);
    if (cfg !== undefined) return typeof cfg === 'string' ? splitFlags(cfg, shown) : [...cfg];
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
    throw new InputError(`'timeout' must be a positive number of seconds, got ${timeoutSeconds}`, { file: shown });
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
