/**
 * `btfparity matrix --pairs FILE [SRC... | --compile-commands DB]`: the
 * same units checked with every pair of the pairs file (matrix-pairs.ts),
 * each pair one run of the check pipeline (pipeline/run-check.ts, with the
 * artifact cache), and the table of divergence classes × pairs
 * (report/matrix.ts) written as markdown, json or HTML.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Rule } from '../findings/rules-schema.js';
import { detectToolchain, runCheckWithStats } from '../pipeline/run-check.js';
import type { MatrixFormat } from '../report/formats.js';
import { buildMatrix, type PairRun } from '../report/matrix.js';
import { renderMatrix } from '../report/matrix-render.js';
import type { UnitSource } from '../source/unit-source.js';
import { type MatrixPairSpec, loadPairsFile } from './matrix-pairs.js';
import { writeOut } from './output.js';
import { startProgress } from './progress.js';
import { refuseToOverwriteInputs } from './report-output.js';
import { resolveCacheDir, resolveInputs, resolveJobs, type RunOptions, withDbCompiler } from './run-options.js';
import { type CheckSettings, type RulesOption, resolveRules, resolveSettingsFrom, toolChosen } from './settings.js';

export interface MatrixOptions extends RunOptions, RulesOption {
  pairs: string;
  format: MatrixFormat;
  output?: string;
  timeout?: string;
}

interface PreparedPair {
  readonly name: string;
  readonly settings: CheckSettings;
  readonly sources: readonly UnitSource[];
}

export async function runMatrixCommand(srcs: string[], opts: MatrixOptions): Promise<void> {
  const rulesFiles = Array.isArray(opts.rules) ? opts.rules : [];
  refuseToOverwriteInputs('--output', opts.output, [...srcs, opts.compileCommands, opts.pairs, ...rulesFiles]);
  // Every input is checked, and every pair's tools found, before the first unit is compiled.
  const pairs = loadPairsFile(opts.pairs).map((spec, i) => preparePair(spec, i, srcs, opts));
  const rules = resolveRules(opts);
  const jobs = resolveJobs(opts.jobs);
  for (const p of pairs) await detectToolchain(p.settings.config, p.settings.timeoutSeconds);
  const runs = await runPairs(pairs, rules, jobs, opts);
  writeMatrix(renderMatrix(buildMatrix(runs), opts.format), opts.output);
}

/** One pair's settings (resolved like a config file, nothing else read) and units. */
function preparePair(spec: MatrixPairSpec, index: number, srcs: readonly string[], opts: MatrixOptions): PreparedPair {
  const shown = `${opts.pairs}: pairs[${index}] (${spec.name})`;
  const timeout = opts.timeout !== undefined && spec.config.timeout === undefined ? { timeout: opts.timeout } : {};
  let settings: CheckSettings;
  try {
    settings = resolveSettingsFrom(timeout, {}, spec.config, shown);
  } catch (e) {
    throw e instanceof InputError && e.where.option !== '--timeout' ? new InputError(e.reason, { file: shown }, { cause: e }) : e;
  }
  // A pair that names no compiler runs the compiler a compile database names, as check does.
  const inputs = resolveInputs(srcs, opts, toolChosen('cc', {}, {}, spec.config));
  return {
    name: spec.name,
    settings: { ...settings, config: withDbCompiler(settings.config, inputs.dbCompiler) },
    sources: inputs.sources,
  };
}

async function runPairs(pairs: readonly PreparedPair[], rules: readonly Rule[], jobs: number, opts: MatrixOptions): Promise<PairRun[]> {
  const total = pairs.reduce((n, p) => n + p.sources.length, 0);
  const progress = startProgress({ total, quiet: opts.quiet === true, tty: process.stderr.isTTY === true });
  const runs: PairRun[] = [];
  try {
    for (const p of pairs) {
      const outcome = await runCheckWithStats({
        sources: p.sources,
        config: p.settings.config,
        timeoutSeconds: p.settings.timeoutSeconds,
        rules,
        jobs,
        cacheDir: resolveCacheDir(opts),
        onUnit: (u, _index, _total, counts) => progress.unitDone(counts.findings, u.error !== undefined),
      });
      runs.push({ name: p.name, result: outcome.result });
    }
  } finally {
    progress.stop();
  }
  return runs;
}

function writeMatrix(text: string, output: string | undefined): void {
  if (output === undefined) {
    writeOut(text);
    return;
  }
  let fd = -1;
  try {
    fd = openSync(output, 'w');
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
  } catch (e) {
    throw new InputError(`cannot write matrix (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: output }, { cause: e });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
