/**
 * Content digests of the tools a run uses, for cache keys. Reads files
 * (an effect).
 *
 * A compiler proper is big (gcc 12's cc1: 33 MB, ~45 ms of CPU to read and
 * hash), and every run, and every compile through the build wrapper under
 * `make -j`, needs its digest. So a digest is remembered by the file's
 * stamp: within a run in memory, across runs in the cache directory
 * (`tool-digests/`, one small file per stamp) when the caller gives one.
 * The stamp is the resolved path with dev, inode, size, mtime and ctime in
 * nanoseconds: a rewritten or reinstalled tool has a new ctime (which no
 * utimes call can set back) and usually a new inode, so it is digested
 * again. That is stricter than ccache's default `compiler_check=mtime`,
 * which trusts a compiler's size and mtime alone. A digest is remembered
 * only when the file's mtime and ctime were older than RECENT_NS when it
 * was read: a file still being written could change again within the file
 * system's timestamp granularity without its stamp changing.
 */
import { type BigIntStats, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nowNs, RECENT_NS } from './file-state.js';
import { INPUT_LIMITS, readRegularFile } from '../io/regular-file.js';
import { sha256, type ToolDigest } from './key.js';
import { replaceFile } from './replace-file.js';

/** Digests by stamp, this process's. */
const memo = new Map<string, string>();

/** What must be unchanged for a digest to stand (see the module comment). */
function stampOf(real: string, st: BigIntStats): string {
  return [real, st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join('\0');
}

/** Did the file change within RECENT_NS of `now`? */
function stillChanging(st: BigIntStats, now: bigint): boolean {
  return now - st.mtimeNs <= RECENT_NS || now - st.ctimeNs <= RECENT_NS;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Tool digests kept in a cache directory across runs, one file per stamp
 * (named by the stamp's sha256), written by replaceFile: a reader sees a
 * whole file or none, and concurrent writers of one stamp write the same
 * digest. Anything unreadable or malformed is a miss, and any
 * write failure only means the next run digests the tool again.
 */
export class ToolDigestBook {
  constructor(private readonly dir: string) {}

  private file(stamp: string): string {
    const name = sha256(stamp);
    return join(this.dir, 'tool-digests', name.slice(0, 2), name);
  }

  get(stamp: string): string | undefined {
    try {
      const text = readRegularFile(this.file(stamp), { maxBytes: INPUT_LIMITS.json }).toString('latin1');
      return SHA256_HEX.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  }

  put(stamp: string, digest: string): void {
    replaceFile(this.file(stamp), digest);
  }
}

/** sha256 of a file's bytes, following symlinks (`gcc` → `gcc-12`); remembered by stamp, in `book` too when given. */
export function digestFile(path: string, book?: ToolDigestBook): string {
  const real = realpathSync(path);
  const st = statSync(real, { bigint: true });
  const stamp = stampOf(real, st);
  const known = memo.get(stamp) ?? book?.get(stamp);
  if (known !== undefined) {
    memo.set(stamp, known);
    return known;
  }
  const d = sha256(readFileSync(real));
  if (!stillChanging(st, nowNs())) {
    memo.set(stamp, d);
    book?.put(stamp, d);
  }
  return d;
}

/**
 * Digest of a tool: its resolved executable plus helper programs that do
 * the real work (gcc's `cc1`, found by the caller with `-print-prog-name`),
 * so a rebuilt compiler proper misses the cache even behind the same driver.
 */
export function digestTool(role: string, path: string, helpers: readonly string[] = [], book?: ToolDigestBook): ToolDigest {
  const parts = [digestFile(path, book), ...helpers.map((h) => digestFile(h, book))];
  return { role, path: realpathSync(path), sha256: parts.length === 1 ? parts[0] : sha256(parts.join('\n')) };
}
