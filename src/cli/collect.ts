/**
 * `btfparity collect DIR`: one report from the per-object results that
 * build-wrapper mode (`btfparity cc`) wrote into DIR.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { refuseToOverwriteInputs } from './report-output.js';
import { prepareGate } from './gate.js';
import { emitMerged, type MergeOptions, readSpilled } from './merge.js';

/** `collect DIR`: the results `btfparity cc` wrote, as one report. */
export function runCollect(dir: string, opts: MergeOptions): void {
  const gate = prepareGate(opts);
  const files = resultFiles(dir);
  refuseToOverwriteInputs('--output', opts.output, files);
  emitMerged(readSpilled(files), opts, gate);
}

/** The finished results: `<digest>.json`; a writer's temp file (`.tmp-*`) is not one yet. */
export function resultFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new InputError(`cannot read results directory (${(e as NodeJS.ErrnoException).code})`, { file: dir }, { cause: e });
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}
