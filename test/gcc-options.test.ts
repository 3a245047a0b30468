/**
 * The one gcc option table and its three readers: a database unit's kept
 * flags, the cache's preprocess-only argv and a preprocessed candidate's
 * compile flags agree on which options take an argument and what each is.
 */
import { describe, expect, test } from 'vitest';
import { preprocessArgv } from '../src/cache/preprocess.js';
import { stripCompileArgv } from '../src/source/compile-argv.js';
import { GCC_OPTIONS, readArgv, readOption, takesNextWord } from '../src/source/gcc-options.js';
import { compileOnlyFlags } from '../src/triage/preprocess.js';

describe('readOption', () => {
  test('a listed name is itself; a glued-on argument is split off by the longest name', () => {
    expect(readOption('-I')).toEqual({ name: '-I', option: GCC_OPTIONS['-I'] });
    expect(readOption('-Iinclude')).toEqual({ name: '-I', option: GCC_OPTIONS['-I'], joined: 'include' });
    expect(readOption('-iwithprefixbeforedir')?.name).toBe('-iwithprefixbefore');
    expect(readOption('-iwithprefixdir')?.name).toBe('-iwithprefix');
    expect(readOption('-MFdep.d')).toMatchObject({ name: '-MF', joined: 'dep.d' });
    expect(readOption('-Wp,-MD,x.d')).toMatchObject({ name: '-Wp,', joined: '-MD,x.d' });
  });
  test('options without a glued form, and unknown words, are not read as one', () => {
    expect(readOption('-MDx')).toBeUndefined(); // -MD takes no argument
    expect(readOption('--paramx')).toBeUndefined(); // --param only as `--param x`
    expect(readOption('-O2')).toBeUndefined();
    expect(readOption('a.c')).toBeUndefined();
  });
  test('only a name written alone takes the next word', () => {
    expect(takesNextWord(readOption('-include'))).toBe(true);
    expect(takesNextWord(readOption('-includecfg.h'))).toBe(false);
    expect(takesNextWord(readOption('-MD'))).toBe(false);
    expect(takesNextWord(readOption('-Wp,'))).toBe(false);
    expect(takesNextWord(readOption('-fno-pic'))).toBe(false);
  });
});

describe('readArgv', () => {
  test('pairs each option with the argument it takes from the next word', () => {
    const words = [...readArgv(['-I', 'inc', '-Iinc', 'x.c', '-o'])];
    expect(words.map((w) => w.words)).toEqual([['-I', 'inc'], ['-Iinc'], ['x.c'], ['-o']]);
    expect(words.map((w) => w.role)).toEqual(['preprocessor', 'preprocessor', undefined, 'output']);
    expect(words[0].argument).toBe('inc');
    expect(words[1].option?.joined).toBe('inc');
    expect(words[3].missingArgument).toBe(true);
  });
});

describe('the readers', () => {
  const argv = '-Wp,-MMD,dir/.x.o.d,-DZ -MD -MF x.d -I include -DX=1 -include cfg.h -x c -O2 -g -c x.c -o x.o'.split(' ');
  test('a database unit keeps what decides what the compiler sees', () => {
    expect(stripCompileArgv(argv, '/src', '/src/x.c')).toEqual({
      flags: ['-Wp,-DZ', '-I', 'include', '-DX=1', '-include', 'cfg.h', '-x', 'c', '-O2'],
      output: 'x.o',
    });
  });
  test('the cache preprocesses the same compile: -c becomes -E, outputs and debug flags go', () => {
    expect(preprocessArgv(argv)).toEqual('-Wp,-MMD,dir/.x.o.d,-DZ -MD -MF x.d -I include -DX=1 -include cfg.h -x c -O2 -E x.c'.split(' '));
    // A glued output is an output too (it would send the text to a file, not to the digest).
    expect(preprocessArgv(['-c', 'x.c', '-ox.o'])).toEqual(['-E', 'x.c']);
    // An option's argument is never read as an option of its own.
    expect(preprocessArgv(['-D', '-g', '-c', 'x.c'])).toEqual(['-D', '-g', '-E', 'x.c']);
  });
  test('a preprocessed candidate keeps the flags the text does not already carry', () => {
    expect(compileOnlyFlags(argv)).toEqual(['-x', 'c', '-O2', '-g', '-c', 'x.c', '-o', 'x.o']);
    expect(compileOnlyFlags(['-Werror', '-Werror=vla', '-Wall', '-nostdinc', '-MG', '-iprefix', 'p', '-Xpreprocessor', '-DQ'])).toEqual(['-Wall']);
    // The argument of an option kept goes with it.
    expect(compileOnlyFlags(['--param', 'max-inline-insns-single=1', '-Xlinker', '-DNOT_A_DEFINE'])).toEqual([
      '--param',
      'max-inline-insns-single=1',
      '-Xlinker',
      '-DNOT_A_DEFINE',
    ]);
  });
});
