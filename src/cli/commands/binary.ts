/** `btfparity binary`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import type { BinaryOptions } from '../binary.js';
import { RUN_EXIT_HELP } from '../exit-help.js';
import { addGateOptions, addReportOptions, addToolchainOptions } from '../options.js';

export function registerBinary(program: Command): void {
  const cmd = program
    .command('binary')
    .description(
      'the BTF-archive avenue: compile units with -g -gbtf, link them with ld -r, and compare pahole on the linked DWARF with libbpf btf__dedup of the linked .BTF archive',
    )
    .requiredOption('--compile-commands <file>', 'the units of the binary: a compile_commands.json')
    .option('--select <glob...>', 'only units whose name matches (as for check); `!glob` excludes')
    .option('-j, --jobs <n>', 'units compiled in parallel (default: available cores)')
    .option(
      '--ld <command>',
      "linker for `ld -r`, on PATH or ROOT:TOOL (e.g. sid:ld); if its .BTF is one blob, not the concatenation of the objects' blobs, it is compared as a third side (linker)",
      'ld',
    )
    .option('--dedup-helper <file>', 'the btf-dedup helper built by scripts/setup [BTFPARITY_BTF_DEDUP]')
    .option('--name <name>', 'how the report names the binary (default: the database and selection)')
    .option(
      '--blockers <file>',
      'write the dedup blocker report (why types survive dedup in several copies, causes ranked): text, or JSON when FILE ends in .json',
    )
    .option('-q, --quiet', 'no progress display on stderr');
  addToolchainOptions(cmd);
  addReportOptions(cmd);
  addGateOptions(cmd);
  cmd.addHelpText('after', RUN_EXIT_HELP);
  cmd.action(async (opts: BinaryOptions) => (await import('../binary.js')).runBinaryCommand(opts));
}
