/**
 * Two language-level helpers every folder uses: the project's one string
 * order and the exhaustiveness check of switches over closed unions.
 */

/**
 * Code-unit order (what `<` does on strings), the order of every sorted
 * output: the same on every machine, unlike `localeCompare`.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The end of a switch that handles every member of a closed union: the
 * compiler proves `x` is `never` there, so adding a member without a case
 * fails to build. Reached at run time only by a value outside the union
 * (a hand-built object with a made-up kind).
 */
export function assertNever(x: never): never {
  const v: unknown = x;
  const what = typeof v === 'object' && v !== null && 'kind' in v ? `kind ${String(v.kind)}` : String(v);
  throw new Error(`unexpected ${what}`);
}

/**
 * Append every element of `xs` to `out`. `out.push(...xs)` passes each
 * element as an argument and overflows the stack past ~100k of them
 * (a 200k-word `--cflags`, a qualifier run of a hostile BTF).
 */
export function pushAll<T>(out: T[], xs: readonly T[]): void {
  for (const x of xs) out.push(x);
}
