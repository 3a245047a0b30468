/**
 * The options commands share, as `--help` lists them: toolchain, rules,
 * multi-unit runs, reports and the gate. Only commander and data here:
 * every command registers these at start-up (src/cli/program.ts), so what resolves
 * or checks their values lives in the modules the actions load
 * (settings.ts, run-options.ts, report-output.ts, gate.ts).
 */
import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { NEWEST_KERNEL } from '../recipe/pahole-flags.js';
import { DEFAULT_LEFT_RECIPE, DEFAULT_RIGHT_RECIPE, RECIPE_NAMES } from '../recipe/recipes.js';
import { DEFAULT_BASELINE_FAIL_ON, DEFAULT_FAIL_ON, FAIL_ON } from '../report/fail-on.js';
import { parseOnly, REPORT_FORMATS } from '../report/formats.js';
import { DEFAULT_CONFIG_FILE } from './config-file.js';
import { TOOL_SETTINGS, toolSettingNames } from './tool-settings.js';

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

/** The timeout default (`--help` states it; settings.ts resolves it; tool defaults: tool-settings.ts). */
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

/** `shard: false`: a command whose output `merge` cannot combine (matrix) has no `--shard`; `recompare`: `check`'s `--recompare`. */
export function addRunOptions(cmd: Command, { shard = true, recompare = false } = {}): Command {
  cmd
    .option('-j, --jobs <n>', `units checked in parallel (default: available cores, here ${availableParallelism()})`)
    .option('--compile-commands <file>', 'check the units of a compile_commands.json, each with its own flags and directory')
    .option(
      '--select <glob...>',
      'with --compile-commands: only units whose name (path relative to the database directory, or to the tree its entries run in) matches; `**` spans directories, `!glob` excludes',
    )
    .option(
      '--root <dir>',
      'name units (in reports and baseline keys) relative to DIR (default: the git repository holding the current directory, else the current directory; with --compile-commands the database directory)',
    );
  if (shard) cmd.option('--shard <K/N>', 'check only shard K of N (stable hash of each unit name; combine shard reports with `btfparity merge`)');
  cmd
    .option('--cache-dir <dir>', `artifact cache directory [BTFPARITY_CACHE_DIR] (default ${defaultCacheDir()})`)
    .option('--no-cache', 'do not read or write the artifact cache');
  if (recompare) cmd.option('--recompare', 'rerun the comparison for cached units; the toolchain steps stay cached');
  return cmd.option('-q, --quiet', 'no progress display on stderr');
}

/** The one table of report options, shared by every command that writes a run report. */
export function addReportFormatOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--format <format>',
        'report format (junit failures and sarif errors are exactly what fails the run under --fail-on/--baseline; email: plain ASCII, at most 78 columns, for a mailing list)',
      )
        .choices([...REPORT_FORMATS])
        .default('text'),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--verbose', 'text and email: list every finding in full, with rule explanations, references and affected entities')
    .option('--all', 'text and email: list known and equivalent findings in full (default: one line per rule or normalisation)')
    .addOption(
      new Option(
        '--only <statuses>',
        'text and email: list only findings of these statuses (unexplained, known, equivalent; comma-separated); the summary still counts all',
      ).argParser(parseOnly),
    )
    .option('--summary', 'text and email: print the summary only (units, failures, counts by status, category and rule)')
    .option('--ascii', 'text: ASCII only (-> for the arrow; default when LC_ALL/LC_CTYPE/LANG is set to a non-UTF-8 locale)');
}

export function addReportOptions(cmd: Command): Command {
  return addRulesOptions(addReportFormatOptions(cmd));
}

export function addGateOptions(cmd: Command): Command {
  return cmd
    .option('--baseline <file>', 'fail only on findings (and unit failures) not recorded in this baseline, or recorded with another status')
    .option('--update-baseline <file>', 'record the findings and unit failures of this run as the accepted baseline (prints the summary, not the report)')
    .addOption(
      new Option(
        '--fail-on <which>',
        `which findings fail the run: 'any' (equivalent ones too), 'known' (known and unexplained), 'unexplained' (default: ${DEFAULT_FAIL_ON}; with --baseline: ${DEFAULT_BASELINE_FAIL_ON}, of the new and changed findings)`,
      ).choices([...FAIL_ON]),
    );
}

/** Report and gate options of `merge` and `collect`. */
export function addMergeOutputOptions(cmd: Command): Command {
  addReportFormatOptions(cmd).option(
    '--root <dir>',
    "where the reports' relative unit names are found, for SARIF line numbers and the paths of failed units (default: the git repository holding the current directory, else the current directory; the embedded corpus's probes are found in it)",
  );
  return addGateOptions(cmd);
}
