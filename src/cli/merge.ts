/**
 * `btfparity merge A.json B.json ...`: one report from the json reports of
 * several runs (e.g. `check --shard K/N` on several machines).
 */
import { InputError } from '../errors.js';
import { readTextFile } from '../io/regular-file.js';
import { mergeRunResults } from '../pipeline/merge-results.js';
import { parseRunResult } from '../report/parse-run-result.js';
import { UnitSpill } from '../pipeline/unit-spill.js';
import { makeRunDir } from '../recipe/cleanup.js';
import type { RunResult } from '../report/run-result.js';
import { renderTextSummary } from '../report/text.js';
import { type GateOptions, gateExitStatus, type PreparedGate, prepareGate, reportOnStdoutWanted } from './gate.js';
import { stderrLine, writeOut } from './output.js';
import { reportSourceTexts, reportUnitPaths, rootOption } from './run-options.js';
import { repositoryRoot } from '../source/files.js';
import { type EmitOptions, emitReport, refuseToOverwriteInputs, renderOptions } from './report-output.js';

export interface MergeOptions extends GateOptions, EmitOptions {
  format: string;
  output?: string;
  root?: string;
}

/** `merge REPORT...`: every input checked, then merged. */
export function runMerge(files: string[], opts: MergeOptions): void {
  refuseToOverwriteInputs('--output', opts.output, files);
  const gate = prepareGate(opts);
  emitMerged(readSpilled(files), opts, gate);
}

/**
 * Every input read, validated and its units spilled (pipeline/unit-spill.ts)
 * one file at a time: memory holds the largest input while it is read, then
 * one unit at a time while the report is written, however many inputs
 * there are (collect reads one small file per object of a kernel build).
 */
export function readSpilled(files: readonly string[]): { name: string; result: RunResult }[] {
  const spill = new UnitSpill(makeRunDir());
  try {
    return files.map((f) => {
      const result = readRunResult(f);
      return { name: f, result: { ...result, units: result.units.map((u) => spill.add(u)) } };
    });
  } finally {
    spill.close();
  }
}

/** Merge, say what disagreed on stderr, write the report, set the exit status. */
export function emitMerged(inputs: { name: string; result: RunResult }[], opts: MergeOptions, gate: PreparedGate): void {
  const { result, notes } = mergeRunResults(inputs);
  for (const n of notes) stderrLine(n);
  const root = opts.root !== undefined ? rootOption(opts.root) : (repositoryRoot(process.cwd()) ?? process.cwd());
  // Failed units by the path the caller opens, as check names them (text report and stderr).
  const where = reportUnitPaths(result, root);
  if (reportOnStdoutWanted(opts)) {
    const sources =
      opts.format === 'sarif'
        ? reportSourceTexts(
            result.units.map((u) => u.source),
            root,
          )
        : undefined;
    emitReport(result, opts, gate, sources, where);
  } else writeOut(renderTextSummary(result, renderOptions(opts, { unitPaths: where })));
  for (const u of result.units) {
    if (u.error) stderrLine(`${where.get(u.source) ?? u.source}: ${u.error.step}: ${u.error.message}`);
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
