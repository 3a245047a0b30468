/**
 * The report options of every command that writes a run report (`check`,
 * `diff`, `binary`, `merge`, `collect`; registered from one table,
 * addReportFormatOptions in options.ts): what the text and email formats
 * list, and writing the rendered report where they say: a file, or stdout
 * (colour only for text on a terminal, and never with NO_COLOR).
 * Streamed chunk by chunk (src/report/writer.ts), so a report of 300,000
 * findings never exists as one string; --output may not name an input.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Status } from '../findings/finding.js';
import { type RenderOptions, type ReportFormat, writeReport } from '../report/render.js';
import type { RunResult } from '../report/run-result.js';
import type { PreparedGate } from './gate.js';
import { writeOut } from './output.js';
import type { RulesOption } from './settings.js';

/** What emitReport needs of the options (merge and collect have no rules). */
export interface EmitOptions {
  readonly format: string;
  readonly verbose?: boolean;
  readonly all?: boolean;
  /** Parsed by the option itself (parseOnly): bad values are exit 2 before anything runs. */
  readonly only?: Status[];
  readonly summary?: boolean;
  readonly ascii?: boolean;
  readonly output?: string;
}

export interface ReportOptions extends RulesOption, EmitOptions {
  format: string;
  output?: string;
}

/**
 * ASCII text by default when the locale in effect (LC_ALL, else LC_CTYPE,
 * else LANG: the first one set) is not UTF-8, e.g. `LANG=C`; with none set,
 * UTF-8 (Node writes UTF-8 whatever the locale).
 */
export function asciiByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && !/utf-?8/i.test(locale);
}

/** What the formats list and how, from the options (colour aside). */
export function renderOptions(opts: EmitOptions, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    verbose: opts.verbose === true,
    all: opts.all === true,
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    summaryOnly: opts.summary === true,
    ascii: opts.ascii === true || asciiByDefault(),
    ...extra,
  };
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
export function emitReport(
  result: RunResult,
  opts: EmitOptions,
  gate: PreparedGate,
  sources?: RenderOptions['sources'],
  unitPaths?: ReadonlyMap<string, string>,
): void {
  const format = opts.format as ReportFormat;
  const base = renderOptions(opts, { sources, ...gateOptions(gate), ...(unitPaths ? { unitPaths } : {}) });
  if (opts.output === undefined) {
    const color = format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
    writeReport(result, format, { ...base, color }, writeOut);
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
    writeReport(result, format, { ...base, color: false }, (chunk) => {
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
