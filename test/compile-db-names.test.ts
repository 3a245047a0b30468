/**
 * How units of a compile database are named in reports (namingRoot): pure
 * path logic, split from the CLI tests in collect-merge.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { namingRoot } from '../src/source/compile-db.js';

describe('unit names of a database', () => {
  const unit = (file: string, directory: string) => ({ file, directory, compiler: 'gcc', flags: [] });
  test('relative to the database directory when it holds every file', () => {
    expect(namingRoot([unit('/k/lib/sort.c', '/k'), unit('/k/fs/a.c', '/k')], '/k')).toBe('/k');
  });
  test('a database outside the tree (kernel-corpus writes out/compile_commands.json): the tree the entries run in', () => {
    expect(namingRoot([unit('/w/linux/lib/sort.c', '/w/linux'), unit('/w/linux/fs/a.c', '/w/linux')], '/w/out')).toBe('/w/linux');
  });
  test('files outside every candidate: the database directory, names with ..', () => {
    expect(namingRoot([unit('/src/a.c', '/build'), unit('/src/b.c', '/build')], '/db')).toBe('/db');
  });
});
