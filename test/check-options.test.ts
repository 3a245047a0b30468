/**
 * Toolchain settings: option > environment > config file > default, and
 * every bad value is an InputError (exit 2) naming where it came from.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/cli/config-file.js';
import { runExitStatus } from '../src/cli/exit-status.js';
import { resolveCheckSettings, resolveRules, splitFlags } from '../src/cli/settings.js';
import { classifyFinding } from '../src/findings/classify.js';
import { SHIPPED_RULES_SOURCE } from '../src/findings/rules-file.js';
import { InputError } from '../src/errors.js';
import type { RunResult, UnitResult } from '../src/report/run-result.js';

const dir = mkdtempSync(join(tmpdir(), 'btfparity-test-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, json: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
  return p;
}

describe('precedence', () => {
  const cfg = configFile('full.json', { cc: 'cfg-cc', pahole: 'cfg-pahole', cflags: ['-O1'], paholeFlags: '--btf_gen_floats', timeout: 7 });

  it('defaults apply when nothing is set (an empty dir has no ./btfparity.json)', () => {
    const s = resolveCheckSettings({}, {}, dir);
    const dflt = { cc: 'gcc', clang: 'clang-16', 'bpf-gcc': 'bpf-gcc', pahole: 'pahole' }; // README's defaults
    expect(s.config.left.tools).toEqual(dflt);
    expect(s.config.right.tools).toEqual(dflt);
    expect(s.timeoutSeconds).toBe(60);
    expect([s.config.left.recipe.name, s.config.right.recipe.name]).toEqual(['pahole', 'gcc-btf']);
    expect(s.config.singleCompile).toBe(true);
  });

  it('config beats default, environment beats config, option beats environment', () => {
    const fromCfg = resolveCheckSettings({ config: cfg }, {}, dir);
    expect(fromCfg.config.left.tools.cc).toBe('cfg-cc');
    expect(fromCfg.config.left.cflags).toEqual(['-O1']);
    expect(fromCfg.config.paholeFlags).toEqual(['--btf_gen_floats']);
    expect(fromCfg.timeoutSeconds).toBe(7);

    const env = { BTFPARITY_CC: 'env-cc', BTFPARITY_CFLAGS: '-O2  -DX', BTFPARITY_TIMEOUT: '9' };
    const fromEnv = resolveCheckSettings({ config: cfg }, env, dir);
    expect(fromEnv.config.left.tools.cc).toBe('env-cc');
    expect(fromEnv.config.left.tools.pahole).toBe('cfg-pahole'); // not in env: config still applies
    expect(fromEnv.config.right.cflags).toEqual(['-O2', '-DX']);
    expect(fromEnv.timeoutSeconds).toBe(9);

    const fromOpt = resolveCheckSettings({ config: cfg, cc: 'opt-cc', cflags: '-O3', timeout: '2.5' }, env, dir);
    expect(fromOpt.config.left.tools.cc).toBe('opt-cc');
    expect(fromOpt.config.left.cflags).toEqual(['-O3']);
    expect(fromOpt.timeoutSeconds).toBe(2.5);
  });

  it('./btfparity.json is read when present and no --config is given', () => {
    const d = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(join(d, 'btfparity.json'), JSON.stringify({ clang: 'clang-17', left: 'clang-bpf-pahole', right: 'clang-bpf' }));
    const s = resolveCheckSettings({}, {}, d);
    expect(s.config.left.tools.clang).toBe('clang-17');
    expect(s.config.left.recipe.name).toBe('clang-bpf-pahole');
  });

  it('side cflags come after the shared ones, and differing sides turn single-compile off', () => {
    const s = resolveCheckSettings({ cflags: '-O2', rightCflags: '-DRIGHT' }, {}, dir);
    expect(s.config.left.cflags).toEqual(['-O2']);
    expect(s.config.right.cflags).toEqual(['-O2', '-DRIGHT']);
    expect(s.config.singleCompile).toBe(false);
  });
});

describe('per-side tools', () => {
  it('--cc sets both sides, --right-cc overrides one; each source level before the next', () => {
    const s = resolveCheckSettings({ cc: 'gcc-12', rightCc: 'sid:gcc-16', left: 'gcc-btf', right: 'gcc-btf' }, {}, dir);
    expect([s.config.left.tools.cc, s.config.right.tools.cc]).toEqual(['gcc-12', 'sid:gcc-16']);
    // Two compilers: never one shared compile.
    expect(s.config.singleCompile).toBe(false);
  });

  it('environment and config keys for each side, named from the one table', () => {
    const cfg = configFile('sides.json', { pahole: 'cfg-pahole', leftPahole: 'cfg-left-pahole', rightBpfGcc: 'sid:bpf-gcc' });
    const env = { BTFPARITY_RIGHT_PAHOLE: 'env-right-pahole' };
    const s = resolveCheckSettings({ config: cfg }, env, dir);
    expect([s.config.left.tools.pahole, s.config.right.tools.pahole]).toEqual(['cfg-left-pahole', 'env-right-pahole']);
    expect([s.config.left.tools['bpf-gcc'], s.config.right.tools['bpf-gcc']]).toEqual(['bpf-gcc', 'sid:bpf-gcc']);
    // An option beats the environment even when the environment names the side: --pahole is a command-line choice for both.
    const o = resolveCheckSettings({ config: cfg, pahole: 'opt-pahole' }, env, dir);
    expect([o.config.left.tools.pahole, o.config.right.tools.pahole]).toEqual(['opt-pahole', 'opt-pahole']);
  });

  it('two paholes on the default compile still share it (the compile steps are the same)', () => {
    const s = resolveCheckSettings({ leftPahole: 'pahole', rightPahole: 'sid:pahole', left: 'pahole', right: 'pahole' }, {}, dir);
    expect(s.config.singleCompile).toBe(true);
  });

  it('differently spelled commands of one program share the compile (resolved on PATH, symlinks followed)', () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    writeFileSync(join(bin, 'cc-real'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('cc-real', join(bin, 'cc-link'));
    const s = resolveCheckSettings({ leftCc: join(bin, 'cc-real'), rightCc: join(bin, 'cc-link') }, {}, dir);
    expect(s.config.singleCompile).toBe(true);
  });

  it('a config file makes pahole-kernel the default left side (README)', () => {
    const d = mkdtempSync(join(dir, 'kernel-'));
    writeFileSync(join(d, 'btfparity.json'), JSON.stringify({ left: 'pahole-kernel', kernelVersion: '6.8' }));
    const s = resolveCheckSettings({}, {}, d);
    expect([s.config.left.recipe.name, s.config.right.recipe.name, s.config.kernelVersion]).toEqual(['pahole-kernel', 'gcc-btf', '6.8']);
    expect(s.config.singleCompile).toBe(true); // same gcc, same flags: -g -gbtf once
    expect(resolveCheckSettings({ left: 'pahole' }, {}, d).config.left.recipe.name).toBe('pahole');
  });

  it('--kernel-version must be a version', () => {
    expect(resolveCheckSettings({ kernelVersion: '6.8' }, {}, dir).config.kernelVersion).toBe('6.8');
    expect(() => resolveCheckSettings({ kernelVersion: 'latest' }, {}, dir)).toThrow(/expected a kernel version like 6.8/);
  });
});

describe('bad settings are usage errors', () => {
  const oneLine = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).oneLine();
    }
    throw new Error('expected an InputError');
  };

  it('names the option, the file or the key', () => {
    expect(oneLine(() => resolveCheckSettings({ left: 'nope' }, {}, dir))).toMatch(/^--left: unknown recipe 'nope'/);
    expect(oneLine(() => resolveCheckSettings({ timeout: '0' }, {}, dir))).toMatch(/^--timeout: expected a positive number/);
    expect(oneLine(() => resolveCheckSettings({ timeout: 'abc' }, {}, dir))).toMatch(/^--timeout:/);
    expect(oneLine(() => resolveCheckSettings({ left: 'pahole', right: 'clang-bpf', singleCompile: true }, {}, dir))).toMatch(
      /^--single-compile: not possible: the sides use different compilers/,
    );
    const broken = configFile('broken.json', '{ "cc": ');
    expect(oneLine(() => loadConfig(broken, dir))).toMatch(/broken\.json: invalid JSON/);
    const wrongType = configFile('wrong.json', { timeout: '60' });
    expect(oneLine(() => loadConfig(wrongType, dir))).toMatch(/wrong\.json: 'timeout' must be a number/);
    expect(oneLine(() => loadConfig(join(dir, 'absent.json'), dir))).toMatch(/absent\.json: cannot read config \(ENOENT\)/);
  });

  it('an unknown config key is a warning, not an error', () => {
    const warnings: string[] = [];
    const p = configFile('extra.json', { cc: 'gcc-11', baseline: 'x' });
    expect(loadConfig(p, dir, (m) => warnings.push(m))).toEqual({ cc: 'gcc-11' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignoring unknown key 'baseline'/);
  });

  it('flags split on any whitespace, empty text is no flags', () => {
    expect(splitFlags('  -O2\t-DX=1 \n-g3 ')).toEqual(['-O2', '-DX=1', '-g3']);
    expect(splitFlags('')).toEqual([]);
  });

  it('flags split like a shell: a quoted word with a space stays one flag (issue 12)', () => {
    expect(splitFlags('-DGREETING="hello world" -O2')).toEqual(['-DGREETING=hello world', '-O2']);
    expect(splitFlags("-DA='x y' -I'my dir'")).toEqual(['-DA=x y', '-Imy dir']);
  });

  it('every flags option, the environment and the config split with the shell-word splitter', () => {
    const cfg = configFile('quoted.json', { leftCflags: '-DL="a b"' });
    const s = resolveCheckSettings({ cflags: '-DG="hello world"', rightCflags: "-DR='c d'", paholeFlags: '--lang_exclude="x y"', config: cfg }, {}, dir);
    expect(s.config.left.cflags).toEqual(['-DG=hello world', '-DL=a b']);
    expect(s.config.right.cflags).toEqual(['-DG=hello world', '-DR=c d']);
    expect(s.config.paholeFlags).toEqual(['--lang_exclude=x y']);
    expect(resolveCheckSettings({}, { BTFPARITY_CFLAGS: '-DE="e f"' }, dir).config.left.cflags).toEqual(['-DE=e f']);
  });

  it('flags that need a shell are an InputError naming the option', () => {
    expect(() => resolveCheckSettings({ cflags: '-DX=$HOME' }, {}, dir)).toThrow(InputError);
    const oneLine = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as InputError).oneLine();
      }
      return 'no error';
    };
    expect(oneLine(() => resolveCheckSettings({ leftCflags: '-DX="open' }, {}, dir))).toMatch(/--left-cflags.*unterminated double quote/);
  });
});

describe('exit status of a run', () => {
  const unit = (over: Partial<UnitResult>): UnitResult => ({ source: 'a.c', commands: [], findings: [], ...over });
  const run = (units: UnitResult[]): RunResult => ({ schemaVersion: 1, toolchain: [], recipes: [], units, summary: {} as RunResult['summary'] }) as RunResult;
  const f = (status: 'equivalent' | 'known' | 'unexplained') => ({ entity: 'struct s', path: '', category: 'size', left: '4', right: '8', status }) as const;

  it('0 with only equivalent findings, 1 with known (--fail-on known) or unexplained, 3 when any unit failed (wins over 1)', () => {
    expect(runExitStatus(run([unit({ findings: [f('equivalent')] })]))).toBe(0);
    expect(runExitStatus(run([unit({ findings: [f('equivalent'), f('known')] })]), 'known')).toBe(1);
    expect(runExitStatus(run([unit({ findings: [f('unexplained')] })]))).toBe(1);
    const failed = unit({ source: 'b.c', error: { step: 'both compile (gcc)', message: 'exited with status 1' } });
    expect(runExitStatus(run([unit({ findings: [f('unexplained')] }), failed]))).toBe(3);
  });

  it('without a baseline the default --fail-on is unexplained: known divergences exit 0 (issue 12)', () => {
    const known = run([unit({ findings: [f('equivalent'), f('known')] })]);
    expect(runExitStatus(known)).toBe(0);
    expect(runExitStatus(known, 'unexplained')).toBe(0);
    expect(runExitStatus(known, 'known')).toBe(1);
    expect(runExitStatus(known, 'any')).toBe(1);
    const equivalent = run([unit({ findings: [f('equivalent')] })]);
    expect(runExitStatus(equivalent, 'known')).toBe(0);
    expect(runExitStatus(equivalent, 'any')).toBe(1);
    expect(runExitStatus(run([unit({ findings: [f('unexplained')] })]), 'unexplained')).toBe(1);
  });
});

describe('rules files layer (issue 12)', () => {
  const own = configFile('own-rules.json', {
    schemaVersion: 1,
    rules: [{ id: 'project-double', match: { category: 'kind', entity: 'double' }, explanation: 'our build knows' }],
  });
  const other = configFile('other-rules.json', {
    schemaVersion: 1,
    rules: [{ id: 'other-size', match: { category: 'size' }, explanation: 'sizes are ours' }],
  });
  const ids = (rules: { id: string; source?: string }[]) => rules.map((r) => `${r.source}#${r.id}`);

  it('--rules adds a project file on top of the shipped set; repeated, earlier files come first', () => {
    const shipped = resolveRules({});
    expect(shipped.length).toBeGreaterThan(3);
    expect(shipped.every((r) => r.source === SHIPPED_RULES_SOURCE)).toBe(true);
    const layered = resolveRules({ rules: [own, other] });
    expect(ids(layered)).toEqual([`${own}#project-double`, `${other}#other-size`, ...ids(shipped)]);
  });

  it('--no-default-rules drops the shipped set; --no-rules drops everything', () => {
    expect(ids(resolveRules({ rules: [own], defaultRules: false }))).toEqual([`${own}#project-double`]);
    expect(resolveRules({ defaultRules: false })).toEqual([]);
    expect(resolveRules({ rules: false })).toEqual([]);
  });

  it('a known finding names the file its rule came from', () => {
    const f = { entity: 'double', path: '', category: 'kind', left: "INT 'double' size=8 (none)", right: "FLOAT 'double' size=8" } as const;
    const ctx = { leftRecipe: 'pahole', rightRecipe: 'gcc-btf', tools: [] };
    const mine = classifyFinding(f, { ...ctx, rules: resolveRules({ rules: [own] }) });
    expect([mine.status, mine.reason, mine.ruleSource]).toEqual(['known', 'project-double', own]);
    const theirs = classifyFinding(f, { ...ctx, rules: resolveRules({}) });
    expect([theirs.status, theirs.ruleSource]).toEqual(['known', SHIPPED_RULES_SOURCE]);
  });
});
