/** `btfparity check [SRC...]`: build BTF through both recipes per source and report the differences. */
import { resolve } from 'node:path';
import { renderTextSummary } from '../report/text.js';
import type { UnitSource } from '../source/unit-source.js';
import { type GateOptions, gateExitStatus, prepareGate, reportOnStdoutWanted } from './gate.js';
import { stderrLine, writeOut } from './output.js';
import { fromCaller, type RunOptions, runUnits, sourceTexts } from './run-options.js';
import { emitReport, type ReportOptions, refuseToOverwriteInputs, renderOptions } from './report-output.js';
import { resolveCheckSettings, resolveRules, type ToolchainOptions } from './settings.js';

export type CheckOptions = ToolchainOptions & ReportOptions & GateOptions & RunOptions;

export async function runCheckCommand(srcs: string[], opts: CheckOptions): Promise<void> {
  // Every input (config, rules, baseline) is checked before anything is compiled.
  const rulesFiles = Array.isArray(opts.rules) ? opts.rules : [];
  const inputs = [...srcs, opts.compileCommands, opts.config, ...rulesFiles, opts.baseline];
  refuseToOverwriteInputs('--output', opts.output, inputs);
  refuseToOverwriteInputs('--update-baseline', opts.updateBaseline, inputs.slice(0, -1));
  const settings = resolveCheckSettings(opts);
  const rules = resolveRules(opts);
  const gate = prepareGate(opts);
  const { result, sources } = await runUnits(srcs, opts, settings, rules);
  // Only SARIF points at source lines; other formats need no source text.
  // Failed units are named by a path that exists from the caller's directory (report and stderr).
  const where = callerPaths(sources);
  if (reportOnStdoutWanted(opts)) emitReport(result, opts, gate, opts.format === 'sarif' ? sourceTexts(sources) : undefined, where);
  else writeOut(renderTextSummary(result, renderOptions(opts, { unitPaths: where })));
  // One line per failed unit on stderr, whatever the report format, so a CI log shows why exit is 3.
  for (const u of result.units) {
    if (u.error) stderrLine(`${where.get(u.source) ?? u.source}: ${u.error.step}: ${u.error.message}`);
  }
  process.exitCode = gateExitStatus(result, gate);
}

/** Each unit's report name → its path as seen from the caller's directory (relative when below it). */
export function callerPaths(sources: readonly UnitSource[], cwd = process.cwd()): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources) out.set(s.display, fromCaller(resolve(s.cwd, s.arg), cwd));
  return out;
}
