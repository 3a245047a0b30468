#!/usr/bin/env node
/**
 * btfparity command line. Commands live in src/cli/*; this file wires them
 * and turns errors into one line on stderr and a documented exit status.
 * Start-up loads only the registrations (src/cli/commands/*: options and
 * help text); each command's implementation is imported when it runs, so
 * `--version`, `--help` and a dump do not pay for the pipeline's modules.
 */
import { Command, CommanderError } from 'commander';
import { registerBinary } from './cli/commands/binary.js';
import { isCcInvocation, registerCc } from './cli/commands/cc.js';
import { registerCheck } from './cli/commands/check.js';
import { registerCollect } from './cli/commands/collect.js';
import { registerDiff } from './cli/commands/diff.js';
import { registerDump } from './cli/commands/dump.js';
import { registerLint } from './cli/commands/lint.js';
import { registerMatrix } from './cli/commands/matrix.js';
import { registerMerge } from './cli/commands/merge.js';
import { registerReduce } from './cli/commands/reduce.js';
import { registerToolchain } from './cli/commands/toolchain.js';
import { registerTriage } from './cli/commands/triage.js';
import { stderrLine } from './cli/output.js';
import { EXIT, InputError, InternalError, ToolchainError } from './errors.js';
import { BTFPARITY_VERSION } from './cli/version.js';

const EXIT_HELP = `
Exit status:
  0  no finding fails (--fail-on: default 'unexplained'; with --baseline 'any' new finding)
  1  findings that fail (known divergences do not by default; with --baseline: new findings)
  2  usage error or bad input (malformed ELF/BTF/config/rules/baseline, missing file)
  3  toolchain failure (missing tool, compiler error, timeout)
 70  internal error in btfparity (a bug: one line; BTFPARITY_DEBUG=1 adds the stack trace)
128+N  ended by signal N, at once in any phase (130 SIGINT/Ctrl-C, 143 SIGTERM, 137 SIGKILL):
     tools still running get SIGTERM, then SIGKILL after 2 s, and the run's temp files are removed
Each command's --help gives its exact rules.`;

export function buildProgram(): Command {
  const program = new Command('btfparity')
    .description('Compare BTF generated through DWARF+pahole and compiler-emitted BTF, and report where they diverge')
    .version(BTFPARITY_VERSION)
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    // commander says `error: unknown option`; every error line of btfparity starts `btfparity: `.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /gm, 'btfparity: ')) });
  registerCheck(program);
  registerDiff(program);
  registerBinary(program);
  registerDump(program);
  registerMerge(program);
  registerCollect(program);
  registerCc(program);
  registerReduce(program);
  registerTriage(program);
  registerLint(program);
  registerToolchain(program);
  registerMatrix(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // Build-wrapper mode: every argument belongs to the wrapped compiler, so commander never sees them.
  if (isCcInvocation(argv)) return (await import('./cli/cc.js')).runCc(argv.slice(3));
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    return reportError(e);
  }
}

function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version are "errors" to commander; they already printed.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.OK : EXIT.INPUT;
  }
  if (e instanceof InputError || e instanceof ToolchainError) {
    stderrLine(e.oneLine());
    return e.exitCode;
  }
  // A bug in btfparity: still one line, plus how to get the trace.
  const bug = InternalError.from(e);
  stderrLine(bug.oneLine());
  if (process.env.BTFPARITY_DEBUG) process.stderr.write(`${bug.trace()}\n`);
  return bug.exitCode;
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
