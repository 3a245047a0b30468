import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseCompileCommands } from '../src/source/compile-commands.js';
import { splitShellWords } from '../src/source/shell-words.js';

/**
 * The oracle for word splitting is a real POSIX shell: `sh -c 'printf
 * "%s\0" WORDS'` prints each word the shell produced, NUL-terminated.
 */
function shWords(line: string): string[] {
  // A leading sentinel word keeps printf from running with no arguments.
  const out = execFileSync('sh', ['-c', `printf '%s\\0' sentinel ${line}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\0').slice(1, -1);
}

describe('splitShellWords', () => {
  // The kernel's quoting (as gen_compile_commands.py writes it from .cmd files).
  test.each([
    [`-DKBUILD_MODNAME='"foo"'`, ['-DKBUILD_MODNAME="foo"']],
    [`-D"KBUILD_STR(s)=#s"`, ['-DKBUILD_STR(s)=#s']],
    [`-Wp,-MMD,fs/.foo.o.d -include ./include/linux/compiler-version.h`, ['-Wp,-MMD,fs/.foo.o.d', '-include', './include/linux/compiler-version.h']],
    [`-DX=\\"a\\ b\\" "c\\$d" '' x#y`, ['-DX="a b"', 'c$d', '', 'x#y']],
    [`a\\\nb  "q\\\nr" # trailing comment`, ['ab', 'qr']],
  ])('%s splits as sh does', (line, expected) => {
    expect(splitShellWords(line)).toEqual(expected);
    expect(shWords(line)).toEqual(expected);
  });

  // Anything built from words, blanks and quoting characters must split as sh splits it.
  test('agrees with sh on random quoting', () => {
    // Single characters plus whole quoted fragments, so balanced quotes with
    // backslashes inside them are common rather than rare.
    const chars = fc.constantFrom(
      'a',
      'b',
      '-',
      '=',
      ' ',
      '\t',
      "'",
      '"',
      '\\',
      '#',
      '(',
      ')',
      ',',
      '"a\\\\b"',
      '"\\""',
      "'\\'",
      '"\\a"',
      `'"'`,
      `"'"`,
      '"\\\n"',
      '\\\n',
    );
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 24 }), (line) => {
        let ours: string[] | Error;
        try {
          ours = splitShellWords(line);
        } catch (e) {
          ours = e as Error;
        }
        let theirs: string[] | Error;
        try {
          theirs = shWords(line);
        } catch (e) {
          theirs = e as Error;
        }
        // We may refuse a line sh would run, but only by naming a construct
        // we do not support (a second command, a subshell) or a trailing
        // backslash (which sh silently drops); any other refusal, such as an
        // unterminated quote, must be one sh makes too.
        if (ours instanceof Error) return theirs instanceof Error || /not supported|trailing backslash/.test(ours.message);
        if (theirs instanceof Error) return false;
        expect(ours).toEqual(theirs);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test.each([['gcc $CFLAGS x.c'], ['gcc `pkg-config` x.c'], ['gcc "$(x)"'], ['gcc x.c; rm y'], ['gcc x.c > log'], ["gcc 'x.c"], ['gcc "x.c']])(
    'refuses %s instead of guessing what a shell would do',
    (line) => {
      expect(() => splitShellWords(line)).toThrow();
    },
  );
});

/** A kernel 6.1 entry as gen_compile_commands.py writes it (abridged flag list, real quoting). */
const KERNEL_COMMAND =
  `gcc -Wp,-MMD,lib/.sort.o.d -nostdinc -I./arch/x86/include -I./include -include ./include/linux/compiler-version.h ` +
  `-include ./include/linux/kconfig.h -D__KERNEL__ -std=gnu11 -mcmodel=kernel -O2 -g -gdwarf-5    ` +
  `-DKBUILD_MODFILE='"lib/sort"' -DKBUILD_BASENAME='"sort"' -DKBUILD_MODNAME='"sort"' -D__KBUILD_MODNAME=kmod_sort ` +
  `-c -o lib/sort.o lib/sort.c`;

