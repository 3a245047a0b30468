/**
 * Tool version comparison for rule conditions: the first dotted number of
 * a `--version` line against a condition like `<1.25`. Pure.
 */

/** A version condition: optional operator (`<`, `<=`, `>`, `>=`, `=`, `==`; none is `=`) and a dotted number. */
export const VERSION_CONDITION = /^\s*(<=|>=|<|>|==|=)?\s*(\d+(?:\.\d+)*)\s*$/;

/** The first dotted number in a version string: `gcc (Debian 12.2.0-14) 12.2.0` → [12,2,0], `v1.24` → [1,24]. */
export function firstDottedNumber(version: string): number[] | undefined {
  const m = /\d+(?:\.\d+)*/.exec(version);
  return m ? m[0].split('.').map(Number) : undefined;
}

/** Numeric, component-wise; missing components count as 0 (1.24 == 1.24.0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Does `version` (a tool's --version line) satisfy `condition` (e.g. `<1.25`)? False when no number is found. */
export function versionSatisfies(version: string, condition: string): boolean {
  const m = VERSION_CONDITION.exec(condition);
  const have = firstDottedNumber(version);
  if (!m || !have) return false;
  const c = compareVersions(have, m[2].split('.').map(Number));
  switch (m[1]) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return c === 0;
  }
}
