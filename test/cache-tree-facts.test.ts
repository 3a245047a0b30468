/**
 * TreeFacts (src/cache/file-state.ts), what direct-mode keys read of the
 * tree: places by directory listing (stat for symlinks and `..`), per cwd;
 * content digests never reused for a file changed within RECENT_NS.
 * Expected states follow from the files each test makes.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sha256 } from '../src/cache/key.js';
import { heldPlaces, heldPlacesPruned, type PlaceState, shadowCandidates } from '../src/cache/direct.js';
import { TreeFacts } from '../src/cache/file-state.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-tree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('TreeFacts', () => {
  test('places: file, directory, nothing; a relative directory under each cwd; symlinks and .. through stat', () => {
    for (const d of ['a/inc/sub', 'b/inc', 'b/other']) mkdirSync(join(work, d), { recursive: true });
    writeFileSync(join(work, 'a/inc/h.h'), '');
    symlinkSync(join(work, 'a/inc/h.h'), join(work, 'b/inc/link.h'));
    symlinkSync(join(work, 'nowhere.h'), join(work, 'b/inc/dangling.h'));
    const t = new TreeFacts();
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    expect([t.place(a, 'inc', 'h.h'), t.place(a, 'inc', 'sub'), t.place(a, 'inc', 'x.h'), t.place(a, 'inc', 'no/such.h')]).toEqual([
      'f',
      'd',
      undefined,
      undefined,
    ]);
    // The same spelled directory under another cwd is another directory.
    expect([t.place(b, 'inc', 'h.h'), t.place(b, 'inc', 'link.h'), t.place(b, 'inc', 'dangling.h')]).toEqual([undefined, 'f', undefined]);
    expect([t.place(b, 'other', '../inc/link.h'), t.place(b, '.', 'inc/link.h'), t.place(b, '/', `${b.slice(1)}/inc/link.h`)]).toEqual(['f', 'f', 'f']);
  });

  test('content: digested, and a rewrite with size and mtime restored is seen within the same run', () => {
    const f = join(work, 'c.h');
    writeFileSync(f, 'int a;\n');
    utimesSync(f, 1e9, 1e9);
    const t = new TreeFacts();
    expect(t.content(work, 'c.h')?.sha256).toBe(sha256('int a;\n'));
    writeFileSync(f, 'int b;\n');
    utimesSync(f, 1e9, 1e9);
    // Its ctime is new (and changed): not reused.
    expect(t.content(work, 'c.h')?.sha256).toBe(sha256('int b;\n'));
    expect(t.content(work, 'missing.h')).toBeUndefined();
  });

  test('content: unsafe words and __has_include probes', () => {
    writeFileSync(join(work, 't.h'), 'const char *w = __TIME__;\n');
    writeFileSync(join(work, 'p.h'), '#if __has_include(<x/y.h>)\n#endif\n');
    const t = new TreeFacts();
    expect(t.content(work, 't.h')?.unsafe).toBe('__TIME__');
    expect([t.content(work, 'p.h')?.unsafe, t.content(work, 'p.h')?.probes]).toEqual([undefined, ['x/y.h']]);
  });

  test('heldPlaces: the pruned walk gives what every place asked gives, on a tree with links, dot steps and absolute places', () => {
    const root = join(work, 'held');
    for (const d of ['inc/linux', 'inc/asm', 'arch/inc/asm', 'src/sub', 'real/linux']) mkdirSync(join(root, d), { recursive: true });
    for (const f of ['inc/linux/types.h', 'inc/asm/io.h', 'arch/inc/asm/io.h', 'src/local.h', 'src/sub/x.h', 'real/linux/types.h'])
      writeFileSync(join(root, f), '');
    symlinkSync(join(root, 'real'), join(root, 'arch/inc/linkdir')); // a directory reached through a symlink
    symlinkSync(join(root, 'nowhere.h'), join(root, 'src/dangling.h'));
    const files = ['inc/linux/types.h', 'arch/inc/asm/io.h', 'src/local.h', 'src/sub/x.h', `${root}/inc/asm/io.h`];
    const dirs = ['inc', 'arch/inc', 'arch/inc/linkdir', 'src', 'src/sub', '.', `${root}/src/../inc`, '/', 'missing'];
    const probes = ['linux/types.h', 'dangling.h', 'sub/../local.h', 'asm/', `${root}/src/local.h`, 'linkdir/linux/types.h'];
    const t = new TreeFacts();
    const everyPlace = heldPlaces(files, dirs, probes, (d, r) => t.place(root, d, r));
    expect(everyPlace.length).toBeGreaterThan(10);
    expect(everyPlace).toContain('f arch/inc/linkdir/linux/types.h');
    expect(everyPlace).toContain(`f ${root}/src/../inc/linux/types.h`);
    expect(everyPlace).toContain('f src/sub/../local.h');
    expect(new TreeFacts().heldPlaces(root, files, dirs, probes)).toEqual(everyPlace);
  });

  test('heldPlacesPruned asks only where mayHold allows, and never skips absolute or dot-step spellings', () => {
    const held = new Map<string, PlaceState>([
      ['a/linux/x.h', 'f'],
      ['b/asm/y.h', 'f'],
      ['/abs/z.h', 'f'],
      ['a/w/../v.h', 'f'],
    ]);
    const asked: string[] = [];
    const state = (d: string, r: string): PlaceState => {
      const at = r.startsWith('/') ? r : `${d}/${r}`;
      asked.push(at);
      return held.get(at);
    };
    const tops = new Map([
      ['a', ['linux']],
      ['b', ['asm']],
    ]);
    const mayHold = (d: string) => new Set(tops.get(d) ?? []);
    const files = ['a/linux/x.h', 'b/asm/y.h'];
    const probes = ['linux/x.h', 'asm/y.h', '/abs/z.h', 'w/../v.h'];
    const all = heldPlaces(files, ['a', 'b'], probes, state);
    const everyAsked = asked.length;
    asked.length = 0;
    expect(heldPlacesPruned(files, ['a', 'b'], probes, state, mayHold)).toEqual(all);
    // An absolute spelling is written under each directory, as heldPlaces always wrote it.
    expect(all).toEqual(['f a//abs/z.h', 'f a/linux/x.h', 'f a/w/../v.h', 'f b//abs/z.h', 'f b/asm/y.h']);
    // linux/* only in a, asm/* only in b; the absolute and dot-step spellings in both.
    expect(asked.sort()).toEqual(['/abs/z.h', '/abs/z.h', 'a/linux/x.h', 'a/w/../v.h', 'b/asm/y.h', 'b/w/../v.h']);
    expect(everyAsked).toBe(2 * 4); // every spelling (the files' equal two probes) in both directories
    // A listing with more names than there are groups is read the other way round (groups looked up in it): the same places asked.
    asked.length = 0;
    const wide = (d: string) => new Set([...(tops.get(d) ?? []), 'n1', 'n2', 'n3', 'n4']);
    expect(heldPlacesPruned(files, ['a', 'b'], probes, state, wide)).toEqual(all);
    expect(asked.sort()).toEqual(['/abs/z.h', '/abs/z.h', 'a/linux/x.h', 'a/w/../v.h', 'b/asm/y.h', 'b/w/../v.h']);
  });

  test("shadowCandidates: each file's path minus each directory it lies under, as the definition says, through odd spellings", () => {
    const files = ['a/b/c.h', './x.h', 'a//b/d.h', '/abs/e.h', '//f.h', 'a/', 'g.h', '../up/h.h', 'a/b/'];
    const dirs = ['a', 'a/b', 'a/', '.', '/', '/abs', '..', 'a/', 'zz', 'a//b'];
    const trimmed = [...new Set(dirs.map((d) => d.replace(/\/+$/, '') || '/'))];
    const expected = new Set<string>();
    const spellings = new Set<string>();
    for (const f of files) {
      for (const d of trimmed) {
        const prefix = d === '.' ? '' : d === '/' ? '/' : `${d}/`;
        if (d === '.' ? !f.startsWith('/') : f.startsWith(prefix) && f.length > prefix.length) spellings.add(f.slice(prefix.length));
      }
    }
    const under = (d: string, r: string) => (d === '.' ? r : d === '/' ? `/${r}` : `${d}/${r}`);
    for (const d of trimmed) for (const r of spellings) expected.add(under(d, r));
    const got = shadowCandidates(files, dirs);
    expect(got).toEqual([...expected].sort());
    expect(got).toContain('zz//b/d.h'); // a//b/d.h minus a: /b/d.h
    expect(got).toContain('zz/d.h'); // minus a//b
  });
});
