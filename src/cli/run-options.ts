/**
 * Options of multi-unit runs (`check`): where units come from
 * (`--compile-commands`, `--select`, `--shard`) and how they run
 * (`-j`, cache, progress). Bad values are InputErrors (exit 2).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import type { UnitSource } from '../source/unit-source.js';
import { hoistCommonCompiler, sourcesFromCompileDb } from '../source/compile-db.js';
import { corpusProbes, corpusRoot } from '../source/corpus.js';
import { sourcesFromArgs } from '../source/files.js';
import { compileSelection } from '../source/select.js';
import { parseShard, shardSources } from '../source/shard.js';
import type { Rule } from '../findings/rules-schema.js';
import { type CheckOutcome, runCheckWithStats } from '../pipeline/run-check.js';
import type { RunResult } from '../report/run-result.js';
import { loadConfig } from './config-file.js';
import { stderrLine } from './output.js';
import type { CompareConfig, SideConfig } from '../recipe/plan.js';
import { type CheckSettings, type ToolchainOptions, toolChosen } from './settings.js';
import { startProgress } from './progress.js';
import { boundHeapGrowth } from './heap-growth.js';

export interface RunOptions {
  jobs?: string;
  quiet?: boolean;
  /** false with `--no-cache`. */
  cache?: boolean;
  cacheDir?: string;
  /** `check --recompare`: cached units' comparisons are redone. */
  recompare?: boolean;
  compileCommands?: string;
  select?: string[];
  shard?: string;
  root?: string;
}

export function resolveJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`expected a positive integer, got '${text}'`, { option: '--jobs' });
  return n;
}

export function resolveCacheDir(opts: RunOptions): string | undefined {
  return opts.cache === false ? undefined : (opts.cacheDir ?? defaultCacheDir());
}

export interface ResolvedInputs {
  readonly sources: UnitSource[];
  /** The compiler every selected database unit names, when the user chose none (it becomes the run's cc). */
  readonly dbCompiler?: string;
}

/**
 * The units to check: SRC arguments, or the database, or the corpus; then
 * the shard. `userChoseCc`: `--cc`/BTFPARITY_CC/config given, which wins
 * over the compilers the database names.
 */
export function resolveInputs(srcs: readonly string[], opts: RunOptions, userChoseCc: boolean): ResolvedInputs {
  if (opts.compileCommands !== undefined && srcs.length > 0)
    throw new InputError('give either SRC files or --compile-commands, not both', { option: '--compile-commands' });
  if (opts.select !== undefined && opts.compileCommands === undefined) throw new InputError('--select needs --compile-commands', { option: '--select' });
  if (opts.select !== undefined) checkSelect(opts.select);
  let sources: UnitSource[];
  let dbCompiler: string | undefined;
  const root = opts.root !== undefined ? rootOption(opts.root) : undefined;
  if (opts.compileCommands !== undefined) {
    const all = sourcesFromCompileDb(opts.compileCommands, { select: opts.select }, !userChoseCc, root);
    const hoisted = hoistCommonCompiler(all);
    sources = hoisted.sources;
    dbCompiler = hoisted.compiler;
  } else sources = srcs.length > 0 ? sourcesFromArgs(srcs, process.cwd(), root) : corpusProbes();
  if (opts.shard !== undefined) {
    const { k, n } = parseShard(opts.shard);
    sources = shardSources(sources, k, n);
  }
  return { sources, ...(dbCompiler !== undefined ? { dbCompiler } : {}) };
}

/** `--select` globs, valid before the database is read: a bad one is exit 2 naming the option and the pattern. */
function checkSelect(patterns: readonly string[]): void {
  try {
    compileSelection(patterns);
  } catch (e) {
    throw e instanceof InputError ? e.inOption('--select') : e;
  }
}

/** `--root DIR`: an existing directory (exit 2 otherwise), absolute. */
export function rootOption(dir: string): string {
  try {
    if (statSync(dir).isDirectory()) return resolve(dir);
  } catch {
    // reported below
  }
  throw new InputError('not a directory', { option: '--root', file: dir });
}

/**
 * `--cc`, BTFPARITY_CC or the config's `cc` chose the compiler (it then wins
 * over the database's), or a side's own (`--left-cc`, ...): then both sides
 * use their configured compilers, the other side its `--cc` or the default.
 */
export function userChoseCc(opts: ToolchainOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return toolChosen(
    'cc',
    opts,
    env,
    loadConfig(opts.config, process.cwd(), () => {}),
  );
}

