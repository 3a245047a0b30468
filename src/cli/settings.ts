/**
 * Toolchain settings shared by `check`, `triage`, `reduce` and build-wrapper
 * mode: the options, and their resolution with precedence option >
 * environment > config file (config-file.ts) > default; and which rules
 * classify. Every bad value is an InputError (exit 2) naming the option or
 * the file.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { defaultRulesPath, loadRulesFile } from '../findings/rules-file.js';
import type { Rule } from '../findings/rules-schema.js';
import { type CompareConfig, decideSingleCompile } from '../recipe/plan.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, findRecipe, RECIPE_NAMES, type Recipe } from '../recipe/recipes.js';
import { splitShellWords } from '../source/shell-words.js';
import { configFileShown, DEFAULT_CONFIG_FILE, loadConfig } from './config-file.js';

/** Toolchain options as commander hands them over (all optional: absent means "ask env, config, default"). */
export interface ToolchainOptions {
  left?: string;
  right?: string;
  cc?: string;
  clang?: string;
  pahole?: string;
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

export const DEFAULTS = { cc: 'gcc', clang: 'clang-16', pahole: 'pahole', timeout: 60 } as const;

/** Environment variable for each setting that has one. */
export const ENV_VARS = {
  cc: 'BTFPARITY_CC',
  clang: 'BTFPARITY_CLANG',
  pahole: 'BTFPARITY_PAHOLE',
  cflags: 'BTFPARITY_CFLAGS',
  paholeFlags: 'BTFPARITY_PAHOLE_FLAGS',
  timeout: 'BTFPARITY_TIMEOUT',
} as const;

export function addToolchainOptions(cmd: Command): Command {
  return cmd
    .option('--left <recipe>', `recipe of the left side: ${RECIPE_NAMES.join(', ')} (default ${DEFAULT_LEFT_RECIPE})`)
    .option('--right <recipe>', `recipe of the right side (default ${DEFAULT_RIGHT_RECIPE})`)
    .option('--cc <exe>', `C compiler for $CC recipes, looked up on PATH [${ENV_VARS.cc}] (default ${DEFAULTS.cc})`)
    .option('--clang <exe>', `clang for BPF recipes [${ENV_VARS.clang}] (default ${DEFAULTS.clang})`)
    .option('--pahole <exe>', `pahole [${ENV_VARS.pahole}] (default ${DEFAULTS.pahole})`)
    .option('--cflags <flags>', `extra compile flags for both sides, split like a shell would, quotes kept together, nothing expanded [${ENV_VARS.cflags}]`)
    .option('--left-cflags <flags>', 'extra compile flags for the left side only (after --cflags)')
    .option('--right-cflags <flags>', 'extra compile flags for the right side only (after --cflags)')
    .option('--pahole-flags <flags>', `extra pahole flags, e.g. --btf_gen_floats [${ENV_VARS.paholeFlags}]`)
    .option('--timeout <seconds>', `per-step timeout; the step's process group is killed [${ENV_VARS.timeout}] (default ${DEFAULTS.timeout})`)
    .option('--single-compile', "compile once with both sides' debug flags (e.g. -g -gbtf); default when both sides use the same compiler and flags")
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
  const tool = (opt: string | undefined, envName: string, cfg: string | undefined, dflt: string): string => {
    const e = env[envName];
    return opt ?? (e !== undefined && e !== '' ? e : undefined) ?? cfg ?? dflt;
  };
  const cflags = pick('--cflags', opts.cflags, ENV_VARS.cflags, file.cflags) ?? [];
  const left = recipeNamed('--left', opts.left ?? file.left ?? DEFAULT_LEFT_RECIPE);
  const right = recipeNamed('--right', opts.right ?? file.right ?? DEFAULT_RIGHT_RECIPE);
  const leftSide = { recipe: left, cflags: [...cflags, ...(pick('--left-cflags', opts.leftCflags, undefined, file.leftCflags) ?? [])] };
  const rightSide = { recipe: right, cflags: [...cflags, ...(pick('--right-cflags', opts.rightCflags, undefined, file.rightCflags) ?? [])] };
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
      tools: {
        cc: tool(opts.cc, ENV_VARS.cc, file.cc, DEFAULTS.cc),
        clang: tool(opts.clang, ENV_VARS.clang, file.clang, DEFAULTS.clang),
        pahole: tool(opts.pahole, ENV_VARS.pahole, file.pahole, DEFAULTS.pahole),
      },
      singleCompile: decideSingleCompile(leftSide, rightSide, opts.singleCompile ?? file.singleCompile),
    },
  };
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
