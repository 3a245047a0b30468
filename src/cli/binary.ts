/**
 * `btfparity binary --compile-commands DB`: the BTF-archive avenue for a
 * set of units taken as one binary (e.g. a kernel directory): pahole on the
 * `ld -r` linked DWARF against libbpf's dedup of the linked `.BTF` archive.
 * Same report formats and gate options as `check`.
 */
import { writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { blockersText } from '../findings/dedup-blockers.js';
import { linkerBtfText } from '../findings/linker-btf.js';
import { runBinary } from '../pipeline/binary.js';
import { defaultDedupHelper } from '../recipe/archive.js';
import { renderTextSummary } from '../report/text.js';
import { stderrLine, writeOut } from './output.js';
import { type GateOptions, gateExitStatus, prepareGate, reportOnStdoutWanted } from './gate.js';
import { startProgress } from './progress.js';
import { emitReport, type ReportOptions, renderOptions } from './report-output.js';
import { resolveInputs, resolveJobs, userChoseCc, withDbCompiler } from './run-options.js';
import { resolveCheckSettings, resolveRules, type ToolchainOptions } from './settings.js';

export interface BinaryOptions extends ToolchainOptions, ReportOptions, GateOptions {
  compileCommands?: string;
  select?: string[];
  jobs?: string;
  quiet?: boolean;
  ld: string;
  dedupHelper?: string;
  name?: string;
  blockers?: string;
}

export async function runBinaryCommand(opts: BinaryOptions): Promise<void> {
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
  else writeOut(renderTextSummary(outcome.result, renderOptions(opts)));
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
  if (outcome.linker && opts.quiet !== true) process.stderr.write(`btfparity: ${linkerBtfText(outcome.linker)}\n`);
  process.exitCode = gateExitStatus(outcome.result, gate);
}
