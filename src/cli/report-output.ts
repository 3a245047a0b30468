/**
 * The report options of `check` and `diff` (format, output file, verbosity,
 * rules) and writing the rendered report where they say: a file, or
 * stdout (colour only for text on a terminal, and never with NO_COLOR).
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { InputError } from '../errors.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render.js';
import type { RunResult } from '../report/run-result.js';
import { writeOut } from './output.js';
import { addRulesOptions, type RulesOption } from './settings.js';

export interface ReportOptions extends RulesOption {
  format: string;
  verbose?: boolean;
  output?: string;
}

export function addReportOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--verbose', "text format: also list 'equivalent' findings (otherwise only counted)");
  return addRulesOptions(cmd);
}

/** Render and write the report where asked: a file (--output) or stdout. */
export function emitReport(result: RunResult, opts: ReportOptions, sources?: Readonly<Record<string, string>>): void {
  const format = opts.format as ReportFormat;
  if (opts.output !== undefined) {
    const text = renderReport(result, format, { color: false, verbose: opts.verbose === true, sources });
    try {
      writeFileSync(opts.output, text);
    } catch (e) {
      throw new InputError(`cannot write report (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file: opts.output }, { cause: e });
    }
    return;
  }
  const color = format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
  writeOut(renderReport(result, format, { color, verbose: opts.verbose === true, sources }));
}
