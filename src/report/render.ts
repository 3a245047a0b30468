/**
 * Render a RunResult in one of the report formats. Every format renders the
 * same RunResult and carries the same facts; output is deterministic (same
 * input → same bytes). Pure: no I/O, the CLI writes the string.
 */
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { type Category, type Normalisation, STATUSES, type Status } from '../findings/finding.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Colour for the text format (the CLI decides: TTY and no NO_COLOR). */
  readonly color?: boolean;
  /** Text format: also list equivalent findings and the rules' explanations. */
  readonly verbose?: boolean;
  /** Unit source (UnitResult.source) → source text; sarif uses it to point at declarations. */
  readonly sources?: Readonly<Record<string, string>>;
  /** btfparity's own version, recorded by sarif. */
  readonly toolVersion?: string;
}

export function renderReport(result: RunResult, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, options);
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'junit':
      return renderJunit(result);
    case 'sarif':
      return renderSarif(result, options);
  }
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
