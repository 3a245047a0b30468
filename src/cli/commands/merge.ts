/** `btfparity merge`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import { RUN_EXIT_HELP } from '../exit-help.js';
import type { MergeOptions } from '../merge.js';
import { addMergeOutputOptions } from '../options.js';

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('combine json reports of several runs (shards) into one report: units sorted by source, summary recomputed')
    .argument('<report...>', 'json reports (`check --format json`)');
  addMergeOutputOptions(cmd);
  cmd.addHelpText('after', `\nToolchains and recipes should agree; when they do not, stderr says so and the report lists each.\n${RUN_EXIT_HELP}`);
  cmd.action(async (files: string[], opts: MergeOptions) => (await import('../merge.js')).runMerge(files, opts));
}
