/**
 * A compiler whose `-print-prog-name=cc1` names a file the host does not
 * have: a wrapper that runs gcc in a container or a toolchain root. The
 * cache must not crash on it (it used to: exit 70, ENOENT on the cc1 path)
 * and must still tell two such compilers apart by what they say about
 * themselves. The wrappers here run the host's gcc and only answer the
 * cc1 question as a foreign compiler would, so the test needs no root
 * (test/toolchain-roots.test.ts does the same with a real one).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { identifyTool } from '../src/toolchain/identity.js';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import { corpusProbes } from '../src/source/corpus.js';
import { ensureBuilt, runCli } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-foreign-cc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const probe = corpusProbes().filter((p) => p.display.endsWith('21-multidim-array.c'));

/** A gcc wrapper that claims its cc1 is `cc1` (absent on the host) and, optionally, another version banner. */
function foreignGcc(name: string, cc1: string, banner?: string): string {
  const p = join(work, name);
  const version = banner ? `case "$1" in --version) echo "${banner}"; exit 0;; esac\n` : '';
  writeFileSync(p, `#!/bin/sh\ncase "$1" in -print-prog-name=cc1) echo ${cc1}; exit 0;; esac\n${version}exec gcc "$@"\n`);
  chmodSync(p, 0o755);
  return p;
}

async function run(cc: string, cacheDir: string) {
  const settings = resolveCheckSettings({ cc }, {}, work);
  return runCheckWithStats({ sources: probe, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 1, cacheDir });
}

beforeAll(ensureBuilt);

describe('a compiler whose cc1 is not on this machine', () => {
  test('check runs (exit 1 for the probe findings, not 70) and its second run is a cache hit', () => {
    const cc = foreignGcc('gcc-elsewhere', '/nonexistent/libexec/gcc/x86_64-linux-gnu/16/cc1');
    const cacheDir = mkdtempSync(join(work, 'cache-cli-'));
    const first = runCli(['check', '-q', '--cc', cc, '--cache-dir', cacheDir, 'corpus/probes/21-multidim-array.c']);
    expect([first.status, first.stderr]).toEqual([1, '']);
    expect(readdirSync(join(cacheDir, 'units')).length).toBe(1);
    const second = runCli(['check', '-q', '--cc', cc, '--cache-dir', cacheDir, 'corpus/probes/21-multidim-array.c']);
    expect([second.status, second.stdout]).toEqual([1, first.stdout]);
  });

  test('the digest covers the wrapper, the cc1 answer and the version text', async () => {
    const timeout = 60;
    const tool = (path: string) => ({ role: 'cc' as const, command: path, path });
    const a = await identifyTool(tool(foreignGcc('a', '/nonexistent/cc1')), timeout);
    const sameAgain = await identifyTool(tool(foreignGcc('a2', '/nonexistent/cc1')), timeout);
    const otherCc1 = await identifyTool(tool(foreignGcc('b', '/nonexistent/other/cc1')), timeout);
    const otherVersion = await identifyTool(tool(foreignGcc('c', '/nonexistent/cc1', 'gcc (Elsewhere) 99.1.0')), timeout);
    expect(a?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sameAgain?.sha256).toBe(a?.sha256); // same bytes, same answers: same tool
    expect(otherCc1?.sha256).not.toBe(a?.sha256);
    expect(otherVersion?.sha256).not.toBe(a?.sha256);
  });

  test('in the pipeline: a different compiler behind the same kind of wrapper misses the cache', async () => {
    const cacheDir = mkdtempSync(join(work, 'cache-lib-'));
    const one = await run(foreignGcc('one', '/nonexistent/cc1'), cacheDir);
    expect(one.cache).toEqual({ hits: 0, misses: 1 });
    expect((await run(foreignGcc('one', '/nonexistent/cc1'), cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    expect((await run(foreignGcc('one', '/nonexistent/cc1', 'gcc (Elsewhere) 99.1.0'), cacheDir)).cache).toEqual({ hits: 0, misses: 1 });
  });
});
