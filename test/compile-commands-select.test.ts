import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InputError } from '../src/errors.js';
import type { CompileUnit } from '../src/source/compile-unit.js';
import { defaultRoot, selectUnits } from '../src/source/select.js';
import { fnv1a32, parseShard, shardOf, shardUnits } from '../src/source/shard.js';

const unit = (root: string, rel: string, directory = root): CompileUnit => ({
  file: `${root}/${rel}`,
  directory,
  compiler: 'gcc',
  flags: [],
});

const KERNEL = ['lib/sort.c', 'lib/zlib_inflate/inflate.c', 'fs/stat.c', 'fs/ext4/inode.c', 'kernel/cred.c', 'net/core/utils.c', 'mm/util.c'];
const units = KERNEL.map((f) => unit('/k/linux', f));
const names = (us: CompileUnit[]) => us.map((u) => u.file.slice('/k/linux/'.length));

describe('selectUnits', () => {
  test.each([
    // `*` stays inside one segment, `**` crosses segments.
    [['fs/*.c'], ['fs/stat.c']],
    [['fs/**'], ['fs/stat.c', 'fs/ext4/inode.c']],
    [['**/inode.c'], ['fs/ext4/inode.c']],
    [['lib/**/*.c'], ['lib/sort.c', 'lib/zlib_inflate/inflate.c']],
    [['?m/*'], ['mm/util.c']],
    [['[fk]*/*.c'], ['fs/stat.c', 'kernel/cred.c']],
    [['[!fk]*/*.c'], ['lib/sort.c', 'mm/util.c']],
    // includes are a union kept in database order; `!` excludes afterwards.
    [
      ['net/**', 'lib/sort.c'],
      ['lib/sort.c', 'net/core/utils.c'],
    ],
    [
      ['**', '!fs/**', '!lib/**'],
      ['kernel/cred.c', 'net/core/utils.c', 'mm/util.c'],
    ],
    // util.c is not utils.c: only mm/util.c goes.
    [['!**/util.c'], ['lib/sort.c', 'lib/zlib_inflate/inflate.c', 'fs/stat.c', 'fs/ext4/inode.c', 'kernel/cred.c', 'net/core/utils.c']],
    [[], KERNEL],
    // `.` is literal, not "any character".
    [['lib/sort.?'], ['lib/sort.c']],
    [['lib/sortxc'], []],
  ])('%j selects %j', (patterns, expected) => {
    expect(names(selectUnits(units, patterns, '/k/linux'))).toEqual(expected);
  });
});

describe('defaultRoot', () => {
  test('is the tree for a kbuild database, whatever subset it holds', () => {
    expect(defaultRoot(units)).toBe('/k/linux');
    expect(defaultRoot([unit('/k/linux', 'lib/sort.c')])).toBe('/k/linux');
  });
  test('is the common ancestor of differing directories (CMake-style per-target build dirs)', () => {
    expect(defaultRoot([unit('/p', 'a/x.c', '/p/build/a'), unit('/p', 'b/y.c', '/p/build/b')])).toBe('/p/build');
    expect(defaultRoot([unit('/p', 'x.c', '/p'), unit('/q', 'y.c', '/q')])).toBe('/');
    expect(defaultRoot([])).toBeUndefined();
  });
});

describe('sharding', () => {
  // Published FNV-1a 32-bit test vectors (Fowler/Noll/Vo reference test suite).
  test.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('fnv1a32(%j) is the reference value', (s, h) => {
    expect(fnv1a32(s)).toBe(h);
  });

  // Pinned so a change of hash or of the path fed to it (which would move
  // units between CI shards) cannot go unnoticed. Values from an independent
  // Python FNV-1a: lib/sort.c 0xed8d1f86, fs/stat.c 0xe31e5e82,
  // kernel/cred.c 0x75bbb80a, net/core/utils.c 0x243e2b3f; shard = h % 4 + 1.
  test('kernel paths land in the documented shards', () => {
    const at = (rel: string) => shardOf(unit('/anywhere', rel), 4, '/anywhere');
    expect([at('lib/sort.c'), at('fs/stat.c'), at('kernel/cred.c'), at('net/core/utils.c')]).toEqual([3, 3, 3, 4]);
  });

  test('is independent of where the tree is checked out', () => {
    const elsewhere = KERNEL.map((f) => unit('/home/ci/build/linux-6.1', f));
    for (let k = 1; k <= 3; k++) {
      expect(names(shardUnits(units, k, 3, '/k/linux'))).toEqual(
        shardUnits(elsewhere, k, 3, '/home/ci/build/linux-6.1').map((u) => u.file.slice('/home/ci/build/linux-6.1/'.length)),
      );
    }
  });

  const pathArb = fc.array(fc.stringMatching(/^[a-z_]{1,6}(\/[a-z_]{1,6}){0,2}\.c$/), { maxLength: 40 });

  test('shards are disjoint, cover the database and keep its order', () => {
    fc.assert(
      fc.property(pathArb, fc.integer({ min: 1, max: 9 }), (paths, n) => {
        const us = paths.map((p) => unit('/r', p));
        const shards = Array.from({ length: n }, (_, i) => shardUnits(us, i + 1, n, '/r'));
        const seen = shards.flat();
        expect(seen.length).toBe(us.length);
        expect(new Set(seen).size).toBe(new Set(us).size);
        for (const s of shards) expect(s).toEqual(us.filter((u) => s.includes(u)));
      }),
    );
  });

  test('adding units never moves an existing unit to another shard', () => {
    fc.assert(
      fc.property(pathArb, pathArb, fc.integer({ min: 1, max: 9 }), (before, added, n) => {
        const us = before.map((p) => unit('/r', p));
        const grown = [...added.map((p) => unit('/r', p)), ...us];
        for (const u of us) {
          const k = shardOf(u, n, '/r');
          expect(shardUnits(grown, k, n, '/r')).toContain(u);
        }
      }),
    );
  });

  test.each(['0/4', '5/4', '1/0', '1', 'a/b', '1/4/2', ''])('--shard %j is an InputError', (spec) => {
    expect(() => parseShard(spec)).toThrow(InputError);
  });

  test('parseShard reads K/N', () => {
    expect(parseShard('2/4')).toEqual({ k: 2, n: 4 });
    expect(() => shardUnits(units, 0, 4, '/k/linux')).toThrow(InputError);
    expect(() => shardUnits(units, 1, 0, '/k/linux')).toThrow(InputError);
  });
});
