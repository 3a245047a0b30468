/**
 * A bounded pool of concurrent async jobs. The units' work is spawning
 * compilers and encoders, so concurrency inside one Node process is enough:
 * `-j N` keeps N toolchain pipelines in flight.
 *
 * Results come back in input order whatever order jobs finish in, so
 * reports do not depend on scheduling. A job that throws does not stop the
 * others; the caller turns per-unit failures into results before they get
 * here (a throw is a bug and is re-thrown after the pool drains).
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  job: (item: T, index: number) => Promise<R>,
  onDone?: (result: R, index: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await job(items[i], i);
        onDone?.(results[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  if (failure) throw failure.error;
  return results;
}
