/**
 * Cache keys for a unit's artifacts. Pure: the caller gathers the facts
 * (preprocessed source digests, argv, tool digests); this turns them into
 * one stable digest.
 *
 * What goes in, and why:
 * - the digest of each compile step's preprocessed output, so an edited
 *   header misses the cache even when the .c file is unchanged;
 * - every step's argv with temp paths replaced, so flags, recipes and
 *   encoder options all count;
 * - each tool's resolved path and a digest of the executable's content
 *   (not its version string): a wrapper script first on PATH, or a pahole
 *   rebuilt with the same version number, must miss;
 * - CACHE_FORMAT, bumped whenever what is stored changes shape.
 */
import { createHash } from 'node:crypto';
import { byCodeUnit } from '../lang.js';

export const CACHE_FORMAT = 4;

export interface ToolDigest {
  readonly role: string;
  readonly path: string;
  /** sha256 of the executable's bytes (and of helper programs it runs, where known). */
  readonly sha256: string;
  /**
   * False when the files the tool reads are not the host's (a toolchain
   * root's tool, a wrapper whose compiler proper the host does not have):
   * its dependency lists name paths the host cannot check, so its units
   * use preprocessor-mode keys (cache/direct.ts). Not part of the key.
   */
  readonly hostFiles?: false;
}

export interface UnitCacheFacts {
  /** sha256 of each compile step's preprocessed output, in step order. */
  readonly preprocessed: readonly string[];
  /** Each planned step's argv, temp dir replaced by `$TMP`. */
  readonly steps: readonly (readonly string[])[];
  readonly tools: readonly ToolDigest[];
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One digest for all facts; object keys are written in a fixed order. */
export function unitCacheKey(facts: UnitCacheFacts): string {
  const tools = [...facts.tools].sort((a, b) => byCodeUnit(a.role, b.role));
  const canonical = JSON.stringify([CACHE_FORMAT, facts.preprocessed, facts.steps, tools.map((t) => [t.role, t.path, t.sha256])]);
  return sha256(canonical);
}
