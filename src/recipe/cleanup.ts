/**
 * Process-wide cleanup of what a run leaves behind: its temp directories
 * and the process groups of tools still running.
 *
 * - Normal exit: removed synchronously in the 'exit' handler.
 * - SIGINT, SIGTERM (any phase, CPU-bound ones included), SIGKILL, OOM:
 *   btfparity installs no signal handler, so the signal ends it at once
 *   with the usual status (the shell reports 128+signo: 130, 143, 137), and
 *   the reaper (reaper.ts), a detached helper that sees btfparity's end as
 *   EOF on its stdin, stops the registered tools — SIGTERM, then SIGKILL
 *   after GRACE_MS — and removes the registered directories.
 * - Where the reaper cannot be started, the old in-process handlers are
 *   installed instead (cleanup, then the signal re-raised).
 *
 * Steps get a private TMPDIR inside a registered directory (stepTmpDir, or
 * the unit's own), so whatever a killed compiler leaves (gcc's cc*.s) goes
 * with it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRACE_MS, MARKER_ENV, type Reaper, startReaper } from './reaper.js';

const liveDirs = new Set<string>();
const liveGroups = new Set<number>();
let installed = false;
let reaper: Reaper | undefined;
/** This process's marker, set in every step's environment (the reaper finds strays by it). */
const marker = `${process.pid}:${randomBytes(6).toString('hex')}`;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  reaper = startReaper(marker);
  if (reaper) return;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      cleanupNow();
      // Re-raise with the default action so the exit status says which signal.
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * At exit: stop tools still running and remove every temp dir. Synchronous
 * (safe in 'exit'). Tools get SIGTERM; when any was still running, they and
 * the directories they may write into are left registered for the reaper,
 * which gives them the grace period and then removes the directories.
 */
export function cleanupNow(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGTERM');
  if (liveGroups.size > 0 && reaper) return;
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const dir of liveDirs) removeRunDir(dir);
}

/** A fresh `btfparity-XXXXXX` directory under the OS temp dir, removed at exit at the latest. */
export function makeRunDir(): string {
  install();
  const dir = mkdtempSync(join(tmpdir(), 'btfparity-'));
  liveDirs.add(dir);
  reaper?.tell(['dir', dir]);
  return dir;
}

export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
  reaper?.tell(['undir', dir]);
}

let sharedRun: string | undefined;

/** The TMPDIR for steps that have no unit dir of their own: one private directory per process, removed with the others. */
export function stepTmpDir(): string {
  if (sharedRun === undefined || !liveDirs.has(sharedRun)) {
    sharedRun = makeRunDir();
    mkdirSync(join(sharedRun, 'tmp'));
  }
  return join(sharedRun, 'tmp');
}

/** What every step's environment gets on top of btfparity's: its private TMPDIR and the run marker. */
export function stepEnv(tmpDir: string): Record<string, string> {
  return { TMPDIR: tmpDir, [MARKER_ENV]: marker };
}

/** Tools run in their own process group so a timeout or signal can stop the compiler's children too (cc1, as). */
export function trackGroup(pid: number): void {
  install();
  liveGroups.add(pid);
  reaper?.tell(['pg', pid]);
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
  reaper?.tell(['unpg', pid]);
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/** Kill a group at once (SIGKILL). */
export function killGroup(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

/**
 * Stop a group politely: SIGTERM now (gcc removes its temp files on it),
 * SIGKILL to whatever of the group is left after `graceMs`.
 */
export function terminateGroup(pid: number, graceMs = GRACE_MS): void {
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs).unref();
}
