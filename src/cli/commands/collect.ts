/** `btfparity collect`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import { RUN_EXIT_HELP } from '../exit-help.js';
import type { MergeOptions } from '../merge.js';
import { addMergeOutputOptions } from '../options.js';

export function registerCollect(program: Command): void {
  const cmd = program
    .command('collect')
    .description('one report from the per-object results `btfparity cc` wrote into DIR ($BTFPARITY_RESULTS)')
    .argument('<dir>', 'results directory');
  addMergeOutputOptions(cmd);
  cmd.addHelpText('after', RUN_EXIT_HELP);
  cmd.action(async (dir: string, opts: MergeOptions) => (await import('../collect.js')).runCollect(dir, opts));
}
