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
import { entityFamily, entityName, familyKey, keyName } from '../canonical/entity.js';

/** What an id is to the walks: followed through (anonymous), an entity nobody asked about, or a wanted entity. */
const FOLLOW = 0;
const OTHER = 1;
const WANTED = 2;

/** Entity key → names of the entities that reference it (directly). */
export function referrers(index: BtfIndex, wanted: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const n = index.count;
  const { start, to } = index.refs;
  const { role, wantedKey } = entityRoles(index, wanted);
  const seen = new Int32Array(n + 1); // per-walk marks: the walk number that visited an id
  const stack: number[] = [];
  const pushRefs = (id: number): void => {
    for (let e = start[id]; e < start[id + 1]; e++) stack.push(to[e]);
  };
  let walk = 0;
  for (let id = 1; id <= n; id++) {
    if (role[id] === FOLLOW) continue;
    walk++;
    // Named on its first referral only: most entities reach no entity with findings.
    let name: string | undefined;
    pushRefs(id);
    while (stack.length > 0) {
      const r = stack.pop()!;
      // A DATASEC entry may name an id past the last type (the decoder, like bpftool, allows it): nothing there.
      if (r === 0 || r > n || seen[r] === walk) continue;
      seen[r] = walk;
      const rr = role[r];
      if (rr === FOLLOW) {
        pushRefs(r);
        continue;
      }
      if (rr !== WANTED) continue;
      const key = wantedKey.get(r)!;
      const set = out.get(key) ?? new Set<string>();
      name ??= entityName(index.types[id - 1]);
      set.add(name);
      out.set(key, set);
    }
  }
  return out;
}

/**
 * Each id's role, in one pass, and each wanted id's key. No key string is
 * built per entity: a key is made only for a type whose bare name is among
 * the wanted keys' names (few), the rest are told by family alone; a wanted
 * entity's key is kept, as the walks meet it once per entity that reaches it.
 */
function entityRoles(index: BtfIndex, wanted: ReadonlySet<string>): { role: Uint8Array; wantedKey: Map<number, string> } {
  const n = index.count;
  const role = new Uint8Array(n + 1);
  const wantedKey = new Map<number, string>();
  const names = new Set<string>();
  for (const key of wanted) names.add(keyName(key));
  for (let id = 1; id <= n; id++) {
    const t = index.types[id - 1];
    const family = entityFamily(t);
    if (family === undefined) continue;
    const key = names.has(t.name) ? familyKey(family, t.name) : undefined;
    if (key !== undefined && wanted.has(key)) {
      role[id] = WANTED;
      wantedKey.set(id, key);
    } else role[id] = OTHER;
  }
  return { role, wantedKey };
}
