/**
 * `btfparity merge A.json B.json ...`: one report from the json reports of
 * several runs (e.g. `check --shard K/N` on several machines).
 */
import { type Command, Option } from 'commander';
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { mergeRunResults } from '../pipeline/merge-results.js';
import { REPORT_FORMATS } from '../report/render.js';
import { parseRunResult } from '../report/parse-run-result.js';
import type { RunResult } from '../report/run-result.js';
import { summaryLine } from '../report/text.js';
import { RUN_EXIT_HELP } from './exit-status.js';
import { addGateOptions, type GateOptions, gateExitStatus, type PreparedGate, prepareGate, reportOnStdoutWanted } from './gate.js';
import { stderrLine, writeOut } from './output.js';
import { reportSourceTexts, rootOption } from './run-options.js';
import { repositoryRoot } from '../source/files.js';
import { emitReport, refuseToOverwriteInputs } from './report-output.js';

export interface MergeOptions extends GateOptions {
  format: string;
  output?: string;
  root?: string;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('combine json reports of several runs (shards) into one report: units sorted by source, summary recomputed')
    .argument('<report...>', 'json reports (`check --format json`)');
  addMergeOutputOptions(cmd);
  cmd.addHelpText('after', `\nToolchains and recipes should agree; when they do not, stderr says so and the report lists each.\n${RUN_EXIT_HELP}`);
  cmd.action((files: string[], opts: MergeOptions) => {
    refuseToOverwriteInputs('--output', opts.output, files);
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
    .addOption(
      new Option('--format <format>', 'report format (junit failures and sarif errors are exactly what fails the run under --fail-on/--baseline)')
        .choices([...REPORT_FORMATS])
        .default('text'),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option(
      '--root <dir>',
      "where the reports' relative unit names are found, for SARIF line numbers (default: the git repository holding the current directory, else the current directory; the embedded corpus's probes are found in it)",
    );
  return addGateOptions(cmd);
}

/** Merge, say what disagreed on stderr, write the report, set the exit status. */
export function emitMerged(inputs: { name: string; result: RunResult }[], opts: MergeOptions, gate: PreparedGate): void {
  const { result, notes } = mergeRunResults(inputs);
  for (const n of notes) stderrLine(n);
  if (reportOnStdoutWanted(opts)) {
    const root = opts.root !== undefined ? rootOption(opts.root) : (repositoryRoot(process.cwd()) ?? process.cwd());
    const sources =
      opts.format === 'sarif'
        ? reportSourceTexts(
            result.units.map((u) => u.source),
            root,
          )
        : undefined;
    emitReport(result, { format: opts.format, output: opts.output }, gate, sources);
  } else writeOut(`${summaryLine(result.summary)}\n`);
  for (const u of result.units) {
    if (u.error) stderrLine(`${u.source}: ${u.error.step}: ${u.error.message}`);
  }
  process.exitCode = gateExitStatus(result, gate);
}

/** A json report, validated field by field (src/report/parse-run-result.ts) before it is merged. */
export function readRunResult(file: string): RunResult {
  const text = readTextFile(file, { expected: 'a btfparity json report' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file }, { cause: e });
  }
  try {
    return parseRunResult(data);
  } catch (e) {
    throw e instanceof InputError ? e.inFile(file) : e;
  }
}
