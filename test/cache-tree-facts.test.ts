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
});
