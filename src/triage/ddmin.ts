/**
 * Delta debugging (Zeller's ddmin), complement-first and parallel: split
 * the current items into n chunks, test "everything but chunk k" for all k
 * — `parallel` candidates at a time — and keep the first (lowest k) that
 * is still interesting; otherwise refine the split. Ends 1-minimal: no
 * single item can be removed. Pure given its test function.
 *
 * Candidates within one batch are all tested even when an early one
 * already passed; with a content cache behind `test`, the extra work
 * seeds verdicts later levels ask for again.
 */

export type Interesting<T> = (items: readonly T[]) => Promise<boolean>;

export async function ddmin<T>(items: readonly T[], test: Interesting<T>, parallel = 1): Promise<T[]> {
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const chunks = split(current, Math.min(n, current.length));
    const complements = chunks.map((_, k) => chunks.flatMap((c, j) => (j === k ? [] : c)));
    // Subsets first only at n = 2 are the same as complements; for n > 2 a
    // subset rarely holds a C divergence on its own, so complements only.
    const winner = await firstPassing(complements, test, parallel);
    if (winner !== undefined) {
      current = complements[winner];
      n = Math.max(n - 1, 2);
      continue;
    }
    if (n >= current.length) break;
    n = Math.min(current.length, n * 2);
  }
  if (current.length === 1 && (await test([]))) return [];
  return current;
}

/** Index of the first candidate that passes, testing `parallel` at a time in order. */
async function firstPassing<T>(candidates: readonly T[][], test: Interesting<T>, parallel: number): Promise<number | undefined> {
  const width = Math.max(1, Math.floor(parallel));
  for (let from = 0; from < candidates.length; from += width) {
    const batch = candidates.slice(from, from + width);
    const verdicts = await Promise.all(batch.map((c) => test(c)));
    const hit = verdicts.indexOf(true);
    if (hit >= 0) return from + hit;
  }
  return undefined;
}

/** `items` in `n` contiguous chunks of near-equal size (none empty when n <= length). */
export function split<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const end = start + Math.floor((items.length - start) / (n - k));
    out.push(items.slice(start, end));
    start = end;
  }
  return out.filter((c) => c.length > 0);
}
