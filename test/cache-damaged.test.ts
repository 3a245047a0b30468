/**
 * A damaged cache entry is a miss that is rebuilt, said once (issue 14,
 * item 8). Before: an emptied left.btf failed the unit (exit 3) on every
 * later run, and a well-formed meta.json of the wrong shape silently
 * dropped the symbol facts, turning known findings unexplained.
 *
 * These runs recompare (reuseComparisons: false, `--recompare`), as any run
 * with other rules or another btfparity does: only then is the artifact
 * entry read. A run that is served the unit's stored comparison reads no
 * artifact, so its damage waits for the first run that needs it (last test).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { sha256 } from '../src/cache/key.js';
import { resolveCheckSettings, resolveRules } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import { corpusProbes } from '../src/source/corpus.js';
import { ensureBuilt, PROBES, runCli } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir: work, cleanup } = tempDir('cache-damaged');
afterAll(cleanup);

// 07-enum-negative has findings that are `known` only thanks to the object's symbols.
const probe = corpusProbes().filter((p) => p.display.endsWith('07-enum-negative.c'));
const rules = resolveRules({});

async function run(cacheDir: string, reuseComparisons = false) {
  const warnings: string[] = [];
  const settings = resolveCheckSettings({}, {}, work);
  const out = await runCheckWithStats({
    sources: probe,
    config: settings.config,
    timeoutSeconds: 60,
    rules,
    cacheDir,
    reuseComparisons,
    warn: (m) => warnings.push(m),
  });
  return { ...out, warnings };
}

/** The one entry directory of a fresh cache. */
function entry(cacheDir: string): string {
  const units = join(cacheDir, 'units');
  const [prefix] = readdirSync(units).filter((n) => !n.startsWith('.'));
  const [key] = readdirSync(join(units, prefix)).filter((n) => !n.startsWith('.'));
  return join(units, prefix, key);
}

describe('damaged cache entries', () => {
  test('an emptied left.btf is rebuilt (same findings, one warning), then served again', async () => {
    const cacheDir = join(work, 'c1');
    const first = await run(cacheDir);
    expect(first.cache).toEqual({ hits: 0, misses: 1 });
    expect(first.result.units[0].findings.some((f) => f.status === 'known')).toBe(true);
    writeFileSync(join(entry(cacheDir), 'left.btf'), '');
    const second = await run(cacheDir);
    expect(second.result.units[0].error).toBeUndefined();
    expect(second.result.units).toEqual(first.result.units);
    expect(second.cache).toEqual({ hits: 0, misses: 1 });
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatch(/^cache entry .* is damaged \(left\.btf is 0 bytes, the entry recorded \d+\); rebuilding it$/);
    const third = await run(cacheDir);
    expect([third.cache, third.warnings]).toEqual([{ hits: 1, misses: 0 }, []]);
    expect(third.result.units).toEqual(first.result.units);
  });

  test('meta.json of the wrong shape (digests even recomputed to match) is damaged, not a silent loss of symbol facts', async () => {
    const cacheDir = join(work, 'c2');
    const first = await run(cacheDir);
    const meta = join(entry(cacheDir), 'meta.json');
    const rec = JSON.parse(readFileSync(meta, 'utf8'));
    rec.meta = { symbols: { not: 'a list' } };
    rec.metaSha256 = sha256(JSON.stringify(rec.meta));
    writeFileSync(meta, JSON.stringify(rec));
    const second = await run(cacheDir);
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatch(/damaged \(meta\.json facts: symbols must be a list or null\)/);
    expect(second.result.units).toEqual(first.result.units); // known findings stay known
  });

  test('facts changed behind the digest, or meta.json truncated, are damaged too', async () => {
    const cacheDir = join(work, 'c3');
    const first = await run(cacheDir);
    const meta = join(entry(cacheDir), 'meta.json');
    const rec = JSON.parse(readFileSync(meta, 'utf8'));
    rec.meta.symbols = [];
    writeFileSync(meta, JSON.stringify(rec));
    const second = await run(cacheDir);
    expect(second.warnings.join()).toMatch(/meta\.json facts do not match their recorded sha256/);
    expect(second.result.units).toEqual(first.result.units);
    const text = readFileSync(meta, 'utf8');
    writeFileSync(meta, text.slice(0, text.length / 2));
    const third = await run(cacheDir);
    expect(third.warnings.join()).toMatch(/meta\.json is not valid JSON/);
    expect(third.result.units).toEqual(first.result.units);
  });

  test('through the CLI: the same exit status and report as the first run, one stderr line', () => {
    ensureBuilt();
    const cacheDir = join(work, 'c4');
    const args = ['check', '--recompare', '--format', 'json', '--cache-dir', cacheDir, join(PROBES, '07-enum-negative.c')];
    const first = runCli(args, { cwd: work });
    writeFileSync(join(entry(cacheDir), 'left.btf'), '');
    const second = runCli(args, { cwd: work });
    expect(second.status).toBe(first.status);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr.split('\n').filter((l) => l !== '')).toEqual([
      expect.stringMatching(/^btfparity: cache entry .* is damaged \(left\.btf .*\); rebuilding it$/),
    ]);
    const third = runCli(args, { cwd: work });
    expect([third.status, third.stderr]).toEqual([first.status, '']);
  });

  test('a served comparison reads no artifact: the damage is found by the first run that recompares', async () => {
    const cacheDir = join(work, 'c5');
    const first = await run(cacheDir, true);
    expect(first.cache).toEqual({ hits: 0, misses: 1 });
    writeFileSync(join(entry(cacheDir), 'left.btf'), '');
    const served = await run(cacheDir, true);
    expect([served.cache, served.warnings]).toEqual([{ hits: 1, misses: 0 }, []]);
    expect(served.result.units).toEqual(first.result.units);
    const recompared = await run(cacheDir, false);
    expect(recompared.cache).toEqual({ hits: 0, misses: 1 });
    expect(recompared.warnings).toEqual([expect.stringMatching(/damaged \(left\.btf is 0 bytes/)]);
    expect(recompared.result.units).toEqual(first.result.units);
  });
});
