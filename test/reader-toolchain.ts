/**
 * Helpers for the reader's integration tests: run the real toolchain
 * (gcc, pahole, clang, bpftool, our CLI) in a temp dir. Not a test file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type CliRun, PROBES, runCli } from './helpers/cli.js';

export const VMLINUX = '/sys/kernel/btf/vmlinux';

/** Every probe source, sorted. */
export function probes(): string[] {
  return readdirSync(PROBES)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(PROBES, f));
}

export function probeName(src: string): string {
  return basename(src, '.c');
}

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `btfparity-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a tool; throws with its stderr on failure. Returns stdout. */
export function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a tool and report success instead of throwing. */
export function tryRun(cmd: string, args: string[], cwd?: string): { ok: boolean; stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** bpftool's plain dump of a BTF file, optionally split over `base` (global -B option). */
export function bpftoolDump(file: string, base?: string): string {
  return run('bpftool', [...(base ? ['-B', base] : []), 'btf', 'dump', 'file', file]);
}

/** Our CLI as a subprocess (what users run), bounded: a hung reader fails its test instead of the run. */
export function cli(args: string[]): CliRun {
  return runCli(args, { cwd: process.cwd(), maxBuffer: 1 << 30, timeout: 60_000 });
}

export function haveVmlinux(): boolean {
  return existsSync(VMLINUX);
}
