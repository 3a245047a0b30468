/**
 * Direct-mode cache keys in the real pipeline (issue 13). A logging gcc
 * wrapper first on PATH records every invocation, so "no compiler ran" is
 * checked as "no -c and no -E invocation", not by timing.
 *
 * Files are written, then left alone for 0.2 s before a run that must
 * record a manifest entry: direct mode does not trust a file changed within
 * RECENT_NS (0.1 s) of the build (it could still be changing).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import { corpusProbes } from '../src/source/corpus.js';
import type { UnitSource } from '../src/source/unit-source.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-direct-'));
const log = join(work, 'calls.log');
const savedPath = process.env.PATH;
afterAll(() => rmSync(work, { recursive: true, force: true }));

function wrapper(name: string, real: string): string {
  const dir = join(work, `bin-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${log}\nexec ${real} "$@"\n`);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

const calls = (): string[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
/** Invocations that compile or preprocess (tool detection's --version and -print-prog-name are neither). */
const compilerRuns = () => calls().filter((l) => l.startsWith('gcc ') && / -(c|E)( |$)/.test(l));
const encodes = () =>
  calls()
    .filter((l) => l.startsWith('pahole '))
    .filter((l) => l.includes('--btf_encode_detached'));

beforeEach(() => {
  writeFileSync(log, '');
  process.env.PATH = `${wrapper('gcc', '/usr/bin/gcc')}:${wrapper('pahole', '/usr/bin/pahole')}:${savedPath}`;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

async function run(sources: readonly UnitSource[], cacheDir: string, directCache = true, right?: string) {
  writeFileSync(log, '');
  const settings = resolveCheckSettings(right ? { right } : {}, {}, work);
  return runCheckWithStats({ sources, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 1, cacheDir, directCache });
}

/** A unit in its own tree: u.c includes "h.h", found in inc/ (`-Iearly -Iinc`; early/ starts empty). */
function tree(name: string, source = '#include "h.h"\nstruct s v;\n', header = 'struct s { int a; };\n'): { dir: string; unit: UnitSource[] } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'inc'), { recursive: true });
  mkdirSync(join(dir, 'early'), { recursive: true });
  writeFileSync(join(dir, 'inc', 'h.h'), header);
  writeFileSync(join(dir, 'u.c'), source);
  return { dir, unit: [{ display: `${name}/u.c`, arg: 'u.c', cwd: dir, flags: ['-Iearly', '-Iinc'] }] };
}

const manifests = (cacheDir: string) =>
  readdirSync(join(cacheDir, 'manifests'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(cacheDir, 'manifests', f), 'utf8')));

