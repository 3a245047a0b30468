/**
 * Options shared by `check` and `diff`: toolchain settings, resolved with
 * precedence option > environment > config file > default, and the report
 * options (format, output). Every bad value is an InputError (exit 2).
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { EXIT, type ExitCode, InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { stderrLine as writeStderrLine } from './output.js';
import { defaultRulesPath, loadRulesFile } from '../findings/rules-file.js';
import type { Rule } from '../findings/rules.js';
import { REPORT_FORMATS } from '../report/render.js';
import type { RunResult } from '../report/run-result.js';
import { decideSingleCompile, type CompareConfig } from '../recipe/plan.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, findRecipe, RECIPE_NAMES, type Recipe } from '../recipe/recipes.js';

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

export interface ReportOptions {
  format: string;
  verbose?: boolean;
  output?: string;
  /** A rules file, or false for `--no-rules`; absent: the shipped rules when present. */
  rules?: string | false;
}

export const DEFAULTS = { cc: 'gcc', clang: 'clang-16', pahole: 'pahole', timeout: 60 } as const;
export const DEFAULT_CONFIG_FILE = 'btfparity.json';

/** Environment variable for each setting that has one. */
export const ENV_VARS = {
  cc: 'BTFPARITY_CC',
  clang: 'BTFPARITY_CLANG',
  pahole: 'BTFPARITY_PAHOLE',
  cflags: 'BTFPARITY_CFLAGS',
  paholeFlags: 'BTFPARITY_PAHOLE_FLAGS',
  timeout: 'BTFPARITY_TIMEOUT',
} as const;

/** Keys a config file may set, with the JSON type each takes. */
const CONFIG_KEYS = {
  left: 'string',
  right: 'string',
  cc: 'string',
  clang: 'string',
  pahole: 'string',
  cflags: 'flags',
  leftCflags: 'flags',
  rightCflags: 'flags',
  paholeFlags: 'flags',
  timeout: 'number',
  singleCompile: 'boolean',
} as const;
type ConfigKey = keyof typeof CONFIG_KEYS;
/** A validated config file; flags may be one string (split on whitespace) or an array. */
export interface ConfigFile {
  left?: string;
  right?: string;
  cc?: string;
  clang?: string;
  pahole?: string;
  cflags?: string | string[];
  leftCflags?: string | string[];
  rightCflags?: string | string[];
  paholeFlags?: string | string[];
  timeout?: number;
  singleCompile?: boolean;
}

export function addToolchainOptions(cmd: Command): Command {
  return cmd
    .option('--left <recipe>', `recipe of the left side: ${RECIPE_NAMES.join(', ')} (default ${DEFAULT_LEFT_RECIPE})`)
    .option('--right <recipe>', `recipe of the right side (default ${DEFAULT_RIGHT_RECIPE})`)
    .option('--cc <exe>', `C compiler for $CC recipes, looked up on PATH [${ENV_VARS.cc}] (default ${DEFAULTS.cc})`)
    .option('--clang <exe>', `clang for BPF recipes [${ENV_VARS.clang}] (default ${DEFAULTS.clang})`)
    .option('--pahole <exe>', `pahole [${ENV_VARS.pahole}] (default ${DEFAULTS.pahole})`)
    .option('--cflags <flags>', `extra compile flags for both sides, split on whitespace [${ENV_VARS.cflags}]`)
    .option('--left-cflags <flags>', 'extra compile flags for the left side only (after --cflags)')
    .option('--right-cflags <flags>', 'extra compile flags for the right side only (after --cflags)')
    .option('--pahole-flags <flags>', `extra pahole flags, e.g. --btf_gen_floats [${ENV_VARS.paholeFlags}]`)
    .option('--timeout <seconds>', `per-step timeout; the step's process group is killed [${ENV_VARS.timeout}] (default ${DEFAULTS.timeout})`)
    .option('--single-compile', "compile once with both sides' debug flags (e.g. -g -gbtf); default when both sides use the same compiler and flags")
    .option('--no-single-compile', 'compile separately for each side')
    .option('--config <file>', `JSON config file (default ./${DEFAULT_CONFIG_FILE} if present)`);
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--verbose', "text format: also list 'equivalent' findings (otherwise only counted)")
    .option('--rules <file>', 'known-divergence rules (default: the rules/known-divergences.json shipped with btfparity)')
    .option('--no-rules', 'classify with no rules: every finding not equivalent is unexplained');
}

/** The known-divergence rules for classification (an unreadable or invalid file is exit 2). */
export function resolveRules(opts: ReportOptions): Rule[] {
  if (opts.rules === false) return [];
  if (typeof opts.rules === 'string') return loadRulesFile(opts.rules);
  const shipped = defaultRulesPath();
  return existsSync(shipped) ? loadRulesFile(shipped) : [];
}

