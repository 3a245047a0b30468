/** `btfparity check`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import type { Command } from 'commander';
import type { CheckOptions } from '../check.js';
import { RUN_EXIT_HELP } from '../exit-help.js';
import { addGateOptions, addReportOptions, addRunOptions, addToolchainOptions } from '../options.js';

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('generate BTF from each C source through the left and right recipes and report where they differ')
    .argument('[src...]', 'C sources (default: the embedded probe corpus, corpus/probes/*.c)');
  addToolchainOptions(cmd);
  addRunOptions(cmd, { recompare: true });
  addReportOptions(cmd);
  addGateOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Recipes:
  pahole            $CC -g -c SRC -o OBJ; pahole --btf_encode_detached=OUT OBJ
  gcc-btf           $CC -gbtf -c SRC -o OBJ; BTF from the object's .BTF
  clang-bpf         $CLANG --target=bpf -g -c SRC -o OBJ; BTF from the object's .BTF
  clang-bpf-pahole  the same clang BPF object's DWARF encoded by pahole
Settings: option > environment > config file > default.
${RUN_EXIT_HELP}`,
  );
  cmd.action(async (srcs: string[], opts: CheckOptions) => (await import('../check.js')).runCheckCommand(srcs, opts));
}