describe('direct mode', () => {
  test('a warm run spawns no compiler or preprocessor and no pahole, and gives the same findings', async () => {
    const t = tree('warm');
    const cacheDir = join(t.dir, 'cache');
    await sleep(200);
    const cold = await run(t.unit, cacheDir);
    expect(cold.cache).toEqual({ hits: 0, misses: 1 });
    // The miss compiled once (-g -gbtf with the dependency file, no separate -E of the unit) and asked for the search list once.
    expect(compilerRuns().map((l) => l.replace(/\/tmp\/btfparity-[^/]+\/u-[0-9a-f]+/g, '$UNIT'))).toEqual([
      'gcc -g -gbtf -Iearly -Iinc -c u.c -o $UNIT/unit.o -MD -MF $UNIT/deps-0.d',
      'gcc -Iearly -Iinc -E -v -x c -o /dev/null /dev/null',
    ]);
    const warm = await run(t.unit, cacheDir);
    expect(warm.cache).toEqual({ hits: 1, misses: 0 });
    expect([compilerRuns(), encodes()]).toEqual([[], []]);
    expect(warm.result).toEqual(cold.result);
    // The report records the planned commands, without the cache's dependency file.
    expect(cold.result.units[0].commands[0].argv.join(' ')).toMatch(/^gcc -g -gbtf -Iearly -Iinc -c u\.c -o \$TMP\/u-[0-9a-f]{8}\/unit\.o$/);
  });

  test('separate compiles by gcc and clang: one dependency file each, and a warm run runs neither', async () => {
    const t = tree('clang');
    const cacheDir = join(t.dir, 'cache');
    process.env.PATH = `${wrapper('clang-16', '/usr/bin/clang-16')}:${process.env.PATH}`;
    await sleep(200);
    expect((await run(t.unit, cacheDir, true, 'clang-bpf')).cache).toEqual({ hits: 0, misses: 1 });
    const withDeps = calls().filter((l) => / -c /.test(l));
    expect(withDeps.map((l) => [l.split(' ')[0], /-MD -MF \S+\/deps-\d\.d$/.test(l)])).toEqual([
      ['gcc', true],
      ['clang-16', true],
    ]);
    expect((await run(t.unit, cacheDir, true, 'clang-bpf')).cache).toEqual({ hits: 1, misses: 0 });
    expect(calls().filter((l) => / -(c|E)( |$)/.test(l))).toEqual([]);
    // The header's edit is seen through either compile's list.
    writeFileSync(join(t.dir, 'inc', 'h.h'), 'struct s { char a; };\n');
    expect((await run(t.unit, cacheDir, true, 'clang-bpf')).cache).toEqual({ hits: 0, misses: 1 });
  });

  test('a header rewritten with its size and mtime restored misses', async () => {
    const t = tree('touch');
    const cacheDir = join(t.dir, 'cache');
    const h = join(t.dir, 'inc', 'h.h');
    utimesSync(h, 1e9, 1e9); // a whole second, restored exactly below
    await sleep(200);
    await run(t.unit, cacheDir);
    const before = statSync(h, { bigint: true });
    writeFileSync(h, 'struct s { int b; };\n'); // same length, member renamed
    utimesSync(h, 1e9, 1e9);
    const after = statSync(h, { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    const again = await run(t.unit, cacheDir);
    expect(again.cache).toEqual({ hits: 0, misses: 1 });
    expect(compilerRuns().filter((l) => / -c /.test(l))).toHaveLength(1);
  });

  test('a new header that shadows the listed one misses: in an earlier -I directory, and next to the source', async () => {
    const t = tree('shadow');
    const cacheDir = join(t.dir, 'cache');
    await sleep(200);
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    // early/ comes before inc/ in the search list: gcc now reads early/h.h (a long member).
    writeFileSync(join(t.dir, 'early', 'h.h'), 'struct s { long a; };\n');
    await sleep(200);
    const shadowed = await run(t.unit, cacheDir);
    expect(shadowed.cache).toEqual({ hits: 0, misses: 1 });
    expect(compilerRuns().filter((l) => / -c /.test(l))).toHaveLength(1);
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    // For "h.h" the includer's directory comes first of all.
    writeFileSync(join(t.dir, 'h.h'), 'struct s { short a; };\n');
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    // Both removed: the tree is as at first, and so is the first entry (the manifest keeps several).
    rmSync(join(t.dir, 'h.h'));
    rmSync(join(t.dir, 'early', 'h.h'));
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    expect(compilerRuns()).toEqual([]);
  });

  test('a source using __TIME__ is never served from direct mode: its key comes from the preprocessor', async () => {
    const t = tree('time', '#include "h.h"\nstruct s v;\nconst char *when = __TIME__;\n');
    const cacheDir = join(t.dir, 'cache');
    await sleep(200);
    await run(t.unit, cacheDir);
    expect(compilerRuns().some((l) => l.includes(' -MD '))).toBe(false);
    expect(compilerRuns().filter((l) => / -E /.test(l))).toHaveLength(1); // the preprocessor-mode key
    await run(t.unit, cacheDir);
    expect(compilerRuns().filter((l) => / -E /.test(l))).toHaveLength(1);
    expect(() => readdirSync(join(cacheDir, 'manifests'))).toThrow(/ENOENT/);
  });

  test('a header using __DATE__, or __has_include on a macro argument, sends the unit to preprocessor mode, recorded in its manifest', async () => {
    for (const [name, header, token] of [
      ['date', 'struct s { int a; };\nstatic const char d[] = __DATE__;\n', '__DATE__'],
      ['has-include-macro', '#define HAVE(h) __has_include(h)\n#if HAVE(<nothere.h>)\n#endif\nstruct s { int a; };\n', '__has_include'],
    ]) {
      const t = tree(name, undefined, header);
      const cacheDir = join(t.dir, 'cache');
      await sleep(200);
      const first = await run(t.unit, cacheDir);
      expect(first.cache).toEqual({ hits: 0, misses: 1 });
      expect(manifests(cacheDir)).toEqual([{ format: 1, preprocess: `${token} in inc/h.h`, entries: [] }]);
      const second = await run(t.unit, cacheDir);
      // Served by its preprocessor-mode key, stored on the first run: one -E, no compile.
      expect(second.cache).toEqual({ hits: 1, misses: 0 });
      expect(compilerRuns().map((l) => / -E /.test(l))).toEqual([true]);
    }
  });

  test('__has_include of a written-out header: direct mode, and the header appearing later misses', async () => {
    // The header the test asks about is absent: it is in no dependency list, only in the probe.
    const header = '#ifdef __has_include\n# if __has_include(<extra.h>)\n#  include <extra.h>\n# endif\n#endif\nstruct s { int a; };\n';
    const t = tree('has-include', undefined, header);
    const cacheDir = join(t.dir, 'cache');
    await sleep(200);
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    expect(manifests(cacheDir)[0].entries).toHaveLength(1);
    expect((await run(t.unit, cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    expect(compilerRuns()).toEqual([]);
    writeFileSync(join(t.dir, 'early', 'extra.h'), 'struct extra { int e; } ex;\n');
    const appeared = await run(t.unit, cacheDir);
    expect(appeared.cache).toEqual({ hits: 0, misses: 1 });
    expect(compilerRuns().filter((l) => / -c /.test(l))).toHaveLength(1);
  });

  test('direct mode stores the same artifacts and reports the same results as preprocessor mode', async () => {
    const probes = corpusProbes().filter((p) => /\/(0[1-9])-/.test(p.display));
    expect(probes.length).toBe(9);
    const pp = join(work, 'cache-pp');
    const direct = join(work, 'cache-direct');
    const a = await run(probes, pp, false);
    const b = await run(probes, direct);
    const c = await run(probes, direct);
    expect([a.cache, b.cache, c.cache]).toEqual([
      { hits: 0, misses: 9 },
      { hits: 0, misses: 9 },
      { hits: 9, misses: 0 },
    ]);
    expect(b.result).toEqual(a.result);
    expect(c.result).toEqual(a.result);
    // Entry for entry (keys differ between the modes): the same BTF bytes and the same stored facts.
    const entries = (dir: string) =>
      readdirSync(join(dir, 'units'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('meta.json'))
        .map((f) => {
          const at = join(dir, 'units', f, '..');
          return [
            readFileSync(join(at, 'left.btf')).toString('hex'),
            readFileSync(join(at, 'right.btf')).toString('hex'),
            readFileSync(join(at, 'meta.json'), 'utf8'),
          ].join('|');
        })
        .sort();
    expect(entries(direct)).toEqual(entries(pp));
    expect(manifests(direct)).toHaveLength(9);
  });
});
