/**
 * Where the cache lives. Its own module because the CLI's start-up needs
 * it (the `--cache-dir` default in --help, the toolchain roots' place)
 * and must not load the store, the keys and direct mode to get it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$BTFPARITY_CACHE_DIR`, else `$XDG_CACHE_HOME/btfparity`, else `~/.cache/btfparity`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BTFPARITY_CACHE_DIR) return env.BTFPARITY_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'btfparity');
}
