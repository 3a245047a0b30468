/**
 * Render a RunResult in one of the report formats. Every format renders the
 * same RunResult and carries the same facts; output is deterministic (same
 * input → same bytes). Pure: no I/O; the CLI gives writeReport a sink
 * that writes the chunks.
 */
import { type Category, type ClassifiedFinding, type Normalisation, STATUSES, type Status } from '../findings/finding.js';
import { assertNever } from '../lang.js';
import type { Gate } from './baseline.js';
import { writeJson } from './json.js';
import { writeJunit } from './junit.js';
import { writeMarkdown } from './markdown.js';
import type { RunResult, RunSummary, UnitResult } from './run-result.js';
import { type SourceTexts, writeSarif } from './sarif.js';
import type { ListingOptions } from './digest.js';
import { writeEmail } from './email.js';
import { writeText } from './text.js';
import { collect, type TextSink, TextWriter } from './writer.js';

import type { ReportFormat } from './formats.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

/** `verbose`, `all`, `only`, `summaryOnly`, `unitPaths` (ListingOptions): what the text and email formats list. */
export interface RenderOptions extends ListingOptions {
  /** Colour for the text format (the CLI decides: TTY and no NO_COLOR). */
  readonly color?: boolean;
  /** Text format: ASCII only (the email format always is). */
  readonly ascii?: boolean;
  /** Unit source (UnitResult.source) → source text; sarif uses it to point at declarations. */
  readonly sources?: SourceTexts;
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
    case 'email':
      writeEmail(result, options, w);
      return;
    default:
      assertNever(format);
  }
}

/** The whole report as one string (library callers, tests; the CLI streams with writeReport). */
export function renderReport(result: RunResult, format: ReportFormat, options: RenderOptions = {}): string {
  return collect((w) => writeFormat(result, format, options, w));
}

/**
 * What the summary counts of one unit's findings. `check` keeps one per unit
 * (a few numbers) while the findings themselves go to the spill
 * (pipeline/unit-spill.ts), so the summary needs no pass over them.
 */
export interface FindingCounts {
  readonly findings: number;
  /** Keys in the order their first finding comes, as the summary's keys are. */
  readonly byStatus: ReadonlyMap<Status, number>;
  readonly byCategory: ReadonlyMap<Category, number>;
  readonly normalisations: ReadonlyMap<Normalisation, number>;
}

/**
 * FindingCounts built one finding at a time: what countFindings counts of
 * each finding, for callers that have the fields without the finding
 * (pipeline/comparison-text.ts reads them from a stored text).
 */
export class FindingTally {
  private findings = 0;
  private readonly byStatus = new Map<Status, number>();
  private readonly byCategory = new Map<Category, number>();
  private readonly normalisations = new Map<Normalisation, number>();

  add(status: Status, category: Category, normalisation: Normalisation | undefined): void {
    this.findings++;
    bump(this.byStatus, status);
    bump(this.byCategory, category);
    if (normalisation) bump(this.normalisations, normalisation);
  }

  counts(): FindingCounts {
    return { findings: this.findings, byStatus: this.byStatus, byCategory: this.byCategory, normalisations: this.normalisations };
  }
}

const bump = <K>(m: Map<K, number>, k: K): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

export function countFindings(findings: readonly ClassifiedFinding[]): FindingCounts {
  const tally = new FindingTally();
  for (const f of findings) tally.add(f.status, f.category, f.normalisation);
  return tally.counts();
}

export function buildSummary(units: readonly UnitResult[]): RunSummary {
  return summaryOf(
    units,
    units.map((u) => countFindings(u.findings)),
  );
}

/** The summary of `units` from each one's counts (`counts[i]` of `units[i]`): keys in the order buildSummary meets them. */
export function summaryOf(units: readonly UnitResult[], counts: readonly FindingCounts[]): RunSummary {
  // Every status is counted, zero included: a reader sees `unexplained: 0`, not a missing key.
  const byStatus: { [K in Status]?: number } = Object.fromEntries(STATUSES.map((st) => [st, 0]));
  const byCategory: { [K in Category]?: number } = {};
  const normalisations: { [K in Normalisation]?: number } = {};
  const add = <K extends string>(into: { [P in K]?: number }, from: ReadonlyMap<K, number>): void => {
    for (const [k, n] of from) into[k] = (into[k] ?? 0) + n;
  };
  let findings = 0;
  for (const c of counts) {
    findings += c.findings;
    add(byStatus, c.byStatus);
    add(byCategory, c.byCategory);
    add(normalisations, c.normalisations);
  }
  return { units: units.length, failedUnits: units.filter((u) => u.error).length, findings, byStatus, byCategory, normalisations };
}
