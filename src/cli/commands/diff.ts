/** `btfparity diff`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import type { DiffOptions } from '../diff.js';
import { RUN_EXIT_HELP } from '../exit-help.js';
import { addGateOptions, addReportOptions } from '../options.js';

export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description('compare the BTF of two files: ELF objects with a .BTF section, or raw BTF (e.g. pahole --btf_encode_detached output)')
    .argument('<a>', 'left file')
    .argument('<b...>', 'right file; with --union-right, one or more files whose BTF is merged')
    .option('--base-left <file>', 'base BTF the left file is split from (e.g. /sys/kernel/btf/vmlinux)')
    .option('--base-right <file>', 'base BTF the right file is split from')
    .option('--union-right', 'whole-binary mode: the right side is the union of every BTF blob of every right file (e.g. the objects a binary was linked from)')
    .option('--left-recipe <name>', 'how the left file was made, for classification rules that name recipes', 'file')
    .option('--right-recipe <name>', 'how the right file was made', 'file')
    .option(
      '--left-tool <tool...>',
      "ROLE=VERSION of a tool that made the left file, for rules with version conditions (e.g. pahole=1.24); an ELF input's .comment gives its compiler's",
    )
    .option('--right-tool <tool...>', 'ROLE=VERSION of a tool that made the right files (wins over their .comment for that role)');
  addReportOptions(cmd);
  addGateOptions(cmd);
  cmd.addHelpText('after', `${RUN_EXIT_HELP}\n  (diff runs no toolchain: 3 does not occur)`);
  cmd.action(async (a: string, b: string[], opts: DiffOptions) => (await import('../diff.js')).runDiffCommand(a, b, opts));
}
