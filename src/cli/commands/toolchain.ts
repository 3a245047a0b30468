/** `btfparity toolchain add|list|remove|run`: options and help; the implementation (../toolchain.ts) is imported when a subcommand runs. */
import { type Command, Option } from 'commander';
import { rootsDir, ROOTS_DIR_ENV } from '../../toolchain/roots.js';
import { SUITE_NAMES, SUITES } from '../../toolchain/suites.js';
import type { AddOptions } from '../toolchain.js';

const impl = () => import('../toolchain.js');

const SUITE_HELP = SUITE_NAMES.map((n) => `  ${n.padEnd(8)} ${SUITES[n].description}\n           default packages: ${SUITES[n].packages.join(' ')}`).join('\n');

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerToolchain(program: Command): void {
  const tc = program
    .command('toolchain')
    .description('toolchain roots: Debian suites (trixie, sid) with their gcc, clang, pahole and bpftool, used as --cc sid:gcc-16');
  tc.addHelpText(
    'after',
    `
A tool in a root is named ROOT:TOOL wherever a tool is set (--cc, --clang, --pahole,
BTFPARITY_CC and the like, config keys): --cc sid:gcc-16 --pahole trixie:pahole.
Roots live in $${ROOTS_DIR_ENV} (default ${rootsDir()}); about 0.8-1 GB each.
Tools run there through bubblewrap; see docs/TOOLCHAINS.md for what the sandbox sees.`,
  );

  tc.command('add')
    .description('make a root: mmdebstrap of a Debian suite with its toolchain packages (needs the network to the Debian archive)')
    .argument('<suite>', `Debian suite: ${SUITE_NAMES.join(', ')}`)
    .option('--name <name>', 'name of the root (default: the suite)')
    .option('--packages <pkg...>', 'packages to install instead of the defaults (space or comma separated)')
    .option('--extra-packages <pkg...>', 'packages to install besides the defaults')
    .option('--mirror <url>', "Debian archive to fetch from (default: the suite's, http://deb.debian.org/debian)")
    .option('--replace', 'make the root anew even if one of that name exists')
    .option('--timeout <seconds>', 'give up (and remove the partial root) after this long', '1800')
    .addHelpText(
      'after',
      `
Suites:
${SUITE_HELP}

Adding a root that exists with the same suite and packages does nothing (exit 0).
A root that cannot be made (no network, disk full, a package missing) is one line on
stderr and exit 3, and nothing is left that a later run could take for a root.`,
    )
    .action(async (suite: string, opts: AddOptions) => (await impl()).runAdd(suite, opts));

  tc.command('list')
    .description('show each root: suite, size, and its tools with their versions')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { format: string }) => (await impl()).runList(opts.format));

  tc.command('remove')
    .description('remove roots (and what failed attempts to make them left behind)')
    .argument('<name...>', 'root names')
    .action(async (names: string[]) => (await impl()).runRemove(names));

  tc.command('run')
    .description("run one tool of a root, in its sandbox, e.g. `toolchain run sid:bpftool btf dump file x.o`; exits with the tool's status")
    .argument('<tool>', 'ROOT:TOOL')
    .argument('[args...]', 'its arguments')
    .option('--rw <dir>', 'a host directory the tool may write (repeatable; default none: the working directory and path arguments are read-only)', collect, [])
    .addHelpText('after', '\nPut -- before ROOT:TOOL when its arguments start with a dash: toolchain run --rw out -- sid:gcc-16 -gbtf -c a.c -o out/a.o')
    .action(async (tool: string, args: string[], opts: { rw: string[] }) => (await impl()).runInRoot(tool, args, opts.rw));
}
