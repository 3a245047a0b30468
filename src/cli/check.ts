/** `btfparity check [SRC...]`: build BTF through both recipes per source and report the differences. */
import type { Command } from 'commander';
import { addGateOptions, GATE_EXIT_HELP, type GateOptions, gateExitStatus } from './gate.js';
import { stderrLine } from './output.js';
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
${RUN_EXIT_HELP}
${GATE_EXIT_HELP}`,
  );
  cmd.action((srcs: string[], opts: CheckOptions) => runCheckCommand(srcs, opts));
}

async function runCheckCommand(srcs: string[], opts: CheckOptions): Promise<void> {
  const inputs = [...srcs, opts.compileCommands, opts.config, typeof opts.rules === 'string' ? opts.rules : undefined, opts.baseline];
  refuseToOverwriteInputs('--output', opts.output, inputs);
  refuseToOverwriteInputs('--update-baseline', opts.updateBaseline, inputs.slice(0, -1));
  const settings = resolveCheckSettings(opts);
  const rules = resolveRules(opts);
  const { result, sources } = await runUnits(srcs, opts, settings, rules);
  // Only SARIF points at source lines; other formats need no source text.
  emitReport(result, opts, opts.format === 'sarif' ? sourceTexts(sources) : undefined);
  // One line per failed unit on stderr, whatever the report format, so a CI log shows why exit is 3.
  for (const u of result.units) {
    if (u.error) stderrLine(`${u.source}: ${u.error.step}: ${u.error.message}`);
  }
  process.exitCode = gateExitStatus(result, opts);
}
