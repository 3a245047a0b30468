/**
 * `-j N` execution: the real toolchain (gcc 12, pahole 1.24) over corpus
 * probes through runCheckWithStats, with no cache so every unit is built.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { runCheckWithStats } from '../src/pipeline/run-check.js';
import type { UnitSource } from '../src/source/unit-source.js';
import { corpusProbes } from '../src/source/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'btfparity-test-jobs-'));
const settings = resolveCheckSettings({}, {}, work);
const probes = corpusProbes().filter((p) => /\/(0[1-6]|21)-/.test(p.display));

describe('check with a pool of jobs', () => {
  test('-j2 gives the same report as -j1, units in input order', async () => {
    const one = await runCheckWithStats({ sources: probes, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 1 });
    const two = await runCheckWithStats({ sources: probes, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 2 });
    expect(one.result.units.map((u) => u.source)).toEqual(probes.map((p) => p.display));
    expect(two.result).toEqual(one.result);
    // 21-multidim-array is the probe with a known structural divergence (flattened vs nested arrays), so the comparison really ran.
    expect(one.result.units.find((u) => u.source.endsWith('21-multidim-array.c'))?.findings.some((f) => f.normalisation === 'flattened-array')).toBe(true);
  });

  test('a failing unit is reported with its compiler error and the others still run', async () => {
    const bad = join(work, 'broken.c');
    writeFileSync(bad, 'struct s { int x; };\nint f(void) { return missing_name; }\n');
    const sources: UnitSource[] = [probes[0], { display: 'broken.c', arg: bad, cwd: work }, probes[1]];
    const seen: string[] = [];
    const { result } = await runCheckWithStats({
      sources,
      config: settings.config,
      timeoutSeconds: 60,
      rules: [],
      jobs: 2,
      onUnit: (u) => seen.push(u.source),
    });
    expect(result.units.map((u) => u.source)).toEqual([probes[0].display, 'broken.c', probes[1].display]);
    expect([...seen].sort()).toEqual([...result.units.map((u) => u.source)].sort());
    const broken = result.units[1];
    // gcc's message for an undeclared identifier names it.
    expect(broken.error?.step).toMatch(/compile \(gcc\)/);
    expect(broken.error?.message).toMatch(/'missing_name' undeclared/);
    expect(result.units[0].error).toBeUndefined();
    expect(result.units[2].error).toBeUndefined();
    expect(result.summary.failedUnits).toBe(1);
  });
});
