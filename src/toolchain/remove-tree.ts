/**
 * Removing a root (or a half-made one) without ever reaching outside it.
 *
 * mmdebstrap mounts /proc, /sys and pieces of /dev into a root while it
 * builds it; killed hard, it leaves them mounted, and a plain recursive
 * delete would then walk into the host's /dev or /sys. So: unmount
 * whatever is mounted below the directory first (deepest first), and
 * delete with `rm --one-file-system`, which never crosses into another
 * file system even if a mount appeared meanwhile.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolchainError } from '../errors.js';

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
export function mountsBelow(dir: string, mountinfo: string): string[] {
  const top = resolve(dir);
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    // mountinfo escapes space, tab, newline and backslash as \ooo.
    const point = field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    if (point === top || point.startsWith(`${top}/`)) out.push(point);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Remove `dir` and everything in it; a leftover mount that will not go is a ToolchainError. */
export function removeTree(dir: string, step = 'remove'): void {
  if (!existsSync(dir)) return;
  let mountinfo = '';
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    // no /proc: nothing can be found mounted, rm --one-file-system still guards
  }
  for (const point of mountsBelow(dir, mountinfo)) {
    const r = spawnSync('umount', ['--lazy', point], { encoding: 'utf8' });
    if (r.status !== 0) throw new ToolchainError(step, `cannot unmount ${point} (${(r.stderr || r.error?.message || '').trim()}); remove ${dir} by hand`);
  }
  const r = spawnSync('rm', ['-rf', '--one-file-system', '--', dir], { encoding: 'utf8' });
  if (r.status !== 0 || existsSync(dir)) {
    const why = (r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? r.error?.message ?? 'not removed';
    throw new ToolchainError(step, `cannot remove ${dir} (${why.trim()})`);
  }
}
