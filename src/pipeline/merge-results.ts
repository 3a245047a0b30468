/**
 * Combine RunResults of separate runs (shards of one database, or the
 * per-object results of build-wrapper mode) into one. Pure.
 *
 * Units are sorted by source (then by their recorded commands, so two
 * objects built from one source keep a stable order); the summary is
 * recomputed from the units, never added up. Toolchains and recipes are
 * expected to agree; when they do not, every distinct one is kept and a
 * note says so, because a merged report that silently mixed two compilers
 * would claim something nobody measured.
 */
import { toolRoleLabel } from '../report/markdown.js';
import { buildSummary } from '../report/render.js';
import type { ToolInfo } from '../recipe/tools.js';
import { REPORT_SCHEMA_VERSION, type RecipeInfo, type RunResult, type UnitResult } from '../report/run-result.js';

export interface MergedResults {
  readonly result: RunResult;
  /** Human-readable disagreements (different tools or recipes across inputs). */
  readonly notes: string[];
}

export function mergeRunResults(inputs: readonly { readonly name: string; readonly result: RunResult }[]): MergedResults {
  const notes: string[] = [];
  const toolchain = distinct(
    inputs.flatMap((i) => i.result.toolchain),
    (t) => JSON.stringify([t.role, t.side ?? null, t.command, t.path ?? null, t.version ?? null]),
  );
  // A role's two sides (cc (left) gcc 12, cc (right) gcc 16) are one run's choice, not a disagreement.
  for (const label of new Set(toolchain.map(toolRoleLabel))) {
    const same = toolchain.filter((t) => toolRoleLabel(t) === label);
    if (same.length > 1) notes.push(`toolchains differ: ${label} is ${same.map(describeTool).join(' / ')}`);
  }
  const recipes = distinct(
    inputs.flatMap((i) => i.result.recipes),
    (r) => JSON.stringify([r.side, r.name, r.description]),
  );
  for (const side of ['left', 'right'] as const) {
    const same = recipes.filter((r: RecipeInfo) => r.side === side);
    if (same.length > 1) notes.push(`recipes differ: ${side} is ${same.map((r) => r.name).join(' / ')}`);
  }
  const units = inputs.flatMap((i) => i.result.units).sort(compareUnits);
  return {
    result: { schemaVersion: REPORT_SCHEMA_VERSION, toolchain, recipes, units, summary: buildSummary(units) },
    notes,
  };
}

function describeTool(t: ToolInfo): string {
  return `${t.path ?? t.command}${t.version ? ` (${t.version})` : ''}`;
}

function distinct<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function compareUnits(a: UnitResult, b: UnitResult): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  const ca = JSON.stringify(a.commands);
  const cb = JSON.stringify(b.commands);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}
