/**
 * `btfparity binary --compile-commands DB`: the BTF-archive avenue for a
 * set of units taken as one binary (e.g. a kernel directory): pahole on the
 * `ld -r` linked DWARF against libbpf's dedup of the linked `.BTF` archive.
 * Same report formats and gate options as `check`.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { blockersText } from '../findings/dedup-blockers.js';
import { runBinary } from '../pipeline/binary.js';
import { defaultDedupHelper } from '../recipe/archive.js';
import { summaryLine } from '../report/text.js';
import { RUN_EXIT_HELP } from './exit-status.js';
import { stderrLine, writeOut } from './output.js';
import { addGateOptions, type GateOptions, gateExitStatus, prepareGate, reportOnStdoutWanted } from './gate.js';
import { startProgress } from './progress.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-output.js';
import { resolveInputs, resolveJobs, userChoseCc, withDbCompiler } from './run-options.js';
import { addToolchainOptions, resolveCheckSettings, resolveRules, type ToolchainOptions } from './settings.js';

interface BinaryOptions extends ToolchainOptions, ReportOptions, GateOptions {
  compileCommands?: string;
  select?: string[];
  jobs?: string;
  quiet?: boolean;
  ld: string;
  dedupHelper?: string;
  name?: string;
  blockers?: string;
}

export function registerBinary(program: Command): void {
  const cmd = program
    .command('binary')
    .description(
      'the BTF-archive avenue: compile units with -g -gbtf, link them with ld -r, and compare pahole on the linked DWARF with libbpf btf__dedup of the linked .BTF archive',
    )
    .requiredOption('--compile-commands <file>', 'the units of the binary: a compile_commands.json')
    .option('--select <glob...>', 'only units whose name matches (as for check); `!glob` excludes')
    .option('-j, --jobs <n>', 'units compiled in parallel (default: available cores)')
    .option('--ld <command>', 'linker for `ld -r`', 'ld')
    .option('--dedup-helper <file>', 'the btf-dedup helper built by scripts/setup [BTFPARITY_BTF_DEDUP]')
    .option('--name <name>', 'how the report names the binary (default: the database and selection)')
    .option(
      '--blockers <file>',
      'write the dedup blocker report (why types survive dedup in several copies, causes ranked): text, or JSON when FILE ends in .json',
    )
    .option('-q, --quiet', 'no progress display on stderr');
  addToolchainOptions(cmd);
  addReportOptions(cmd);
  addGateOptions(cmd);
  cmd.addHelpText('after', RUN_EXIT_HELP);
  cmd.action((opts: BinaryOptions) => runBinaryCommand(opts));
}

async function runBinaryCommand(opts: BinaryOptions): Promise<void> {
  if (opts.left !== undefined || opts.right !== undefined)
    throw new InputError('binary compares the fixed pair pahole (linked DWARF) vs archive (libbpf dedup); --left/--right do not apply', {
      option: opts.left !== undefined ? '--left' : '--right',
    });
  const settings = resolveCheckSettings(opts);
  const rules = resolveRules(opts);
  const gate = prepareGate(opts);
  const inputs = resolveInputs([], { compileCommands: opts.compileCommands, select: opts.select }, userChoseCc(opts));
  if (inputs.sources.length === 0) throw new InputError('no unit of the compile database is selected', { option: '--select' });
  const config = withDbCompiler(settings.config, inputs.dbCompiler);
  const progress = startProgress({ total: inputs.sources.length, quiet: opts.quiet === true, tty: process.stderr.isTTY === true });
  const name = opts.name ?? `binary of ${inputs.sources.length} units (${opts.compileCommands}${opts.select ? ` ${opts.select.join(' ')}` : ''})`;
  let outcome: Awaited<ReturnType<typeof runBinary>>;
  try {
    outcome = await runBinary({
      sources: inputs.sources,
      config,
      timeoutSeconds: settings.timeoutSeconds,
      rules,
      jobs: resolveJobs(opts.jobs),
      dedupHelper: opts.dedupHelper ?? defaultDedupHelper(),
      ld: opts.ld,
      name,
      onUnit: (u) => progress.unitDone(0, u.error !== undefined),
    });
  } finally {
    progress.stop();
  }
  if (reportOnStdoutWanted(opts)) emitReport(outcome.result, opts, gate);
  else writeOut(`${summaryLine(outcome.result.summary)}\n`);
  if (opts.blockers !== undefined && outcome.blockers) {
    const b = outcome.blockers;
    const text = opts.blockers.endsWith('.json') ? `${JSON.stringify(b, null, 2)}\n` : blockersText(b);
    try {
      writeFileSync(opts.blockers, text);
    } catch (e) {
      throw new InputError(`cannot write blocker report (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: opts.blockers }, { cause: e });
    }
  }
  for (const u of outcome.result.units) {
    if (u.error) stderrLine(`${u.source}: ${u.error.step}: ${u.error.message}`);
  }
  if (outcome.counts && opts.quiet !== true) {
    const c = outcome.counts;
    const dups = outcome.duplicated ? [...outcome.duplicated.values()] : [];
    process.stderr.write(
      `btfparity: dedup: ${c.blobs} blobs, ${c.typesIn} types in, ${c.typesOut} out (pahole: ${c.left}); ${dups.length} names remain duplicated, ${dups.reduce((a, n) => a + n - 1, 0)} surplus copies\n`,
    );
  }
  process.exitCode = gateExitStatus(outcome.result, gate);
}
