/**
 * btfparity's commands through commander. This module wires them and turns
 * errors into one line on stderr and a documented exit status. It loads
 * only the registrations (src/cli/commands/*: options and help text); each
 * command's implementation is imported when it runs, so `--help` and a dump
 * do not pay for the pipeline's modules. The entry (src/cli.ts) imports this
 * module only for a command: `--version` alone and a build-wrapper compile
 * do not load it.
 */
import { Command, CommanderError } from 'commander';
import { registerBinary } from './commands/binary.js';
import { registerCc } from './commands/cc.js';
import { registerCheck } from './commands/check.js';
import { registerCollect } from './commands/collect.js';
import { registerDiff } from './commands/diff.js';
import { registerDump } from './commands/dump.js';
import { registerLint } from './commands/lint.js';
import { registerMatrix } from './commands/matrix.js';
import { registerMerge } from './commands/merge.js';
import { registerReduce } from './commands/reduce.js';
import { registerToolchain } from './commands/toolchain.js';
import { registerTriage } from './commands/triage.js';
import { stderrLine } from './output.js';
import { EXIT, InputError, InternalError, ToolchainError } from '../errors.js';
import { BTFPARITY_VERSION } from './version.js';

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

/** Run one command; resolves to the exit status. */
export async function runProgram(argv: string[]): Promise<number> {
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
