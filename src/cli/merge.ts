/**
 * `btfparity merge A.json B.json ...`: one report from the json reports of
 * several runs (e.g. `check --shard K/N` on several machines).
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { InputError } from '../errors.js';
import { mergeRunResults } from '../pipeline/merge-results.js';
import { REPORT_FORMATS } from '../report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult } from '../report/run-result.js';
import { summaryLine } from '../report/text.js';
import { RUN_EXIT_HELP } from './exit-status.js';
import { addGateOptions, type GateOptions, gateExitStatus, type PreparedGate, prepareGate, reportOnStdoutWanted } from './gate.js';
import { writeOut } from './output.js';
import { emitReport } from './report-output.js';

export interface MergeOptions extends GateOptions {
  format: string;
  output?: string;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('combine json reports of several runs (shards) into one report: units sorted by source, summary recomputed')
    .argument('<report...>', 'json reports (`check --format json`)');
  addMergeOutputOptions(cmd);
  cmd.addHelpText('after', `\nToolchains and recipes should agree; when they do not, stderr says so and the report lists each.\n${RUN_EXIT_HELP}`);
  cmd.action((files: string[], opts: MergeOptions) => {
    const gate = prepareGate(opts);
    emitMerged(
      files.map((f) => ({ name: f, result: readRunResult(f) })),
      opts,
      gate,
    );
  });
}

/** Report and gate options of `merge` and `collect`. */
export function addMergeOutputOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('--output <file>', 'write the report to FILE instead of stdout');
  return addGateOptions(cmd);
}

/** Merge, say what disagreed on stderr, write the report, set the exit status. */
export function emitMerged(inputs: { name: string; result: RunResult }[], opts: MergeOptions, gate: PreparedGate): void {
  const { result, notes } = mergeRunResults(inputs);
  for (const n of notes) process.stderr.write(`btfparity: ${n}\n`);
  if (reportOnStdoutWanted(opts)) emitReport(result, { format: opts.format, output: opts.output });
  else writeOut(`${summaryLine(result.summary)}\n`);
  for (const u of result.units) {
    if (u.error) process.stderr.write(`btfparity: ${u.source}: ${u.error.step}: ${u.error.message}\n`);
  }
  process.exitCode = gateExitStatus(result, gate);
}

/** A json report, checked just enough that merging it cannot go wrong silently. */
export function readRunResult(file: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code ? `cannot read (${code})` : `not valid JSON (${(e as Error).message})`, { file }, { cause: e });
  }
  const r = data as Partial<RunResult> | null;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.units) || !Array.isArray(r.toolchain) || !Array.isArray(r.recipes)) {
    throw new InputError('not a btfparity json report (expected units, toolchain, recipes)', { file });
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) throw new InputError(`report schema version ${r.schemaVersion}, expected ${REPORT_SCHEMA_VERSION}`, { file });
  return r as RunResult;
}