/** Read the config file: the one named, else ./btfparity.json when it exists, else none. */
export function loadConfig(path: string | undefined, cwd = process.cwd(), warn: (msg: string) => void = stderrLine): ConfigFile {
  const file = path ?? (existsSync(`${cwd}/${DEFAULT_CONFIG_FILE}`) ? `${cwd}/${DEFAULT_CONFIG_FILE}` : undefined);
  if (!file) return {};
  const shown = path ?? `./${DEFAULT_CONFIG_FILE}`;
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file, { expected: 'a JSON config', failure: (code) => `cannot read config (${code})` }));
  } catch (e) {
    throw new InputError(e instanceof InputError ? e.reason : `invalid JSON: ${(e as Error).message}`, { file: shown });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError('config must be a JSON object', { file: shown });
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!Object.hasOwn(CONFIG_KEYS, key)) {
      // Other commands may keep their own keys here later; say so rather than fail.
      warn(`${shown}: ignoring unknown key '${key}' (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
      continue;
    }
    const want = CONFIG_KEYS[key as ConfigKey];
    const ok = want === 'flags' ? typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')) : typeof value === want;
    if (!ok) throw new InputError(`'${key}' must be ${want === 'flags' ? 'a string or an array of strings' : `a ${want}`}`, { file: shown });
    out[key] = value;
  }
  return out as ConfigFile;
}

export interface CheckSettings {
  readonly config: CompareConfig;
  readonly timeoutSeconds: number;
}

/** Resolve every toolchain setting (option > environment > config > default). */
export function resolveCheckSettings(opts: ToolchainOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CheckSettings {
  const file = loadConfig(opts.config, cwd);
  const pick = (opt: string | undefined, envName: string | undefined, cfg: string | string[] | undefined): string[] | undefined => {
    if (opt !== undefined) return splitFlags(opt);
    const e = envName ? env[envName] : undefined;
    if (e !== undefined && e !== '') return splitFlags(e);
    if (cfg !== undefined) return typeof cfg === 'string' ? splitFlags(cfg) : [...cfg];
    return undefined;
  };
  const tool = (opt: string | undefined, envName: string, cfg: string | undefined, dflt: string): string => {
    const e = env[envName];
    return opt ?? (e !== undefined && e !== '' ? e : undefined) ?? cfg ?? dflt;
  };
  const cflags = pick(opts.cflags, ENV_VARS.cflags, file.cflags) ?? [];
  const left = recipeNamed('--left', opts.left ?? file.left ?? DEFAULT_LEFT_RECIPE);
  const right = recipeNamed('--right', opts.right ?? file.right ?? DEFAULT_RIGHT_RECIPE);
  const leftSide = { recipe: left, cflags: [...cflags, ...(pick(opts.leftCflags, undefined, file.leftCflags) ?? [])] };
  const rightSide = { recipe: right, cflags: [...cflags, ...(pick(opts.rightCflags, undefined, file.rightCflags) ?? [])] };
  const timeoutText = opts.timeout ?? (env[ENV_VARS.timeout] || undefined);
  const timeoutSeconds = timeoutText !== undefined ? parseTimeout(timeoutText) : (file.timeout ?? DEFAULTS.timeout);
  if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds))
    throw new InputError(`'timeout' must be a positive number of seconds, got ${timeoutSeconds}`, { file: opts.config ?? `./${DEFAULT_CONFIG_FILE}` });
  return {
    timeoutSeconds,
    config: {
      left: leftSide,
      right: rightSide,
      paholeFlags: pick(opts.paholeFlags, ENV_VARS.paholeFlags, file.paholeFlags) ?? [],
      tools: {
        cc: tool(opts.cc, ENV_VARS.cc, file.cc, DEFAULTS.cc),
        clang: tool(opts.clang, ENV_VARS.clang, file.clang, DEFAULTS.clang),
        pahole: tool(opts.pahole, ENV_VARS.pahole, file.pahole, DEFAULTS.pahole),
      },
      singleCompile: decideSingleCompile(leftSide, rightSide, opts.singleCompile ?? file.singleCompile),
    },
  };
}

export function splitFlags(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '');
}

function recipeNamed(option: string, name: string): Recipe {
  const r = findRecipe(name);
  if (!r) throw new InputError(`unknown recipe '${name}' (one of: ${RECIPE_NAMES.join(', ')})`, { file: option });
  return r;
}

function parseTimeout(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InputError(`expected a positive number of seconds, got '${text}'`, { file: '--timeout' });
  return n;
}

export { emitReport } from './emit-report.js';

function stderrLine(msg: string): void {
  writeStderrLine(`btfparity: ${msg}`);
}

/**
 * Exit status of a finished run, in this order:
 * 3 when any unit failed (the run is incomplete, so a clean-looking
 *   report must not pass a gate), even if other units have findings;
 * 1 when any finding is not `equivalent` (known or unexplained);
 * 0 otherwise.
 */
export function runExitStatus(result: RunResult): ExitCode {
  if (result.units.some((u) => u.error)) return EXIT.TOOLCHAIN;
  if (result.units.some((u) => u.findings.some((f) => f.status !== 'equivalent'))) return EXIT.FINDINGS;
  return EXIT.OK;
}

export const RUN_EXIT_HELP = `
Exit status:
  0  no findings, or only 'equivalent' ones (same meaning, different representation)
  1  findings with status 'known' or 'unexplained'
  2  usage error or bad input (unknown option or recipe, missing file, malformed ELF/BTF or config)
  3  toolchain failure: a tool is missing (one line, no report), or at least one unit failed
     in a toolchain step (compiler error, timeout). The report is still written and lists the
     failed units; 3 wins over 1 because the run is incomplete.
128+N  ended by signal N (130 SIGINT/Ctrl-C, 143 SIGTERM): running tools are stopped, temp files removed.`;
