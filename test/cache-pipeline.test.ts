/**
 * The artifact cache in the real pipeline: a counting wrapper script first
 * on PATH records every gcc and pahole invocation, so "not rebuilt" is
 * checked as "no compile (-c) and no encode ran", not by timing.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import { corpusProbes } from '../src/source/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-cache-'));
const probe = corpusProbes().filter((p) => p.display.endsWith('21-multidim-array.c'));
const log = join(work, 'calls.log');
const savedPath = process.env.PATH;

/** A wrapper named `name` in its own dir that logs its argv and execs the real tool. */
function wrapper(dirName: string, name: string, real: string, extra = ''): string {
  const dir = join(work, dirName);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n# ${extra}\necho "${name} $*" >> ${log}\nexec ${real} "$@"\n`);
  chmodSync(p, 0o755);
  return dir;
}

function calls(): string[] {
  try {
    return readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}
const compiles = () => calls().filter((l) => l.startsWith('gcc ') && / -c /.test(l)).length;
const encodes = () => calls().filter((l) => l.startsWith('pahole ') && l.includes('--btf_encode_detached')).length;

async function run(cacheDir: string) {
  const settings = resolveCheckSettings({}, {}, work);
  return runCheckWithStats({ sources: probe, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 1, cacheDir });
}

beforeEach(() => writeFileSync(log, ''));
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('artifact cache', () => {
  test('an unchanged unit is not rebuilt the second time, and gives the same findings', async () => {
    const cacheDir = mkdtempSync(join(work, 'cache-'));
    process.env.PATH = `${wrapper('count', 'gcc', '/usr/bin/gcc')}:${wrapper('countp', 'pahole', '/usr/bin/pahole')}:${savedPath}`;
    const first = await run(cacheDir);
    expect(first.cache).toEqual({ hits: 0, misses: 1 });
    // Single compile (-g -gbtf) then one pahole encode.
    expect([compiles(), encodes()]).toEqual([1, 1]);
    const second = await run(cacheDir);
    expect(second.cache).toEqual({ hits: 1, misses: 0 });
    expect([compiles(), encodes()]).toEqual([1, 1]); // nothing more was built
    // No preprocessor ran for the warm run (direct mode, test/cache-direct.test.ts): the one -E is the
    // cold run's search-list query (`-E -v` of an empty input), not a preprocessing of the unit.
    expect(calls().filter((l) => / -E /.test(l))).toEqual([expect.stringMatching(/ -E -v -x c -o \/dev\/null \/dev\/null$/)]);
    expect(second.result.units).toEqual(first.result.units);
    expect(first.result.units[0].findings.length).toBeGreaterThan(0);
  });

  test('a gcc wrapper first on PATH misses, and so does a pahole with different bytes', async () => {
    const cacheDir = mkdtempSync(join(work, 'cache-'));
    process.env.PATH = savedPath;
    expect((await run(cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    // Same gcc underneath, but a different executable resolves first: miss.
    process.env.PATH = `${wrapper('wrap-gcc', 'gcc', '/usr/bin/gcc')}:${savedPath}`;
    expect((await run(cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    expect(compiles()).toBe(1);
    // A pahole wrapper, then the same path with other bytes (a rebuilt pahole reporting the same version): miss both times.
    const pdir = wrapper('wrap-pahole', 'pahole', '/usr/bin/pahole', 'build 1');
    process.env.PATH = `${pdir}:${savedPath}`;
    expect((await run(cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
    expect((await run(cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    wrapper('wrap-pahole', 'pahole', '/usr/bin/pahole', 'build 2');
    const rebuilt = await run(cacheDir);
    expect(rebuilt.cache).toEqual({ hits: 0, misses: 1 });
    expect(rebuilt.result.toolchain.find((t) => t.role === 'pahole')?.version).toBe(
      (await run(cacheDir)).result.toolchain.find((t) => t.role === 'pahole')?.version,
    );
  });

  test('an edited header misses although the .c file is unchanged', async () => {
    const cacheDir = mkdtempSync(join(work, 'cache-'));
    process.env.PATH = savedPath;
    const dir = mkdtempSync(join(work, 'src-'));
    writeFileSync(join(dir, 'h.h'), 'struct s { int a; };\n');
    writeFileSync(join(dir, 'u.c'), '#include "h.h"\nstruct s v;\n');
    // Direct mode records no entry for files changed within 0.1 s of the build (cache/file-state.ts RECENT_NS).
    await new Promise((r) => setTimeout(r, 200));
    const settings = resolveCheckSettings({}, {}, work);
    const go = () =>
      runCheckWithStats({ sources: [{ display: 'u.c', arg: 'u.c', cwd: dir }], config: settings.config, timeoutSeconds: 60, rules: [], cacheDir });
    expect((await go()).cache).toEqual({ hits: 0, misses: 1 });
    expect((await go()).cache).toEqual({ hits: 1, misses: 0 });
    writeFileSync(join(dir, 'h.h'), 'struct s { long a; };\n');
    expect((await go()).cache).toEqual({ hits: 0, misses: 1 });
  });
});
