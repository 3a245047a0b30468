/**
 * Running the built CLI (dist/cli.js) as a user does: a subprocess with
 * its own TMPDIR, colour off. Tests rely on scripts/test (or scripts/setup)
 * having built dist/; `ensureBuilt` rebuilds when src/ is newer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PROBES = join(ROOT, 'corpus', 'probes');

function newest(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return m;
}

export function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newest(join(ROOT, 'src'))) return;
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error('build failed: dist/cli.js missing');
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const tmp = mkdtempSync(join(tmpdir(), 'btfparity-cli-'));
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
