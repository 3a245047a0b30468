/**
 * The decoder's reference check: every type id a type refers to must
 * exist. The ids checked are the descriptor's (kinds.ts) minus DATASEC
 * entries, which bpftool prints without looking them up (ENTRIES.vars is
 * 'unchecked'); the words in messages come from the descriptor too.
 */
import { InputError } from '../errors.js';
import { type AnyKindFacts, ENTRIES, type EntryList, KINDS, typeSize } from './kinds.js';
import type { Btf, BtfType } from './types.js';
import { typeCount } from './types.js';

interface Entry {
  readonly type: number;
  readonly name: string;
}

/** The checked entries of `t`, if its kind has any. */
function checkedEntries(t: BtfType, f: AnyKindFacts): readonly Entry[] | undefined {
  if (f.entries === undefined || ENTRIES[f.entries].ids !== 'checked') return undefined;
  return (t as unknown as Record<EntryList, readonly Entry[]>)[f.entries];
}

/** The first checked type id of `t` past `last`, if any. Allocation-free: this runs over every member of vmlinux. */
export function firstBadReference(t: BtfType, last: number): number | undefined {
  const f: AnyKindFacts = KINDS[t.kind];
  const fields = t as unknown as Record<string, number>;
  for (let i = 0; i < f.ids.length; i++) {
    const id = fields[f.ids[i][0]];
    if (id > last) return id;
  }
  const es = checkedEntries(t, f);
  if (es) for (let i = 0; i < es.length; i++) if (es[i].type > last) return es[i].type;
  return undefined;
}

/** The checked type ids of `t`, with a word for each (for messages): `target`, `element`, `member 'x'`, `param 2`. */
export function references(t: BtfType): Array<[number, string]> {
  const f: AnyKindFacts = KINDS[t.kind];
  const fields = t as unknown as Record<string, number>;
  const out: Array<[number, string]> = f.ids.map(([field, word]) => [fields[field], word]);
  const es = checkedEntries(t, f);
  const word = f.entries && ENTRIES[f.entries].word;
  if (es && word) for (let i = 0; i < es.length; i++) out.push([es[i].type, word(es[i].name, i)]);
  return out;
}

/**
 * Throw at the first type that refers past the last id. `typeAt` is the
 * type section's offset in the blob, for the error's offset.
 */
export function checkReferences(btf: Btf, typeAt: number): void {
  const last = typeCount(btf);
  for (let i = 0; i < btf.types.length; i++) {
    const t = btf.types[i];
    const bad = firstBadReference(t, last);
    if (bad !== undefined) {
      const [ref, what] = references(t).find(([r]) => r > last) ?? [bad, 'a'];
      // Offsets are not kept per type (vmlinux has 126k); on this rare path,
      // recompute where the type starts from the sizes of those before it.
      let at = typeAt;
      for (let j = 0; j < i; j++) at += typeSize(btf.types[j]);
      throw new InputError(`${t.kind} refers to ${what} type id ${ref}, past the last id ${last}`, { typeId: t.id, offset: at });
    }
  }
}
