/**
 * Render a RunResult in one of the report formats. Every format renders the
 * same RunResult and carries the same facts; output is deterministic (same
 * input → same bytes). Pure: no I/O; the CLI gives writeReport a sink
 * that writes the chunks.
 */
import { type Category, type Normalisation, STATUSES, type Status } from '../findings/finding.js';
import type { Gate } from './baseline.js';
import { writeJson } from './json.js';
import { writeJunit } from './junit.js';
import { writeMarkdown } from './markdown.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';
import { writeSarif } from './sarif.js';
import { writeText } from './text.js';
import { collect, type TextSink, TextWriter } from './writer.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Colour for the text format (the CLI decides: TTY and no NO_COLOR). */
  readonly color?: boolean;
  /** Text format: also list equivalent findings and the rules' explanations. */
  readonly verbose?: boolean;
  /** Unit source (UnitResult.source) → source text; sarif uses it to point at declarations. */
  readonly sources?: Readonly<Record<string, string>>;
  /** btfparity's own version, recorded by sarif (default: this package's). */
  readonly toolVersion?: string;
  /** The gate (--fail-on, --baseline) junit and sarif tell the story of; default: --fail-on's default, no baseline. */
  readonly gate?: Gate;
  /** The baseline file as given, quoted by junit and sarif. */
  readonly baselineName?: string;
}

/**
 * Stream the report into `sink` in chunks of about 64 KiB (the CLI writes
 * each to stdout or the --output file at once): memory stays near the
 * size of the RunResult whatever the size of the report.
 */
export function writeReport(result: RunResult, format: ReportFormat, options: RenderOptions, sink: TextSink): void {
  const w = new TextWriter(sink);
  writeFormat(result, format, options, w);
  w.end();
}

function writeFormat(result: RunResult, format: ReportFormat, options: RenderOptions, w: TextWriter): void {
  switch (format) {
    case 'text':
      writeText(result, options, w);
      return;
    case 'json':
      writeJson(result, w);
      return;
    case 'markdown':
      writeMarkdown(result, w);
      return;
    case 'junit':
      writeJunit(result, options, w);
      return;
    case 'sarif':
      writeSarif(result, options, w);
      return;
  }
}

/** The whole report as one string (library callers, tests; the CLI streams with writeReport). */
export function renderReport(result: RunResult, format: ReportFormat, options: RenderOptions = {}): string {
  return collect((w) => writeFormat(result, format, options, w));
}

export function buildSummary(units: readonly UnitResult[]): RunSummary {
  // Every status is counted, zero included: a reader sees `unexplained: 0`, not a missing key.
  const byStatus: { [K in Status]?: number } = Object.fromEntries(STATUSES.map((st) => [st, 0]));
  const byCategory: { [K in Category]?: number } = {};
  const normalisations: { [K in Normalisation]?: number } = {};
  let findings = 0;
  for (const u of units) {
    for (const f of u.findings) {
      findings++;
      byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
      byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
      if (f.normalisation) normalisations[f.normalisation] = (normalisations[f.normalisation] ?? 0) + 1;
    }
  }
  return { units: units.length, failedUnits: units.filter((u) => u.error).length, findings, byStatus, byCategory, normalisations };
}
