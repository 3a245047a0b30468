/**
 * Running the built CLI (dist/cli.js) as a user does: a subprocess with
 * its own TMPDIR, colour off. Tests rely on scripts/test (or scripts/setup)
 * having built dist/; `ensureBuilt` rebuilds when src/ is newer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PROBES = join(ROOT, 'corpus', 'probes');

/** Newest mtime of any file under dir. */
function newest(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return m;
}

/**
 * Run `tsc` when dist/ is missing or older than any file under src/ (an
 * up-to-date tree costs nothing). tsc runs on this node, not through npx,
 * so that it works with a PATH that holds nothing but node (the pure tests).
 */
export function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newest(join(ROOT, 'src'))) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error('build failed: dist/cli.js missing');
}

export interface CliOptions {
  /** Working directory of the run; default the repository root. */
  readonly cwd?: string;
  /** Set over process.env, TMPDIR and NO_COLOR (so a test may override either). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the run's private TMPDIR is made; default the OS temp dir. */
  readonly tmpParent?: string;
  /** A command the CLI runs under, e.g. ['setarch', '-R'] (its children inherit it). */
  readonly via?: readonly string[];
  /** Bytes of stdout/stderr kept; default 256 MiB (a vmlinux dump is tens of MiB). */
  readonly maxBuffer?: number;
  /** Kill the run after this many ms; default none. */
  readonly timeout?: number;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunWithLeftover extends CliRun {
  /** What the run left in its private TMPDIR (a clean run leaves nothing). */
  readonly leftover: string[];
}

/**
 * Run the CLI with a fresh TMPDIR of its own, so "the temp dir is removed"
 * can be checked as "TMPDIR is empty afterwards" without racing other
 * tests; the TMPDIR itself is removed once listed.
 */
export function runCliWithLeftover(args: readonly string[], opts: CliOptions = {}): CliRunWithLeftover {
  const tmp = mkdtempSync(join(opts.tmpParent ?? tmpdir(), 'btfparity-cli-'));
  try {
    const [cmd, ...pre] = [...(opts.via ?? []), process.execPath];
    const r = spawnSync(cmd, [...pre, CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', ...opts.env },
      maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
      timeout: opts.timeout,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', leftover: readdirSync(tmp) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Run the CLI as `runCliWithLeftover` does, for tests that do not look at its TMPDIR. */
export function runCli(args: readonly string[], opts: CliOptions = {}): CliRun {
  const { status, stdout, stderr } = runCliWithLeftover(args, opts);
  return { status, stdout, stderr };
}

/**
 * `runCliWithLeftover` without blocking this worker's event loop. Use it for
 * any run that may take long on a loaded machine (the corpus, triage): a
 * synchronous child blocks the vitest worker, and vitest 3.2's worker RPC
 * (birpc, a fixed 60 s timeout, not configurable) then fails the whole run
 * with "Timeout calling onTaskUpdate" although every test passed: when the
 * blocked loop resumes, the timers phase fires the expired timeout before
 * the poll phase reads the answer already waiting on the IPC channel.
 */
export async function runCliWithLeftoverAsync(args: readonly string[], opts: CliOptions = {}): Promise<CliRunWithLeftover> {
  const tmp = mkdtempSync(join(opts.tmpParent ?? tmpdir(), 'btfparity-cli-'));
  try {
    const [cmd, ...pre] = [...(opts.via ?? []), process.execPath];
    const child = spawn(cmd, [...pre, CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = opts.timeout !== undefined ? setTimeout(() => child.kill('SIGTERM'), opts.timeout) : undefined;
    const status = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => done(code));
    });
    if (timer) clearTimeout(timer);
    return { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), leftover: readdirSync(tmp) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `runCli` without blocking this worker's event loop (see runCliWithLeftoverAsync). */
export async function runCliAsync(args: readonly string[], opts: CliOptions = {}): Promise<CliRun> {
  const { status, stdout, stderr } = await runCliWithLeftoverAsync(args, opts);
  return { status, stdout, stderr };
}
