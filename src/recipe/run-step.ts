/**
 * Run one toolchain command: argv array (never a shell), its own process
 * group, a private TMPDIR, a per-step timeout that stops the whole group
 * (SIGTERM, then SIGKILL after a grace period: gcc removes its cc*.s on
 * SIGTERM), stderr captured. Every failure is a ToolchainError naming the step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ToolchainError } from '../errors.js';
import { stepEnv, stepTmpDir, terminateGroup, trackGroup, untrackGroup } from './cleanup.js';

export interface RunCommand {
  /** Absolute path of the executable. */
  readonly executable: string;
  /** Arguments after argv[0]. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly timeoutSeconds: number;
  /** How errors name the step, e.g. `both compile (gcc)`. */
  readonly step: string;
  /** Files the command must create; a zero exit without them is still a failure. */
  readonly outputs?: readonly string[];
  /** The step's TMPDIR (an existing directory inside the run's temp dir); default: the process's private one (stepTmpDir). */
  readonly tmpDir?: string;
}

export interface RunOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * gcc 12's -gbtf orders some records (VARs) by a hash of heap addresses,
 * so with address-space randomisation the same source gives differently
 * numbered BTF from run to run (seen: 2 distinct .BTF sections in 6
 * compiles of one probe; identical with randomisation off). Reports carry
 * raw type ids, and the same input must give the same report, so steps
 * run under `setarch -R` when it works here (it execs the tool: same pid,
 * same process group). BTFPARITY_ASLR=1 keeps randomisation.
 */
let noAslr: readonly string[] | undefined;
export function noAslrPrefix(): readonly string[] {
  if (noAslr === undefined) {
    const usable = process.env.BTFPARITY_ASLR !== '1' && spawnSync('setarch', ['-R', 'true'], { stdio: 'ignore' }).status === 0;
    noAslr = usable ? ['setarch', '-R'] : [];
  }
  return noAslr;
}

export async function runCommand(cmd: RunCommand): Promise<RunOutput> {
  // execa is loaded on first use: it costs ~0.25 s of start-up, which
  // commands that run no toolchain (dump, diff) should not pay.
  const { execa } = await import('execa');
  const [wrapper, ...wrapperArgs] = noAslrPrefix();
  const child = execa(wrapper ?? cmd.executable, wrapper ? [...wrapperArgs, cmd.executable, ...cmd.args] : [...cmd.args], {
    cwd: cmd.cwd,
    reject: false,
    stdin: 'ignore',
    // Own process group: killing -pid reaches cc1/as too, and a
    // grandchild holding our pipes cannot keep us waiting.
    detached: true,
    // C locale: first stderr lines are stable across machines. A private
    // TMPDIR: what a killed compiler leaves there is removed with the run.
    env: { LC_ALL: 'C', ...stepEnv(cmd.tmpDir ?? stepTmpDir()) },
  });
  const pid = child.pid;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  if (pid !== undefined) {
    trackGroup(pid);
    timer = setTimeout(() => {
      timedOut = true;
      terminateGroup(pid);
    }, cmd.timeoutSeconds * 1000);
  }
  const r = await child;
  if (timer) clearTimeout(timer);
  if (pid !== undefined) untrackGroup(pid);
  const stderr = String(r.stderr ?? '').trim();
  if (timedOut) throw new ToolchainError(cmd.step, `timed out after ${cmd.timeoutSeconds}s`, stderr);
  if (r.code === 'ENOENT') throw new ToolchainError(cmd.step, `${cmd.executable} not found`);
  if (r.code === 'EACCES') throw new ToolchainError(cmd.step, `${cmd.executable} is not executable`);
  if (r.signal) throw new ToolchainError(cmd.step, `killed by ${r.signal}`, stderr);
  if (r.exitCode !== 0) throw new ToolchainError(cmd.step, `exited with status ${r.exitCode}`, stderr);
  for (const out of cmd.outputs ?? []) {
    if (!existsSync(out)) throw new ToolchainError(cmd.step, `exited 0 but did not write ${basename(out)}`, stderr);
  }
  return { stdout: String(r.stdout ?? ''), stderr };
}

/**
 * The line of a tool's stderr that best says what went wrong: the first
 * line mentioning `error` (gcc starts with `x.c: In function 'f':`), else
 * the first non-empty line.
 */
export function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /\berror\b/i.test(l)) ?? lines[0];
}
