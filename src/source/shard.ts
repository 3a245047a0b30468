/**
 * Sharding units (`--shard K/N`) by a stable hash of their name, so shards
 * of one run are disjoint, cover it, and agree across machines, Node
 * versions and input orders. The same hash names a unit's scratch
 * directory in the pipeline. Pure.
 */
import { InputError } from '../errors.js';
import type { CompileUnit } from './compile-unit.js';
import { unitPath } from './select.js';
import type { UnitSource } from './unit-source.js';

/**
 * FNV-1a (32-bit) over the UTF-8 bytes of `s`. Chosen because it is tiny,
 * fully specified and independent of the platform, so the same path lands
 * in the same shard on every machine and Node version.
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The 1-based shard (of `n`) a unit belongs to: fnv1a32(its path relative to root) mod n, plus 1. */
export function shardOf(unit: CompileUnit, n: number, root: string): number {
  return (fnv1a32(unitPath(unit, root)) % n) + 1;
}

/**
 * The units of shard `k` of `n` (1-based, as in `--shard 2/4`), in original
 * order. Membership depends only on the unit's path relative to `root`, not
 * on the database's order or size or on where the tree is checked out: shards
 * of one database are disjoint and cover it, and adding a unit never moves
 * another unit to a different shard. The price is that shard sizes are only
 * roughly equal.
 */
export function shardUnits(units: readonly CompileUnit[], k: number, n: number, root: string): CompileUnit[] {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`shard count must be a positive integer, got ${n}`, { option: '--shard' });
  if (!Number.isInteger(k) || k < 1 || k > n) throw new InputError(`shard index must be in 1..${n}, got ${k}`, { option: '--shard' });
  return units.filter((u) => shardOf(u, n, root) === k);
}

/** Parse a `--shard` value `K/N`. */
export function parseShard(spec: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new InputError(`expected K/N (e.g. 1/4), got ${JSON.stringify(spec)}`, { option: '--shard' });
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new InputError(`expected 1 <= K <= N, got ${spec}`, { option: '--shard' });
  return { k, n };
}

/**
 * Shard K of N of any unit list, by FNV-1a of the name reports use (the
 * same hash shardUnits uses for database units): membership depends on the
 * unit's own name only, so shards are disjoint, cover the list, and agree
 * across machines and list orders.
 */
export function shardSources(sources: readonly UnitSource[], k: number, n: number): UnitSource[] {
  return sources.filter((s) => (fnv1a32(s.display) % n) + 1 === k);
}
