/**
 * `btfparity collect DIR`: one report from the per-object results that
 * build-wrapper mode (`btfparity cc`) wrote into DIR.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { refuseToOverwriteInputs } from './report-output.js';
import { RUN_EXIT_HELP } from './exit-status.js';
import { prepareGate } from './gate.js';
import { addMergeOutputOptions, emitMerged, type MergeOptions, readRunResult } from './merge.js';

export function registerCollect(program: Command): void {
  const cmd = program
    .command('collect')
    .description('one report from the per-object results `btfparity cc` wrote into DIR ($BTFPARITY_RESULTS)')
    .argument('<dir>', 'results directory');
  addMergeOutputOptions(cmd);
  cmd.addHelpText('after', RUN_EXIT_HELP);
  cmd.action((dir: string, opts: MergeOptions) => {
    const gate = prepareGate(opts);
    const files = resultFiles(dir);
    refuseToOverwriteInputs('--output', opts.output, files);
    emitMerged(
      files.map((f) => ({ name: f, result: readRunResult(f) })),
      opts,
      gate,
    );
  });
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
