/**
 * The facts of one btfparity run, independent of output format. Every
 * report format (text, json, markdown, junit, sarif) renders this object
 * and nothing else, so they all carry the same facts.
 *
 * The json format is this object serialised with sorted, stable fields
 * (its layout versioned by JSON_REPORT_VERSION); the shape is versioned by
 * REPORT_SCHEMA_VERSION (bump on any change).
 */
import type { Category, ClassifiedFinding, Normalisation, Status } from '../findings/finding.js';
import type { ToolInfo } from '../recipe/tools.js';

/** Tool detection (src/recipe/tools.ts) produces these; reports list them. */
export type { ToolInfo };

export const REPORT_SCHEMA_VERSION = 2;

/**
 * The json report's layout (`schemaVersion` of the json format): 3 writes
 * rule explanations and involved-type dumps by reference (report/json.ts).
 * The facts are REPORT_SCHEMA_VERSION's, which SARIF's properties echo.
 */
export const JSON_REPORT_VERSION = 3;

/** The json report versions `merge`, `collect` and `reduce` read back. */
export const READABLE_JSON_VERSIONS: readonly number[] = [2, 3];

/** A recipe as used in this run (see src/recipe/). */
export interface RecipeInfo {
  readonly side: 'left' | 'right';
  readonly name: string;
  readonly description: string;
}

/** One toolchain step exactly as run: argv, never a shell string. */
export interface StepRecord {
  readonly side: 'left' | 'right' | 'both';
  readonly argv: readonly string[];
}

/** One compilation unit's outcome. */
export interface UnitResult {
  /** The source as the user named it (relative to cwd or corpus root; never a temp path). */
  readonly source: string;
  /** Every toolchain step, in order, with temp paths replaced by placeholders like `$TMP/unit.o`. */
  readonly commands: readonly StepRecord[];
  readonly findings: readonly ClassifiedFinding[];
  /** Set when a toolchain step failed for this unit: the step and its first stderr line. */
  readonly error?: { readonly step: string; readonly message: string };
  /**
   * Optional: bpftool-format text (`bpftool btf dump` lines) of each entity
   * named by a finding, per side, keyed by Finding.entity. Filled by the
   * pipeline with src/report/involved-types.ts; rendered by the markdown
   * format so a bug report shows both sides' raw records.
   */
  readonly types?: { readonly left: Readonly<Record<string, string>>; readonly right: Readonly<Record<string, string>> };
}

/** Counts keyed by the members of a closed set; members that never occurred are absent. */
export type SummaryCounts<K extends string> = { readonly [P in K]?: number };

export interface RunSummary {
  readonly units: number;
  readonly failedUnits: number;
  readonly findings: number;
  /** Count per status: equivalent / known / unexplained (statuses without findings absent). */
  readonly byStatus: SummaryCounts<Status>;
  /** Count per category. */
  readonly byCategory: SummaryCounts<Category>;
  /** Count per normalisation name (the `equivalent` calls). */
  readonly normalisations: SummaryCounts<Normalisation>;
}

export interface RunResult {
  readonly schemaVersion: number;
  readonly toolchain: readonly ToolInfo[];
  readonly recipes: readonly RecipeInfo[];
  readonly units: readonly UnitResult[];
  readonly summary: RunSummary;
}
