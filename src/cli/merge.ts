/**
 * `btfparity merge A.json B.json ...`: one report from the json reports of
 * several runs (e.g. `check --shard K/N` on several machines).
 */
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { mergeRunResults } from '../pipeline/merge-results.js';
import { parseRunResult } from '../report/parse-run-result.js';
import type { RunResult } from '../report/run-result.js';
import { summaryLine } from '../report/text.js';
import { type GateOptions, gateExitStatus, type PreparedGate, prepareGate, reportOnStdoutWanted } from './gate.js';
import { stderrLine, writeOut } from './output.js';
import { reportSourceTexts, rootOption } from './run-options.js';
import { repositoryRoot } from '../source/files.js';
import { emitReport, refuseToOverwriteInputs } from './report-output.js';

export interface MergeOptions extends GateOptions {
  format: string;
  output?: string;
  root?: string;
}

/** `merge REPORT...`: every input checked, then merged. */
export function runMerge(files: string[], opts: MergeOptions): void {
  refuseToOverwriteInputs('--output', opts.output, files);
  const gate = prepareGate(opts);
  emitMerged(
    files.map((f) => ({ name: f, result: readRunResult(f) })),
    opts,
    gate,
  );
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
