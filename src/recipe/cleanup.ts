/**
 * Process-wide cleanup of what a run leaves behind: its temp directories
 * and the process groups of tools still running. Removed on normal exit,
 * and on SIGINT/SIGTERM before the signal is re-raised (so the shell sees
 * the usual 130/143). Handlers are installed once, on first use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveDirs = new Set<string>();
const liveGroups = new Set<number>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
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

/** Kill every tool still running and remove every temp dir. Synchronous: safe in 'exit'. */
export function cleanupNow(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

/** A fresh `btfparity-XXXXXX` directory under the OS temp dir, removed at exit at the latest. */
export function makeRunDir(): string {
  install();
  const dir = mkdtempSync(join(tmpdir(), 'btfparity-'));
  liveDirs.add(dir);
  return dir;
}

export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Tools run in their own process group so a timeout or signal can kill the compiler's children too (cc1, as). */
export function trackGroup(pid: number): void {
  install();
  liveGroups.add(pid);
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
