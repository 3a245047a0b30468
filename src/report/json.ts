/**
 * The json format: the RunResult itself, keys in the order documented in
 * docs/report.schema.json, findings sorted. Versioned by schemaVersion.
 * Written as `JSON.stringify(…, null, 2)` would, one finding at a time.
 */
import { orderedRunResult } from './order.js';
import type { RunResult } from './run-result.js';
import { collect, type TextWriter, writeJsonValue } from './writer.js';

export function writeJson(result: RunResult, w: TextWriter): void {
  writeJsonValue(w, orderedRunResult(result, true));
  w.write('\n');
}

export function renderJson(result: RunResult): string {
  return collect((w) => writeJson(result, w));
}
