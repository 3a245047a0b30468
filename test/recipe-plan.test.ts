/**
 * Recipes are data and planning is pure: these tests pin the exact argv
 * each recipe expands to. The expected argv are the commands of the
 * brief / corpus/dump-avenues.sh (`gcc -g -c`, `pahole
 * --btf_encode_detached=OUT OBJ`, `gcc -gbtf -c`, `clang-16 --target=bpf
 * -g -c`), which the toolchain tests then run for real.
 */
import { describe, expect, it } from 'vitest';
import { decideSingleCompile, planUnit, recordArgv, type CompareConfig, type SideConfig, whyNotShareCompile } from '../src/recipe/plan.js';
import { RECIPES, recipeTools } from '../src/recipe/recipes.js';

const tools = { cc: 'gcc', clang: 'clang-16', 'bpf-gcc': 'bpf-gcc', pahole: 'pahole' };
const src = { display: 'probes/01-x.c', arg: 'probes/01-x.c', cwd: '/corpus' };
const side = (name: string, cflags: string[] = [], own: Partial<typeof tools> = {}): SideConfig => ({
  recipe: RECIPES[name],
  cflags,
  tools: { ...tools, ...own },
});

function config(left: SideConfig, right: SideConfig, singleCompile: boolean, paholeFlags: string[] = []): CompareConfig {
  return { left, right, paholeFlags, singleCompile };
}

describe('planning the default comparison (pahole vs gcc-btf)', () => {
  it('compiles once with -g -gbtf and feeds the one object to both sides in single-compile mode', () => {
    const plan = planUnit(src, config(side('pahole'), side('gcc-btf'), true), '/T/001');
    expect(plan.steps.map((s) => [s.side, s.name, s.argv])).toEqual([
      ['both', 'compile', ['gcc', '-g', '-gbtf', '-c', 'probes/01-x.c', '-o', '/T/001/unit.o']],
      ['left', 'encode', ['pahole', '--btf_encode_detached=/T/001/left.btf', '/T/001/unit.o']],
    ]);
    expect(plan.btf).toEqual({ left: { file: '/T/001/left.btf', from: 'detached' }, right: { file: '/T/001/unit.o', from: 'object' } });
    expect(plan.symbolsFrom).toBe('/T/001/unit.o');
  });

  it('compiles per side without single-compile, cflags and pahole flags in place', () => {
    const plan = planUnit(src, config(side('pahole', ['-O2']), side('gcc-btf', ['-O2', '-DR']), false, ['--btf_gen_floats']), '/T/001');
    expect(plan.steps.map((s) => [s.side, s.name, s.argv])).toEqual([
      ['left', 'compile', ['gcc', '-g', '-O2', '-c', 'probes/01-x.c', '-o', '/T/001/left.o']],
      ['left', 'encode', ['pahole', '--btf_gen_floats', '--btf_encode_detached=/T/001/left.btf', '/T/001/left.o']],
      ['right', 'compile', ['gcc', '-gbtf', '-O2', '-DR', '-c', 'probes/01-x.c', '-o', '/T/001/right.o']],
    ]);
    expect(plan.btf.right).toEqual({ file: '/T/001/right.o', from: 'object' });
  });

  it('every step must leave its output behind (the runner checks them)', () => {
    const plan = planUnit(src, config(side('pahole'), side('gcc-btf'), true), '/T/u');
    expect(plan.steps.map((s) => s.outputs)).toEqual([['/T/u/unit.o'], ['/T/u/left.btf']]);
  });
});

describe('clang BPF recipes', () => {
  it('share one clang compile: both ask only for -g, so the union is -g', () => {
    const plan = planUnit(src, config(side('clang-bpf-pahole'), side('clang-bpf'), true), '/T/u');
    expect(plan.steps.map((s) => s.argv)).toEqual([
      ['clang-16', '--target=bpf', '-g', '-c', 'probes/01-x.c', '-o', '/T/u/unit.o'],
      ['pahole', '--btf_encode_detached=/T/u/left.btf', '/T/u/unit.o'],
    ]);
    expect(plan.btf.right).toEqual({ file: '/T/u/unit.o', from: 'object' });
  });

  it('recipes name the tools they need, in step order', () => {
    expect(recipeTools(RECIPES['clang-bpf-pahole'])).toEqual(['clang', 'pahole']);
    expect(recipeTools(RECIPES['gcc-btf'])).toEqual(['cc']);
  });
});

