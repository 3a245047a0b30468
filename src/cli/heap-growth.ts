/**
 * How far V8 lets the heap grow past what survived the last full
 * collection, for runs of many units (issue 13: `check` memory bounded by
 * the largest unit, not by the number of units).
 *
 * A run decodes and compares one unit after another; each unit's graphs die
 * when it is done. By default V8 sets the next collection's limit at up to
 * 4x the heap that survived, so the old space swells to a few times the
 * live data, and how far it swells depends on when collections happen to
 * fall, which more units give more chances to be unlucky with. A fixed
 * `--max-old-space-size` would bound it but fail a unit larger than the cap
 * (a vmlinux-size one). A growing factor instead keeps the limit
 * proportional to what is live: a large unit still gets all the heap it
 * needs. V8 reads the factor at each collection, so setting it from inside
 * the process works (test/heap-growth.test.ts shows the heap stay smaller).
 * Costs more, smaller collections: see docs/BENCHMARKS.md.
 */
import { setFlagsFromString } from 'node:v8';

/** The old space may grow to (1 + this/100) times what survived the last full collection. */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = /--heap[-_]growing[-_]percent\b/;

/**
 * The V8 flag to set, or undefined when the user chose a factor of their
 * own (on node's command line or in NODE_OPTIONS): theirs stays.
 */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if (execArgv.some((a) => FLAG.test(a)) || FLAG.test(nodeOptions ?? '')) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Bound the heap's growth for the rest of this process (a CLI run of units; the library leaves V8 alone). */
export function boundHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== undefined) setFlagsFromString(flag);
}
