/**
 * What differs between two flat records, field by field: the gate's word
 * on a finding whose baseline entry and current facts disagree (baseline.ts).
 * The comparison is the `deep-diff` package's (plain JSON records are what
 * it is for; the cyclic BTF graphs are compared by canonical/, never here).
 */
import deepDiff from 'deep-diff';

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
 * and then the fields only `b` has, in `b`'s order (deep-diff walks the keys
 * so), so the listing is deterministic. Fields holding undefined are left
 * out first: absent and undefined are one thing to a baseline.
 */
export function recordChanges(a: FlatRecord, b: FlatRecord): FieldChange[] {
  const changes = deepDiff.diff(defined(a), defined(b)) ?? [];
  return changes.map((d) => {
    const before = 'lhs' in d ? (d.lhs as unknown as string | undefined) : undefined;
    const after = 'rhs' in d ? (d.rhs as unknown as string | undefined) : undefined;
    return { field: (d.path ?? []).join('.'), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
  });
}

function defined(r: FlatRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

/** `status known → unexplained, reason pahole-float-as-int → (unset)`: for the gate's lines and messages. */
export function changesText(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`).join(', ');
}