describe('when single-compile is possible', () => {
  it('is on by default for the same compiler and flags, off for different compilers or cflags', () => {
    expect(decideSingleCompile(side('pahole'), side('gcc-btf'), undefined)).toBe(true);
    expect(decideSingleCompile(side('pahole'), side('clang-bpf'), undefined)).toBe(false);
    expect(decideSingleCompile(side('pahole', ['-O2']), side('gcc-btf'), undefined)).toBe(false);
    expect(decideSingleCompile(side('pahole'), side('gcc-btf'), false)).toBe(false);
  });

  it('forcing it when impossible is a usage error that says why', () => {
    expect(whyNotShareCompile(side('pahole'), side('clang-bpf'))).toBe('the sides use different compilers (cc vs clang)');
    expect(() => decideSingleCompile(side('pahole'), side('clang-bpf'), true)).toThrow(/different compilers/);
    expect(() => decideSingleCompile(side('gcc-btf', ['-m32']), side('pahole'), true)).toThrow(/different cflags/);
  });
});

describe('recorded commands', () => {
  it('replace the run temp dir by $TMP everywhere, including inside --opt=PATH tokens', () => {
    expect(recordArgv(['pahole', '--btf_encode_detached=/tmp/btfparity-abc/001/left.btf', '/tmp/btfparity-abc/001/unit.o'], '/tmp/btfparity-abc')).toEqual([
      'pahole',
      '--btf_encode_detached=$TMP/001/left.btf',
      '$TMP/001/unit.o',
    ]);
    expect(recordArgv(['/tmp/btfparity-abcd/x.c', '/tmp/btfparity-abc'], '/tmp/btfparity-abc')).toEqual(['/tmp/btfparity-abcd/x.c', '$TMP']);
  });
});

describe('per-side tools', () => {
  it('each side compiles with its own cc; different compilers never share a compile', () => {
    const left = side('gcc-btf', [], { cc: 'gcc' });
    const right = side('gcc-btf', [], { cc: 'sid:gcc-16' });
    expect(whyNotShareCompile(left, right)).toBe('the sides use different compilers (gcc vs sid:gcc-16)');
    expect(() => decideSingleCompile(left, right, true)).toThrow(/different compilers \(gcc vs sid:gcc-16\)/);
    const plan = planUnit(src, config(left, right, decideSingleCompile(left, right, undefined)), '/T/u');
    expect(plan.steps.map((s) => [s.side, s.argv[0]])).toEqual([
      ['left', 'gcc'],
      ['right', 'sid:gcc-16'],
    ]);
  });

  it('two paholes on one DWARF share the compile: the compile steps are equal, only the encoders differ', () => {
    const left = side('pahole', [], { pahole: 'pahole' });
    const right = side('pahole', [], { pahole: 'sid:pahole' });
    const plan = planUnit(src, config(left, right, decideSingleCompile(left, right, undefined)), '/T/u');
    expect(plan.steps.map((s) => [s.side, s.name, s.argv])).toEqual([
      ['both', 'compile', ['gcc', '-g', '-c', 'probes/01-x.c', '-o', '/T/u/unit.o']],
      ['left', 'encode', ['pahole', '--btf_encode_detached=/T/u/left.btf', '/T/u/unit.o']],
      ['right', 'encode', ['sid:pahole', '--btf_encode_detached=/T/u/right.btf', '/T/u/unit.o']],
    ]);
  });

  it('a same-program test from the caller lets differently spelled commands share (gcc vs /usr/bin/gcc)', () => {
    const left = side('pahole', [], { cc: 'gcc' });
    const right = side('gcc-btf', [], { cc: '/usr/bin/gcc' });
    expect(decideSingleCompile(left, right, undefined)).toBe(false);
    expect(decideSingleCompile(left, right, undefined, (a, b) => a.replace('/usr/bin/', '') === b.replace('/usr/bin/', ''))).toBe(true);
  });

  it('bpf-gcc-btf runs the bpf-gcc role with -gbtf', () => {
    const plan = planUnit(src, config(side('clang-bpf'), side('bpf-gcc-btf', [], { 'bpf-gcc': 'sid:bpf-gcc' }), false), '/T/u');
    expect(plan.steps.map((s) => [s.role, s.argv])).toEqual([
      ['clang', ['clang-16', '--target=bpf', '-g', '-c', 'probes/01-x.c', '-o', '/T/u/left.o']],
      ['bpf-gcc', ['sid:bpf-gcc', '-gbtf', '-c', 'probes/01-x.c', '-o', '/T/u/right.o']],
    ]);
    expect(recipeTools(RECIPES['bpf-gcc-btf'])).toEqual(['bpf-gcc']);
  });
});

