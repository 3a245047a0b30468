/**
 * Toolchain settings shared by `check`, `triage`, `reduce` and build-wrapper
 * mode: their resolution (the options themselves: options.ts) with precedence option >
 * environment > config file (config-file.ts) > default; and which rules
 * classify. Every bad value is an InputError (exit 2) naming the option or
 * the file.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { defaultRulesPath, loadRulesFile } from '../findings/rules-file.js';
import type { Rule } from '../findings/rules-schema.js';
import { type CompareConfig, decideSingleCompile } from '../recipe/plan.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, findRecipe, RECIPE_NAMES, type Recipe } from '../recipe/recipes.js';
import { splitShellWords } from '../source/shell-words.js';
import { configFileShown, loadConfig } from './config-file.js';
import { DEFAULTS, ENV_VARS } from './options.js';

// Defined with the options that state them in --help; resolved here.
export { DEFAULTS, ENV_VARS } from './options.js';

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
