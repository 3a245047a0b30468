/** `btfparity check [SRC...]`: build BTF through both recipes per source and report the differences. */
import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { summaryLine } from '../report/text.js';
import type { UnitSource } from '../source/unit-source.js';
import { addGateOptions, type GateOptions, gateExitStatus, prepareGate, reportOnStdoutWanted } from './gate.js';
import { stderrLine, writeOut } from './output.js';
import { addRunOptions, type RunOptions, runUnits, sourceTexts } from './run-options.js';
import { RUN_EXIT_HELP } from './exit-status.js';
import { addReportOptions, emitReport, type ReportOptions, refuseToOverwriteInputs } from './report-output.js';
import { addToolchainOptions, resolveCheckSettings, resolveRules, type ToolchainOptions } from './settings.js';

type CheckOptions = ToolchainOptions & ReportOptions & GateOptions & RunOptions;

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('generate BTF from each C source through the left and right recipes and report where they differ')
    .argument('[src...]', 'C sources (default: the embedded probe corpus, corpus/probes/*.c)');
  addToolchainOptions(cmd);
  addRunOptions(cmd);
  addReportOptions(cmd);
  addGateOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Recipes:
  pahole            $CC -g -c SRC -o OBJ; pahole --btf_encode_detached=OUT OBJ
  gcc-btf           $CC -gbtf -c SRC -o OBJ; BTF from the object's .BTF
  clang-bpf         $CLANG --target=bpf -g -c SRC -o OBJ; BTF from the object's .BTF
  clang-bpf-pahole  the same clang BPF object's DWARF encoded by pahole
Settings: option > environment > config file > default.
${RUN_EXIT_HELP}`,
  );
  cmd.action((srcs: string[], opts: CheckOptions) => runCheckCommand(srcs, opts));
}

async function runCheckCommand(srcs: string[], opts: CheckOptions): Promise<void> {
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
  if (reportOnStdoutWanted(opts)) emitReport(result, opts, gate, opts.format === 'sarif' ? sourceTexts(sources) : undefined);
  else writeOut(`${summaryLine(result.summary)}\n`);
  // One line per failed unit on stderr, whatever the report format, so a CI log shows why exit is 3;
  // the unit by a path that exists from the caller's directory.
  const where = callerPaths(sources);
  for (const u of result.units) {
    if (u.error) stderrLine(`${where.get(u.source) ?? u.source}: ${u.error.step}: ${u.error.message}`);
  }
  process.exitCode = gateExitStatus(result, gate);
}

/** Each unit's report name → its path as seen from the caller's directory (relative when below it). */
export function callerPaths(sources: readonly UnitSource[], cwd = process.cwd()): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources) {
    const abs = resolve(s.cwd, s.arg);
    const rel = relative(cwd, abs);
    out.set(s.display, rel === '' || rel.startsWith('../') || rel === '..' ? abs : rel);
  }
  return out;
}