describe('pahole-kernel', () => {
  // The flags are the table's (test/pahole-flags.test.ts pins the table against the kernel's scripts).
  it("puts the kernel's flags for the side's pahole version before --pahole-flags", () => {
    const cfg = config(side('pahole-kernel'), side('gcc-btf'), true, ['--verbose']);
    const plan = planUnit(src, cfg, '/T/u', { left: { paholeVersion: 'v1.24' } });
    expect(plan.steps[1].argv).toEqual([
      'pahole',
      '--btf_gen_floats',
      '--lang_exclude=rust',
      '--verbose',
      '--btf_encode_detached=/T/u/left.btf',
      '/T/u/unit.o',
    ]);
  });

  it('pahole-all-vars adds global_var where the version has it; --kernel-version picks an older tree', () => {
    const plan = (recipe: string, version: string, kernelVersion?: string) =>
      planUnit(src, { ...config(side(recipe), side('gcc-btf'), true), ...(kernelVersion ? { kernelVersion } : {}) }, '/T/u', {
        left: { paholeVersion: version },
      }).steps[1].argv;
    expect(plan('pahole-all-vars', 'v1.32')).toContain('--btf_features=global_var');
    expect(plan('pahole-kernel', 'v1.32')).not.toContain('--btf_features=global_var');
    expect(plan('pahole-all-vars', 'v1.24')).not.toContain('--btf_features=global_var'); // pahole 1.24 has no global_var
    expect(plan('pahole-kernel', 'v1.25', '6.5')).toEqual([
      'pahole',
      '--btf_gen_floats',
      '--skip_encoding_btf_inconsistent_proto',
      '--btf_gen_optimized',
      '--lang_exclude=rust',
      '--btf_encode_detached=/T/u/left.btf',
      '/T/u/unit.o',
    ]);
  });

  it('a pahole without a version is a toolchain error, not a guess', () => {
    expect(() => planUnit(src, config(side('pahole-kernel'), side('gcc-btf'), true), '/T/u', {})).toThrow(/gave no version/);
  });
});

describe('planning with a hostile number of flags (issue 14 item 3)', () => {
  it('splices 200k -D flags from --cflags and from the unit itself without overflowing the stack', () => {
    // `argv.push(...flags)` passes every flag as an argument: past ~120k that threw RangeError (exit 3 "internal error").
    const many = Array.from({ length: 200_000 }, (_, i) => `-Dx${i}`);
    const unit = { ...src, flags: many };
    for (const single of [true, false]) {
      const plan = planUnit(unit, config(side('pahole', many), side('gcc-btf', many), single), '/T/001');
      const compile = plan.steps.find((s) => s.name === 'compile')!;
      // gcc, -g (and -gbtf in single-compile), the unit's flags, then --cflags, then -c SRC -o OBJ.
      const head = single ? ['gcc', '-g', '-gbtf'] : ['gcc', '-g'];
      expect(compile.argv.length).toBe(head.length + 400_000 + 4);
      expect(compile.argv.slice(0, head.length + 1)).toEqual([...head, '-Dx0']);
      expect(compile.argv[head.length + 200_000]).toBe('-Dx0');
      expect(compile.argv.slice(-5)).toEqual(['-Dx199999', '-c', 'probes/01-x.c', '-o', single ? '/T/001/unit.o' : '/T/001/left.o']);
    }
  });
});