describe('parseCompileCommands', () => {
  test('a kernel entry: keeps what decides the compile, drops outputs, deps and -g*', () => {
    const json = JSON.stringify([{ command: KERNEL_COMMAND, directory: '/k/linux', file: '/k/linux/lib/sort.c' }]);
    const [u] = parseCompileCommands(json);
    expect(u).toEqual({
      file: '/k/linux/lib/sort.c',
      directory: '/k/linux',
      compiler: 'gcc',
      // Same order as the command; -I/-include paths stay relative to `directory`.
      flags: [
        '-nostdinc',
        '-I./arch/x86/include',
        '-I./include',
        '-include',
        './include/linux/compiler-version.h',
        '-include',
        './include/linux/kconfig.h',
        '-D__KERNEL__',
        '-std=gnu11',
        '-mcmodel=kernel',
        '-O2',
        '-DKBUILD_MODFILE="lib/sort"',
        '-DKBUILD_BASENAME="sort"',
        '-DKBUILD_MODNAME="sort"',
        '-D__KBUILD_MODNAME=kmod_sort',
      ],
      output: '/k/linux/lib/sort.o',
    });
  });

  test('an `arguments` entry (bear) with every dependency-file form and joined -o', () => {
    const json = JSON.stringify([
      {
        arguments: [
          '/usr/bin/gcc-12',
          '-MD',
          '-MMD',
          '-MP',
          '-MF',
          'x.d',
          '-MT',
          'x.o',
          '-MQ',
          '$(x)',
          '-MFjoined.d',
          '-Wp,-MD,a.d',
          '-Wp,-MMD,b.d,-DKEEP',
          '-ggdb3',
          '-gsplit-dwarf',
          '-gbtf',
          '-I',
          'inc',
          '-c',
          '-ox.o',
          'src/x.c',
        ],
        directory: '/p',
        file: 'src/x.c',
        output: 'build/x.o',
      },
    ]);
    expect(parseCompileCommands(json)).toEqual([
      // `output` wins over -o; -Wp keeps its non-dependency part.
      { file: '/p/src/x.c', directory: '/p', compiler: '/usr/bin/gcc-12', flags: ['-Wp,-DKEEP', '-I', 'inc'], output: '/p/build/x.o' },
    ]);
  });

  test('the argument of -include is never taken for the source, even if it names it', () => {
    const json = JSON.stringify([{ arguments: ['cc', '-include', 'x.c', 'x.c'], directory: '/p', file: 'x.c' }]);
    expect(parseCompileCommands(json)[0].flags).toEqual(['-include', 'x.c']);
  });

  test.each([
    ['{', /^not valid JSON/],
    ['{}', /expected a JSON array/],
    ['[1]', /^entry 0: not a JSON object/],
    ['[{"directory":"/a","file":"x.c","command":"cc x.c"},{"directory":"rel","file":"x.c","command":"cc"}]', /^entry 1: "directory" must be an absolute path/],
    ['[{"directory":"/a","command":"cc x.c"}]', /^entry 0: "file" must be a non-empty string/],
    ['[{"directory":"/a","file":"x.c"}]', /^entry 0: neither "command" nor "arguments"/],
    ['[{"directory":"/a","file":"x.c","arguments":["cc",1]}]', /^entry 0: "arguments" must be an array of strings/],
    ['[{"directory":"/a","file":"x.c","command":"cc \'x.c"}]', /^entry 0: "command": unterminated single quote/],
    ['[{"directory":"/a","file":"x.c","command":"cc -o"}]', /^entry 0: option -o has no argument/],
    ['[{"directory":"/a","file":"x.c","command":""}]', /^entry 0: "command" must be a non-empty string/],
  ])('malformed %s is an InputError naming the file and entry', (text, reason) => {
    let err: unknown;
    try {
      parseCompileCommands(text, 'db.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as InputError).reason).toMatch(reason);
    expect((err as InputError).oneLine()).toMatch(/^db\.json: /);
  });
});
