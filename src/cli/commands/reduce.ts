/** `btfparity reduce`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import { type Command, Option } from 'commander';
import { CATEGORIES } from '../../findings/finding.js';
import type { ReduceOptions } from '../reduce.js';
import { addRulesOptions, addToolchainOptions } from '../options.js';

export function registerReduce(program: Command): void {
  const cmd = program
    .command('reduce')
    .description('reduce a C source to a minimal file that still shows one divergence (delta debugging with the real toolchain)')
    .argument('<src>', 'C source that shows the divergence')
    .option('--entity <entity>', "the finding's entity, as reports name it: 'struct foo', 'enum e', 'func f', 'var v'")
    .addOption(
      new Option('--category <category>', 'the finding category to keep (default: the first non-equivalent finding of the entity)').choices([...CATEGORIES]),
    )
    .option('--finding <key>', 'a finding key as in a baseline (unit | entity | path | category | left | right); sets --entity and --category')
    .option('--output <file>', 'write the reproducer to FILE and the commands to FILE without .c plus .sh')
    .option('-j, --jobs <n>', 'candidate checks run concurrently', '2')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--compile-commands <file>', "take SRC's flags and directory from this compile_commands.json (SRC as the database names it, e.g. kernel/async.c)");
  addToolchainOptions(cmd);
  addRulesOptions(cmd, 'known-divergence rules (classification only; any status can be reduced)');
  cmd.addHelpText(
    'after',
    `
How: the unit is preprocessed ($CC -E -P with its flags), sliced to the
top-level declarations the entity transitively needs (kept only if the
slice still shows the finding; a 'func F' or 'var V' slice also gets a
synthetic user, btfparity_anchor_user, since both compilers describe only
what something uses, and F's or V's own definition is never removed), then
delta-debugged: top-level
declarations, then struct/union members, enumerators, parameters and
statements. Every accepted candidate compiles through both avenues and a
fresh check still reports the same entity and category.

Exit status: 0 reproducer written; 2 bad usage or the finding is not in the
unit; 3 toolchain failure.`,
  );
  cmd.action(async (src: string, opts: ReduceOptions) => (await import('../reduce.js')).runReduceCommand(src, opts));
}
