/**
 * Render a RunResult in one of the report formats.
 * STUB — being written (issue 4). Signature is fixed; implementation pending.
 */
import type { RunResult, UnitResult, RunSummary } from './run-result.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Colour for the text format (the CLI decides: TTY and no NO_COLOR). */
  readonly color?: boolean;
}

export function renderReport(result: RunResult, _format: ReportFormat, _options: RenderOptions = {}): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function buildSummary(units: readonly UnitResult[]): RunSummary {
  const byStatus: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const normalisations: Record<string, number> = {};
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
