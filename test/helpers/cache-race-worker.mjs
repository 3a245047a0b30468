// One process of test/cache-race: looks a key up and writes it, over and
// over, as concurrent `check` runs over one cache do; with "damage" it also
// truncates the entry's left.btf now and then. Prints its tally as JSON.
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactCache } from '../../dist/cache/store.js';

const [dir, mode, rounds] = process.argv.slice(2);
const key = `ab${'c'.repeat(62)}`;
const left = new Uint8Array(50_000).fill(7);
const right = new Uint8Array(40_000).fill(9);
const tally = { warns: 0, errors: [], hits: 0, wrong: 0 };
const cache = new ArtifactCache(dir, { warn: () => tally.warns++ });
for (let i = 0; i < Number(rounds); i++) {
  try {
    const got = cache.get(key);
    if (got) {
      tally.hits++;
      if (got.left.length !== left.length || got.right[0] !== 9) tally.wrong++;
    }
    cache.put(key, { left, right, meta: { round: 1 } });
    if (mode === 'damage' && i % 10 === 5) {
      try {
        truncateSync(join(dir, 'units', 'ab', key, 'left.btf'), 10);
      } catch {
        // The entry was between writers: nothing to damage this round.
      }
    }
  } catch (e) {
    tally.errors.push(`${e.code ?? ''} ${e.message}`);
  }
}
process.stdout.write(JSON.stringify(tally));
