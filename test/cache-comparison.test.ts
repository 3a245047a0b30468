/**
 * A cached unit's comparison is served from the cache too (issue 13: warm
 * run ≤ 5 % of the plain compile), keyed so that it is never stale: the
 * reports of a warm run are those of a `--no-cache` run byte for byte; other
 * rules, another code digest or `--recompare` recompute it; a damaged entry
 * is rebuilt with one warning. "Served from the cache" is observed by
 * planting a well-formed entry with other content and seeing it come back.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256 } from '../src/cache/key.js';
import { resolveCheckSettings, resolveRules } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import type { UnitResult } from '../src/report/run-result.js';
import { corpusProbes } from '../src/source/corpus.js';
import { ensureBuilt, PROBES, runCliAsync } from './helpers/cli.js';
import { tempDir } from './reader-toolchain.js';

const { dir: work, cleanup } = tempDir('cache-comparison');
afterAll(cleanup);
beforeAll(ensureBuilt);

// 07 has known findings (a rule's explanation shows in the report), 21 unexplained ones, 01 none at all.
const NAMES = ['01-int-widths.c', '07-enum-negative.c', '21-multidim-array.c'];
const PATHS = NAMES.map((n) => join(PROBES, n));

/** The comparison entry files of a cache directory. */
function comparisonFiles(cacheDir: string): string[] {
  const root = join(cacheDir, 'comparisons');
  return readdirSync(root)
    .filter((p) => !p.startsWith('.'))
    .flatMap((p) => readdirSync(join(root, p)).map((f) => join(root, p, f)))
    .filter((f) => f.endsWith('.json'));
}

/** Rewrite every comparison entry as a well-formed one holding `change(comparison)`. */
function plant(cacheDir: string, change: (c: { findings: Record<string, unknown>[] }) => unknown): void {
  for (const file of comparisonFiles(cacheDir)) {
    const text = readFileSync(file, 'utf8');
    const body = Buffer.from(JSON.stringify(change(JSON.parse(text.slice(text.indexOf('\n') + 1)))), 'utf8');
    writeFileSync(file, `${JSON.stringify({ comparison: 1, sha256: sha256(body), size: body.length })}\n${body}`);
  }
}

/** Every finding renamed: a report that shows it was served from the planted entry. */
const planted = (c: { findings: Record<string, unknown>[] }) => ({ ...c, findings: c.findings.map((f) => ({ ...f, explanation: 'PLANTED' })) });

const cli = (args: string[]) => runCliAsync(['check', '-q', ...args, ...PATHS], { cwd: work });

describe('cached comparisons through the CLI', () => {
  test('a warm run reports byte for byte what a --no-cache run does (json and text), from its comparison entries', async () => {
    const cacheDir = join(work, 'c-cli');
    const plain = { json: await cli(['--no-cache', '--format', 'json']), text: await cli(['--no-cache']) };
    expect(JSON.parse(plain.json.stdout).units).toHaveLength(3);
    const cold = await cli(['--cache-dir', cacheDir, '--format', 'json']);
    expect(cold.stdout).toBe(plain.json.stdout);
    expect(comparisonFiles(cacheDir)).toHaveLength(3);
    for (const format of ['json', 'text'] as const) {
      const warm = await cli(['--cache-dir', cacheDir, '--format', format]);
      expect([warm.status, warm.stderr]).toEqual([plain[format].status, '']);
      expect(warm.stdout).toBe(plain[format].stdout);
    }
    // What a warm run printed came from the entries (planted content shows), and --recompare ignores them.
    plant(cacheDir, planted);
    const served = await cli(['--cache-dir', cacheDir, '--format', 'json']);
    expect(served.stdout).toContain('"PLANTED"');
    expect(served.stdout).not.toBe(plain.json.stdout);
    const recompared = await cli(['--cache-dir', cacheDir, '--format', 'json', '--recompare']);
    expect(recompared.stdout).toBe(plain.json.stdout);
  });

  test('a changed rules file (same name, another explanation) changes the warm run', async () => {
    const cacheDir = join(work, 'c-rules');
    const shipped = JSON.parse(readFileSync(join(PROBES, '..', '..', 'rules', 'known-divergences.json'), 'utf8'));
    const rulesFile = join(work, 'mine.json');
    writeFileSync(rulesFile, JSON.stringify(shipped));
    const args = ['--cache-dir', cacheDir, '--format', 'json', '--no-default-rules', '--rules', rulesFile];
    const first = JSON.parse((await cli(args)).stdout);
    const known = first.units.flatMap((u: UnitResult) => u.findings).find((f: { status: string }) => f.status === 'known');
    expect(known).toBeDefined();
    for (const r of shipped.rules) if (r.id === known.reason) r.explanation = 'EDITED EXPLANATION';
    writeFileSync(rulesFile, JSON.stringify(shipped));
    const warm = await cli(args);
    expect(warm.stdout).toContain('"EDITED EXPLANATION"');
    expect(warm.stdout).toBe((await cli([...args.slice(2), '--no-cache'])).stdout);
  });
});

describe('cached comparisons in the library', () => {
  const probes = corpusProbes().filter((p) => NAMES.some((n) => p.display.endsWith(n)));
  const rules = resolveRules({});

  async function run(cacheDir: string, codeDigest: string) {
    const warnings: string[] = [];
    const settings = resolveCheckSettings({}, {}, work);
    const out = await runCheckWithStats({
      sources: probes,
      config: settings.config,
      timeoutSeconds: 60,
      rules,
      cacheDir,
      codeDigest,
      warn: (m) => warnings.push(m),
    });
    return { units: JSON.parse(JSON.stringify(out.result.units)) as UnitResult[], warnings };
  }

  test('another code digest recomputes; the same one serves the entry', async () => {
    const cacheDir = join(work, 'c-code');
    const first = await run(cacheDir, 'build-a');
    plant(cacheDir, planted);
    const servedA = await run(cacheDir, 'build-a');
    expect(servedA.units.flatMap((u) => u.findings).every((f) => f.explanation === 'PLANTED')).toBe(true);
    const b = await run(cacheDir, 'build-b');
    expect(b.units).toEqual(first.units);
    expect(b.units.flatMap((u) => u.findings).some((f) => f.explanation === 'PLANTED')).toBe(false);
  });

  test('a damaged comparison entry is rebuilt with one warning, then served again', async () => {
    const cacheDir = join(work, 'c-damaged');
    const first = await run(cacheDir, 'build-a');
    const [file] = comparisonFiles(cacheDir).filter((f) => readFileSync(f, 'utf8').includes('"findings":[{'));
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 10));
    const second = await run(cacheDir, 'build-a');
    expect(second.units).toEqual(first.units);
    expect(second.warnings).toEqual([
      expect.stringMatching(/^cache entry .* is damaged \(the comparison is \d+ bytes, the entry recorded \d+\); rebuilding it$/),
    ]);
    // Rebuilt: a third run is served from it (planted content shows) without a warning.
    plant(cacheDir, planted);
    const third = await run(cacheDir, 'build-a');
    expect(third.warnings).toEqual([]);
    expect(third.units.flatMap((u) => u.findings).every((f) => f.explanation === 'PLANTED')).toBe(true);
  });
});
