#!/usr/bin/env node
/**
 * btfparity command line: the entry. It decides from argv alone what to
 * load (issue 13: load what a command needs, when it needs it): `--version`
 * prints the version; a build-wrapper compile (`btfparity cc COMPILER ...`,
 * one process per compile under `make -j`) loads only the wrapper; every
 * other invocation loads the commands (src/cli/program.ts, commander).
 */
import { isCcInvocation, isVersionOnly } from './cli/entry-route.js';
import { BTFPARITY_VERSION } from './cli/version.js';

async function main(argv: string[]): Promise<number> {
  if (isVersionOnly(argv)) {
    process.stdout.write(`${BTFPARITY_VERSION}\n`);
    return 0;
  }
  // Build-wrapper mode: every argument belongs to the wrapped compiler, so commander never sees them.
  if (isCcInvocation(argv)) return (await import('./cli/cc.js')).runCc(argv.slice(3));
  return (await import('./cli/program.js')).runProgram(argv);
}

// A reader that goes away (`btfparity check --help | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
