/** `btfparity matrix`: its options and help; the implementation is imported when the command runs (start-up loads only registrations). */
import { type Command, Option } from 'commander';
import { MATRIX_FORMATS } from '../../report/formats.js';
import { SHARED_KEYS, SIDE_KEYS } from '../config-file.js';
import type { MatrixOptions } from '../matrix.js';
import { addRulesOptions, addRunOptions, DEFAULTS, ENV_VARS } from '../options.js';

/** The keys of a table, comma-separated, in lines of at most 80 columns indented by 4. */
function keyList(keys: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  let line = '   ';
  for (const k of Object.keys(keys)) {
    if (line.length + k.length + 2 > 80) {
      lines.push(line);
      line = '   ';
    }
    line += ` ${k},`;
  }
  lines.push(line.slice(0, -1));
  return lines.join('\n');
}

export function registerMatrix(program: Command): void {
  const cmd = program
    .command('matrix')
    .description('check the same units with every pair of a pairs file and tabulate divergence classes × pairs')
    .argument('[src...]', 'C sources (default: the embedded probe corpus, corpus/probes/*.c)')
    .requiredOption('--pairs <file>', 'JSON file of named pairs of sides (docs/matrix-pairs.json; schema docs/matrix-pairs.schema.json)')
    .addOption(new Option('--format <format>', 'matrix format').choices([...MATRIX_FORMATS]).default('markdown'))
    .option('--output <file>', 'write the matrix to FILE instead of stdout')
    .option('--timeout <seconds>', `per-step timeout of every pair (default ${DEFAULTS.timeout}; a pair's own "timeout" wins)`);
  addRunOptions(cmd, { shard: false });
  addRulesOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Pairs file:
  {"pairs": [{"name": "gcc-12/pahole-1.24",
              "left": {"recipe": "pahole", "cc": "gcc", "pahole": "pahole"},
              "right": {"recipe": "gcc-btf", "cc": "gcc"}}, ...]}
  A side's keys, as a side has them in the config file:
${keyList(SIDE_KEYS)}
  A pair's keys besides name, left and right (for both sides, or the run):
${keyList(SHARED_KEYS)}
  ROOT:TOOL names a tool in a toolchain root. A pair is only what the file
  says: the environment (${ENV_VARS.cc}, ...) and btfparity.json are not read.
Pairs run one after another, each with -j units in parallel, all through the
artifact cache. A class is a known rule, an equivalent normalisation, an
unexplained finding's category and entity kind, or a unit's failing step; a
cell counts findings / units, or says the unit failed (docs/TOOLCHAINS.md).
Exit status: 0 the matrix was written (failed units and findings are cells of
it), 2 bad input (pairs file, options), 3 a pair's tool is missing.`,
  );
  cmd.action(async (srcs: string[], opts: MatrixOptions) => (await import('../matrix.js')).runMatrixCommand(srcs, opts));
}
