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
import type { Btf } from '../btf/types.js';
import { typeById, typeCount } from '../btf/types.js';
import { entityKey, entityName } from '../canonical/entity.js';
import { decodedReferences } from '../btf/decode.js';
import { typeRefs } from '../btf/refs.js';

/** Entity key → names of the entities that reference it (directly). */
export function referrers(btf: Btf, wanted: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const n = typeCount(btf);
  const seen = new Int32Array(n + 1); // per-walk marks: the walk number that visited an id
  // Each id's entity key, made once (null: not an entity): the walks meet the same named types again and again.
  const keys = new Array<string | null | undefined>(n + 1);
  const keyOf = (id: number): string | null => {
    let k = keys[id];
    if (k === undefined) {
      k = entityKey(typeById(btf, id)!) ?? null;
      keys[id] = k;
    }
    return k;
  };
  // References from the decoder's flat table when it has one (no arrays made per type), else from the records.
  const table = btf.base === undefined ? decodedReferences(btf) : undefined;
  const pushRefs = (stack: number[], id: number): void => {
    if (table) for (let e = table.start[id - 1]; e < table.start[id]; e++) stack.push(table.to[e]);
    else for (const r of typeRefs(typeById(btf, id)!)) stack.push(r);
  };
  const refsOf = (id: number): number[] => {
    const out: number[] = [];
    pushRefs(out, id);
    return out;
  };
  let walk = 0;
  for (let id = 1; id <= n; id++) {
    const t = typeById(btf, id)!;
    if (keyOf(id) === null) continue;
    walk++;
    const name = entityName(t);
    const stack = refsOf(id);
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
      set.add(name);
      out.set(key, set);
    }
  }
  return out;
}
