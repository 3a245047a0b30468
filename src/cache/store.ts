/**
 * The on-disk artifact cache: one directory per key holding each side's
 * BTF bytes and the unit's symbol facts. Effects live here only.
 *
 * Writers never see each other half-done: an entry is written into a
 * private temporary directory and renamed into place, which is atomic on
 * one file system; when two processes (make -j, several shards) race for
 * the same key, the first rename wins and the loser's copy is dropped —
 * both computed the same thing.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What one unit's toolchain work produced, enough to redo the comparison without the toolchain. */
export interface CachedUnit {
  readonly left: Uint8Array;
  readonly right: Uint8Array;
  /** Free-form JSON facts the pipeline wants back (e.g. symbol table of the object). */
  readonly meta: unknown;
}

/** `$BTFPARITY_CACHE_DIR`, else `$XDG_CACHE_HOME/btfparity`, else `~/.cache/btfparity`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BTFPARITY_CACHE_DIR) return env.BTFPARITY_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'btfparity');
}

export class ArtifactCache {
  hits = 0;
  misses = 0;

  constructor(readonly dir: string) {}

  private entryDir(key: string): string {
    return join(this.dir, 'units', key.slice(0, 2), key);
  }

  get(key: string): CachedUnit | undefined {
    const at = this.entryDir(key);
    try {
      const meta = JSON.parse(readFileSync(join(at, 'meta.json'), 'utf8'));
      const unit = { left: readFileSync(join(at, 'left.btf')), right: readFileSync(join(at, 'right.btf')), meta };
      this.hits++;
      return unit;
    } catch {
      // Missing or damaged entry: a miss; the next put replaces it.
      this.misses++;
      return undefined;
    }
  }

  put(key: string, unit: CachedUnit): void {
    const final = this.entryDir(key);
    const parent = join(final, '..');
    mkdirSync(parent, { recursive: true });
    const tmp = mkdtempSync(join(parent, '.tmp-'));
    try {
      writeFileSync(join(tmp, 'left.btf'), unit.left);
      writeFileSync(join(tmp, 'right.btf'), unit.right);
      writeFileSync(join(tmp, 'meta.json'), JSON.stringify(unit.meta));
      rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
    } catch {
      // Lost a race or the disk is full: caching is an optimisation, never a failure.
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
