/**
 * How units of a compile database are named in reports (namingRoot): pure
 * path logic, split from the CLI tests in collect-merge.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, test } from 'vitest';
import { namingRoot } from '../src/source/compile-db.js';
import { repositoryRoot, sourcesFromArgs } from '../src/source/files.js';
import { namedFrom } from '../src/source/select.js';

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

describe('SRC arguments are named relative to a root (issue 12)', () => {
  const base = mkdtempSync(join(tmpdir(), 'btfparity-test-names-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const repo = join(base, 'checkout');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
  writeFileSync(join(repo, 'src', 'deep', 'a.c'), 'int a;\n');

  it('relative to the repository holding cwd, however the path was typed', () => {
    expect(repositoryRoot(join(repo, 'src', 'deep'))).toBe(repo);
    const cwd = join(repo, 'src');
    expect(sourcesFromArgs(['deep/a.c'], cwd)[0]).toEqual({ display: 'src/deep/a.c', arg: 'deep/a.c', cwd });
    expect(sourcesFromArgs([join(repo, 'src', 'deep', 'a.c')], cwd)[0].display).toBe('src/deep/a.c');
  });

  it('relative to --root when given; absolute when the file is outside the root', () => {
    const cwd = join(repo, 'src');
    expect(sourcesFromArgs(['deep/a.c'], cwd, join(repo, 'src', 'deep'))[0].display).toBe('a.c');
    expect(sourcesFromArgs(['deep/a.c'], cwd, join(base, 'elsewhere'))[0].display).toBe(join(repo, 'src', 'deep', 'a.c'));
    expect(namedFrom('/r', '/r/x/y.c')).toBe('x/y.c');
    expect(namedFrom('/r', '/rx/y.c')).toBe('/rx/y.c');
  });
});
