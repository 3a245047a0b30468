/**
 * The report options of `check` and `diff` (format, output file, verbosity,
 * rules) and writing the rendered report where they say: a file, or
 * stdout (colour only for text on a terminal, and never with NO_COLOR).
 * Streamed chunk by chunk (src/report/writer.ts), so a report of 300,000
 * findings never exists as one string; --output may not name an input.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { InputError } from '../errors.js';
import { REPORT_FORMATS, type RenderOptions, type ReportFormat, writeReport } from '../report/render.js';
import type { RunResult } from '../report/run-result.js';
import type { PreparedGate } from './gate.js';
import { writeOut } from './output.js';
import { addRulesOptions, type RulesOption } from './settings.js';

export interface ReportOptions extends RulesOption {
  format: string;
  verbose?: boolean;
  output?: string;
}

/** What emitReport needs of the options (merge and collect have no rules). */
export interface EmitOptions {
  readonly format: string;
  readonly verbose?: boolean;
  readonly output?: string;
}

export function addReportOptions(cmd: Command): Command {
  cmd
    .addOption(
      new Option('--format <format>', 'report format (junit failures and sarif errors are exactly what fails the run under --fail-on/--baseline)')
        .choices([...REPORT_FORMATS])
        .default('text'),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--verbose', "text format: also list 'equivalent' findings (otherwise only counted)");
  return addRulesOptions(cmd);
}

/**
 * Refuse to write `output` (given as `option`, e.g. `--output`) when it is
 * one of the run's input files — the same file, by device and inode, so a
 * different spelling or a link counts too. Checked before the run starts.
 */
export function refuseToOverwriteInputs(option: string, output: string | undefined, inputs: readonly (string | undefined)[]): void {
  if (output === undefined) return;
  let out: ReturnType<typeof statSync>;
  try {
    out = statSync(output);
  } catch {
    return; // does not exist (yet): it cannot be an input
  }
  for (const input of inputs) {
    if (input === undefined) continue;
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(input);
    } catch {
      continue;
    }
    if (st.dev === out.dev && st.ino === out.ino && st.isFile()) {
      throw new InputError(`${option} names the input file ${input}; refusing to overwrite it`, { file: output });
    }
  }
}

/** What junit and sarif need of the gate to tell its story (--fail-on, the baseline and its name). */
function gateOptions(gate: PreparedGate): Pick<RenderOptions, 'gate' | 'baselineName'> {
  if (gate.baseline === undefined) return { gate: { failOn: gate.failOn } };
  return { gate: { failOn: gate.failOn, baseline: gate.baseline.data }, baselineName: gate.baseline.file };
}

/** Render and write the report where asked: a file (--output) or stdout. */
export function emitReport(result: RunResult, opts: EmitOptions, gate: PreparedGate, sources?: Readonly<Record<string, string>>): void {
  const format = opts.format as ReportFormat;
  const common = { verbose: opts.verbose === true, sources, ...gateOptions(gate) };
  if (opts.output === undefined) {
    const color = format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
    writeReport(result, format, { color, ...common }, writeOut);
    return;
  }
  const file = opts.output;
  const fail = (e: unknown): never => {
    throw new InputError(`cannot write report (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file }, { cause: e });
  };
  let fd = -1;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    fail(e);
  }
  try {
    writeReport(result, format, { color: false, ...common }, (chunk) => {
      const bytes = Buffer.from(chunk, 'utf8');
      try {
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      } catch (e) {
        fail(e);
      }
    });
  } finally {
    closeSync(fd);
  }
}