/** The run's config with the database's one compiler as every side's cc (the user chose none). */
export function withDbCompiler(config: CompareConfig, dbCompiler: string | undefined): CompareConfig {
  if (dbCompiler === undefined) return config;
  const side = (s: SideConfig): SideConfig => ({ ...s, tools: { ...s.tools, cc: dbCompiler } });
  return { ...config, left: side(config.left), right: side(config.right) };
}

/**
 * Run the units `check` was asked for: inputs, pool, progress on stderr,
 * and one line of cache statistics (stderr, not part of the report).
 */
export async function runUnits(
  srcs: readonly string[],
  opts: RunOptions & ToolchainOptions,
  settings: CheckSettings,
  rules: readonly Rule[],
): Promise<{ result: RunResult; sources: readonly UnitSource[] }> {
  // Before the first unit: the heap then follows the largest unit, not the run's length.
  boundHeapGrowth();
  const jobs = resolveJobs(opts.jobs);
  const inputs = resolveInputs(srcs, opts, userChoseCc(opts));
  const config = withDbCompiler(settings.config, inputs.dbCompiler);
  const cacheDir = resolveCacheDir(opts);
  const progress = startProgress({ total: inputs.sources.length, quiet: opts.quiet === true, tty: process.stderr.isTTY === true });
  let outcome: CheckOutcome;
  try {
    outcome = await runCheckWithStats({
      sources: inputs.sources,
      config,
      timeoutSeconds: settings.timeoutSeconds,
      rules,
      jobs,
      cacheDir,
      reuseComparisons: opts.recompare !== true,
      onUnit: (u, _index, _total, counts) => progress.unitDone(counts.findings, u.error !== undefined),
    });
  } finally {
    progress.stop();
  }
  // Interactive runs only: scripts and CI parse stderr for failures, not statistics.
  if (outcome.cache && opts.quiet !== true && process.stderr.isTTY === true) {
    stderrLine(`cache ${cacheDir}: ${outcome.cache.hits} hits, ${outcome.cache.misses} misses`);
  }
  return { result: outcome.result, sources: inputs.sources };
}

/**
 * Each unit's source text by its report name, so SARIF results can point at
 * the declaration's line; read when asked for, one unit at a time. A source
 * that cannot be read has no text: its results then carry the file without
 * a line.
 */
export function sourceTexts(sources: readonly UnitSource[]): (name: string) => string | undefined {
  return readSources(sources.map((s) => ({ name: s.display, candidates: [resolve(s.cwd, s.arg)] })));
}

/**
 * The same for a report read back (`merge`, `collect`), which names units
 * only: a relative name is looked up under `root` (as `check` named it with
 * the same `--root`), then in the embedded corpus (`probes/NN-name.c`). So a
 * merge of shard reports run where the shards ran locates what `check` did.
 */
export function reportSourceTexts(names: readonly string[], root: string): (name: string) => string | undefined {
  return readSources(names.map((name) => ({ name, candidates: isAbsolute(name) ? [name] : [resolve(root, name), resolve(corpusRoot(), name)] })));
}

/** A file as the caller names it: relative to their directory when below it, else absolute. */
export function fromCaller(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('../') || rel === '..' ? abs : rel;
}

/**
 * Where the caller finds each failed unit of a report read back (`merge`,
 * `collect`), looked up as reportSourceTexts does (under `root`, then in the
 * corpus): so the text report and stderr name it as `check` did. A unit not
 * found keeps its report name.
 */
export function reportUnitPaths(result: RunResult, root: string, cwd = process.cwd()): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of result.units) {
    if (!u.error) continue;
    const candidates = isAbsolute(u.source) ? [u.source] : [resolve(root, u.source), resolve(corpusRoot(), u.source)];
    const found = candidates.find((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (found !== undefined) out.set(u.source, fromCaller(found, cwd));
  }
  return out;
}

/**
 * Each name's text, read when asked for (SARIF asks unit by unit, so the
 * texts of a run are never all held): the first candidate that reads; of a
 * name given twice, the last occurrence that reads.
 */
function readSources(wanted: readonly { name: string; candidates: readonly string[] }[]): (name: string) => string | undefined {
  const byName = new Map<string, (readonly string[])[]>();
  for (const { name, candidates } of wanted) {
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, [candidates]);
    else seen.push(candidates);
  }
  return (name) => {
    const occurrences = byName.get(name) ?? [];
    for (let i = occurrences.length - 1; i >= 0; i--) {
      for (const file of occurrences[i]) {
        try {
          return readTextFile(file, { expected: 'a C source' });
        } catch {
          // unreadable here (deleted, permissions, another checkout): try the next, else no line numbers
        }
      }
    }
    return undefined;
  };
}
