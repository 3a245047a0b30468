/**
 * What a unit keeps of options that make the compiler write files of its
 * own (issue 14 item 9), per flag. Pure: the expected argv follows from
 * SIDE_OUTPUTS and the list filters in source/gcc-options.ts; that gcc
 * really writes each of these into the build tree, and writes nothing once
 * they are gone, is test/side-outputs-gcc.test.ts (gcc 12 as the oracle).
 * Before the change every one of these but `-MF`/`-MD`/`-MMD`/`-MT`/`-MQ`
 * and `-Wp,-MD,`/`-Wp,-MMD,` was kept as written.
 */
import { describe, expect, it } from 'vitest';
import { stripCompileArgv } from '../src/source/compile-argv.js';
import { GCC_OPTIONS, SIDE_OUTPUTS } from '../src/source/gcc-options.js';

const kept = (...words: string[]) => stripCompileArgv(['-O2', ...words, '-c', 't.c', '-o', 't.o'], '/b', '/b/t.c').flags;

describe('side-output options are dropped or replaced, the rest kept', () => {
  it.each([
    [['-aux-info', 'aux.txt']],
    [['-save-temps']],
    [['-save-temps=cwd']],
    [['-save-temps=obj']],
    [['-fdump-tree-all']],
    [['-fdump-tree-original=dump.txt']],
    [['-fdump-rtl-expand']],
    [['-fdump-ipa-all']],
    [['-fdump-ada-spec']],
    [['-fdump-go-spec=go.txt']],
    [['-fdump-final-insns=fi.txt']],
    [['-fstack-usage']],
    [['-fcallgraph-info']],
    [['-fcallgraph-info=su,da']],
    [['-fopt-info']],
    [['-fopt-info-all=opt.txt']],
    [['-fopt-info-vec-missed']],
    [['-fsave-optimization-record']],
    [['-ftest-coverage']],
    [['-fprofile-note=x.gcno']],
    [['-dumpdir', './']],
    [['-dumpbase', 'x']],
    [['-dumpbase-ext', '.c']],
    [['-fdiagnostics-format=sarif-file']],
    [['-fdiagnostics-format=json-file']],
    [['-MJ', 'frag.json']],
    [['-MJfrag.json']],
    [['--serialize-diagnostics', 'x.dia']],
    [['-save-stats=cwd']],
    // Already dropped before (dependency files), still dropped:
    [['-MD']],
    [['-MMD']],
    [['-MF', 'x.d']],
    [['-MFx.d']],
    [['-MT', 'x.o']],
    [['-MQ', 'x.o']],
    [['-Wp,-MD,x.d']],
    [['-Wp,-MMD,x.d']],
    // New in the comma lists and their one-item spellings:
    [['-Wp,-MF,x.d']],
    [['-Wp,-MMD,x.d,-MT,x.o']],
    [['-Xpreprocessor', '-MD', '-Xpreprocessor', 'x.d']],
    [['-Wa,--MD,as.d']],
    [['-Wa,-adhln=lst.txt']],
    [['-Wa,-a']],
    [['-Xassembler', '-a=lst.txt']],
    [['-Xassembler', '--MD', '-Xassembler', 'as.d']],
  ])('%j: only -O2 is left', (words) => {
    expect(kept(...words)).toEqual(['-O2']);
  });

  it('--coverage keeps its instrumentation: it is -fprofile-arcs -ftest-coverage, and only the notes file is written at compile time', () => {
    expect(kept('--coverage')).toEqual(['-O2', '-fprofile-arcs']);
    // -fprofile-arcs and -fprofile-generate change the object and write nothing when compiling: kept.
    expect(kept('-fprofile-arcs', '-fprofile-generate')).toEqual(['-O2', '-fprofile-arcs', '-fprofile-generate']);
  });

  it('the other items of a comma list stay, in order; options that write nothing stay', () => {
    expect(kept('-Wp,-DKEEP,-MMD,x.d,-UX')).toEqual(['-O2', '-Wp,-DKEEP,-UX']);
    expect(kept('-Wa,--64,-alh=l.txt,--noexecstack')).toEqual(['-O2', '-Wa,--64,--noexecstack']);
    expect(kept('-Xassembler', '--noexecstack', '-Xpreprocessor', '-DX')).toEqual(['-O2', '-Xassembler', '--noexecstack', '-Xpreprocessor', '-DX']);
    // Look-alikes: -Wall is no -Wa, list; -fdiagnostics-format=text writes nothing; -flto writes
    // nothing beside the object with -c; -fstack-protector is not -fstack-usage.
    expect(kept('-Wall', '-fdiagnostics-format=text', '-flto', '-fstack-protector')).toEqual([
      '-O2',
      '-Wall',
      '-fdiagnostics-format=text',
      '-flto',
      '-fstack-protector',
    ]);
  });

  it('a side-output option with a separate argument never leaves that argument behind as the source or a flag', () => {
    // `-aux-info t.c` would otherwise be the source file (and dropped as such) with -aux-info kept.
    expect(stripCompileArgv(['-aux-info', 'out.txt', '-c', 'src.c'], '/b', '/b/src.c').flags).toEqual([]);
    expect(() => stripCompileArgv(['-c', 'src.c', '-aux-info'], '/b', '/b/src.c')).toThrow('option -aux-info has no argument');
  });

  it('every side output is in the one option table, with its role', () => {
    for (const [name, o] of Object.entries(SIDE_OUTPUTS)) {
      expect(GCC_OPTIONS[name], name).toEqual({ role: 'side-output', ...(o.argument ? { argument: o.argument } : {}) });
      expect(o.why.length, name).toBeGreaterThan(10);
    }
  });
});
