/**
 * Compiler launchers in compile databases and wrapped invocations: the unit
 * is the compiler's, whatever launches it (ccache, distcc, icecc, sccache).
 * Expected values follow from each launcher's documented command line:
 * `LAUNCHER COMPILER ARGS...`, and distcc's `distcc ARGS...` using `cc`.
 */
import { describe, expect, test } from 'vitest';
import { parseCompileCommands } from '../src/source/compile-commands.js';
import { splitLauncher } from '../src/source/compiler-launcher.js';
import { unitFromCompilerArgv } from '../src/source/compiler-invocation.js';

describe('splitLauncher', () => {
  test.each([
    [['gcc', '-c', 'x.c'], undefined, ['gcc', '-c', 'x.c']],
    [['ccache', 'gcc', '-c', 'x.c'], 'ccache', ['gcc', '-c', 'x.c']],
    [['/usr/bin/ccache', '/usr/bin/gcc-12', '-c', 'x.c'], '/usr/bin/ccache', ['/usr/bin/gcc-12', '-c', 'x.c']],
    [['distcc', 'gcc', '-O2', '-c', 'x.c'], 'distcc', ['gcc', '-O2', '-c', 'x.c']],
    [['distcc', '-c', 'x.c'], 'distcc', ['cc', '-c', 'x.c']],
    [['distcc', 'x.c', '-c'], 'distcc', ['cc', 'x.c', '-c']],
    [['icecc', 'gcc', '-c', 'x.c'], 'icecc', ['gcc', '-c', 'x.c']],
    [['sccache', 'clang', '-c', 'x.c'], 'sccache', ['clang', '-c', 'x.c']],
    [['ccache', 'distcc', 'gcc', '-c', 'x.c'], 'ccache', ['gcc', '-c', 'x.c']],
    // A directory that happens to be called ccache is not the launcher: only the program name counts.
    [['/opt/ccache/bin/gcc', '-c', 'x.c'], undefined, ['/opt/ccache/bin/gcc', '-c', 'x.c']],
  ])('%j', (argv, launcher, rest) => {
    expect(splitLauncher(argv)).toEqual(launcher === undefined ? { argv: rest } : { launcher, argv: rest });
  });

  test('a launcher that needs a compiler named, without one, is not a compile', () => {
    expect(splitLauncher(['ccache', '-c', 'x.c'])).toBeUndefined();
    expect(splitLauncher(['icecc'])).toBeUndefined();
  });
});

describe('launchers in the two places units come from', () => {
  test('a compile database entry: the compiler after the launcher, its flags without the launcher', () => {
    const db = JSON.stringify([
      { directory: '/b', command: 'ccache gcc -O2 -DX=1 -c a.c -o a.o', file: 'a.c' },
      { directory: '/b', arguments: ['distcc', 'gcc-12', '-Wall', '-c', 'b.c'], file: 'b.c' },
    ]);
    const units = parseCompileCommands(db, 'db.json');
    expect(units.map((u) => [u.compiler, u.flags])).toEqual([
      ['gcc', ['-O2', '-DX=1']],
      ['gcc-12', ['-Wall']],
    ]);
  });

  test('a database entry with a launcher and no compiler is one line naming the entry', () => {
    const db = JSON.stringify([{ directory: '/b', command: 'ccache -c a.c', file: 'a.c' }]);
    expect(() => parseCompileCommands(db, 'db.json')).toThrow(/entry 0: "ccache" is a compiler launcher and the command names no compiler after it/);
  });

  test('a wrapped invocation (make CC="btfparity cc distcc gcc")', () => {
    expect(unitFromCompilerArgv(['distcc', 'gcc', '-O2', '-c', 'shapes.c', '-o', 'shapes.o'], '/w')).toEqual({
      file: '/w/shapes.c',
      directory: '/w',
      compiler: 'gcc',
      flags: ['-O2'],
      output: '/w/shapes.o',
    });
    // A link through the launcher is still not a unit.
    expect(unitFromCompilerArgv(['distcc', 'gcc', 'a.o', 'b.o', '-o', 'app'], '/w')).toBeUndefined();
  });
});
