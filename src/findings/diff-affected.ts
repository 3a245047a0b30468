/**
 * Who references whom, at the level of entities. An entity references
 * another when the other is reachable from it through anonymous types only
 * (pointers, qualifiers, arrays, anonymous structs, prototypes): those are
 * exactly the places where the diff compares by name and stays silent, so
 * they are the entities a difference "affects" without being reported again.
 * Only direct references count; `affected` of `struct point` lists
 * `struct rect` (which embeds it) but not the functions that take a
 * `struct rect *` (they are listed under `struct rect` if it differs).
 */
import type { BtfIndex } from '../btf/btf-index.js';
import { entityKey, entityName } from '../canonical/entity.js';

/** Entity key → names of the entities that reference it (directly). */
export function referrers(index: BtfIndex, wanted: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const n = index.count;
  const { start, to } = index.refs;
  const seen = new Int32Array(n + 1); // per-walk marks: the walk number that visited an id
  // Each id's entity key, made once (null: not an entity): the walks meet the same named types again and again.
  const keys = new Array<string | null | undefined>(n + 1);
  const keyOf = (id: number): string | null => {
    let k = keys[id];
    if (k === undefined) {
      // A dangling id (DATASEC entries are not range-checked) is no entity and leads nowhere.
      const t = index.type(id);
      k = (t && entityKey(t)) ?? null;
      keys[id] = k;
    }
    return k;
  };
  const pushRefs = (stack: number[], id: number): void => {
    for (let e = start[id]; e < start[id + 1]; e++) stack.push(to[e]);
  };
  let walk = 0;
  for (let id = 1; id <= n; id++) {
    if (keyOf(id) === null) continue;
    walk++;
    // Named on its first referral only: most entities reach no entity with findings.
    let name: string | undefined;
    const stack: number[] = [];
    pushRefs(stack, id);
    while (stack.length > 0) {
      const r = stack.pop()!;
      // A DATASEC entry may name an id past the last type (the decoder, like bpftool, allows it): nothing there.
      if (r === 0 || r > n || seen[r] === walk) continue;
      seen[r] = walk;
      const key = keyOf(r);
      if (key === null) {
        pushRefs(stack, r);
        continue;
      }
      if (!wanted.has(key)) continue;
      const set = out.get(key) ?? new Set<string>();
      name ??= entityName(index.types[id - 1]);
      set.add(name);
      out.set(key, set);
    }
  }
  return out;
}
