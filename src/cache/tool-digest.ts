/**
 * Content digests of the tools a run uses, for cache keys. Reads files
 * (an effect), memoised per resolved path, size and mtime so a run of
 * 20,000 units hashes each compiler once.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { sha256, type ToolDigest } from './key.js';

const memo = new Map<string, string>();

/** sha256 of a file's bytes, following symlinks (`gcc` → `gcc-12`). */
export function digestFile(path: string): string {
  const real = realpathSync(path);
  const st = statSync(real);
  const memoKey = `${real}\0${st.size}\0${st.mtimeMs}`;
  let d = memo.get(memoKey);
  if (d === undefined) {
    d = sha256(readFileSync(real));
    memo.set(memoKey, d);
  }
  return d;
}

/**
 * Digest of a tool: its resolved executable plus helper programs that do
 * the real work (gcc's `cc1`, found by the caller with `-print-prog-name`),
 * so a rebuilt compiler proper misses the cache even behind the same driver.
 */
export function digestTool(role: string, path: string, helpers: readonly string[] = []): ToolDigest {
  const parts = [digestFile(path), ...helpers.map(digestFile)];
  return { role, path: realpathSync(path), sha256: parts.length === 1 ? parts[0] : sha256(parts.join('\n')) };
}
