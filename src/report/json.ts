/**
 * The json format: the RunResult itself, keys in the order documented in
 * docs/report.schema.json, findings sorted. Versioned by schemaVersion.
 */
import { orderedRunResult } from './order.js';
import type { RunResult } from './run-result.js';

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(orderedRunResult(result), null, 2)}\n`;
}
