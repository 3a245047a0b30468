/**
 * What differs between two flat records, field by field: the gate's word
 * on a finding whose baseline entry and current facts disagree (baseline.ts).
 *
 * The one place this is computed, so that the `deep-diff` package (on the
 * project's stack list, not installed yet) can replace the local
 * comparison in one line: its `diff(a, b)` yields `{ kind, path, lhs, rhs }`
 * per difference, which maps onto FieldChange as
 * `(diff(a, b) ?? []).map((d) => ({ field: d.path.join('.'), before: d.lhs, after: d.rhs }))`.
 */

/** One field that differs: its value in the first record and in the second (undefined: the record lacks it). */
export interface FieldChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

/** A flat record of text fields, as a baseline entry is; a field holding undefined counts as absent. */
export type FlatRecord = Readonly<Record<string, string | undefined>>;

/**
 * The fields whose values differ between `a` and `b`, in `a`'s field order
 * and then the fields only `b` has, in `b`'s order (the order deep-diff
 * reports them in), so the listing is deterministic.
 */
export function recordChanges(a: FlatRecord, b: FlatRecord): FieldChange[] {
  const fields = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
  const out: FieldChange[] = [];
  for (const field of fields) {
    const before = a[field];
    const after = b[field];
    if (before === after) continue;
    out.push({ field, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  return out;
}

/** `status known → unexplained, reason pahole-float-as-int → (unset)`: for the gate's lines and messages. */
export function changesText(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`).join(', ');
}
