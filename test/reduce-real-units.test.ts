/**
 * Real reductions with the real toolchain (gcc 12.2 + pahole 1.24): a
 * 711-line and a 499-line synthetic unit down to reproducers that still
 * show the same finding in a fresh check. The reducer's pure parts are
 * tested in reduce.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBES, runCliAsync } from './helpers/cli.js';
import { resolveCheckSettings } from '../src/cli/settings.js';
import { runCheck } from '../src/pipeline/run-check.js';
import { lineCount } from '../src/triage/reduce.js';
import { reduceSource } from '../src/triage/reduce-source.js';

describe('reduce a real multi-hundred-line unit', () => {
  it('keeps the enum signedness divergence and ends small, compiling through both avenues', async () => {
    const settings = resolveCheckSettings({}, {}, '/nonexistent-config-dir');
    const source = { display: 'wide-unit.c', arg: 'test/fixtures/triage/wide-unit.c', cwd: process.cwd() };
    const target = { entity: 'enum wire_status', category: 'signedness' as const };
    const r = await reduceSource({ source, target, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 2 });
    expect(r.stats.originalLines).toBe(711);
    // The divergence needs the enum, something that makes gcc emit it (a struct and a variable,
    // or a function), and one negative enumerator: a handful of lines, far below 15.
    expect(lineCount(r.text)).toBeLessThanOrEqual(15);
    expect(r.text).toMatch(/enum wire_status\s*\{[^}]*-\d/);
    // Oracle: a fresh check of the written reproducer, through the same pipeline as `btfparity check`.
    const dir = mkdtempSync(join(tmpdir(), 'reduce-test-'));
    try {
      writeFileSync(join(dir, 'repro.c'), r.text);
      const fresh = await runCheck({ sources: [{ display: 'repro.c', arg: 'repro.c', cwd: dir }], config: settings.config, timeoutSeconds: 60, rules: [] });
      const unit = fresh.units[0];
      expect(unit.error).toBeUndefined(); // both avenues compiled it
      const f = unit.findings.find((x) => x.entity === target.entity && x.category === target.category);
      // pahole 1.24 marks the enum SIGNED (from DWARF), gcc 12 -gbtf leaves kind_flag clear.
      expect(f?.left).toContain('SIGNED');
      expect(f?.right).toContain('UNSIGNED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('reduce a func finding in a real multi-hundred-line unit', () => {
  it('keeps the inlined static helper, gives it a caller, and ends small', async () => {
    // -O2 so the helper is inlined: then gcc 12 -gbtf still emits a FUNC for it
    // while pahole 1.24 (from DWARF, where an inlined instance has no address) does not.
    const settings = resolveCheckSettings({ cflags: '-O2' }, {}, '/nonexistent-config-dir');
    const source = { display: 'inline-helper-unit.c', arg: 'test/fixtures/triage/inline-helper-unit.c', cwd: process.cwd() };
    const target = { entity: 'func ring_slot_index', category: 'only-right' as const };
    const r = await reduceSource({ source, target, config: settings.config, timeoutSeconds: 60, rules: [], jobs: 2 });
    expect(r.stats.originalLines).toBe(499);
    // Needed: the helper's definition (pinned: the reducer never drops it) and one
    // caller; the 40 unrelated records, enums, counters and functions all go.
    expect(lineCount(r.text)).toBeLessThanOrEqual(10);
    expect(r.text).toMatch(/static inline\b[^{]*\bring_slot_index\s*\(/);
    expect(r.text).toMatch(/\bring_slot_index\s*\([^)]*\)\s*;/); // a call
    expect(r.text).not.toMatch(/\brec\d+\b|\bbump\d+\b/);
    const dir = mkdtempSync(join(tmpdir(), 'reduce-test-'));
    try {
      writeFileSync(join(dir, 'repro.c'), r.text);
      const fresh = await runCheck({ sources: [{ display: 'repro.c', arg: 'repro.c', cwd: dir }], config: settings.config, timeoutSeconds: 60, rules: [] });
      const unit = fresh.units[0];
      expect(unit.error).toBeUndefined();
      const f = unit.findings.find((x) => x.entity === target.entity && x.category === target.category);
      expect(f?.left).toBe('absent');
      expect(f?.right).toContain('ring_slot_index');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('reduce with no such finding (issue 12)', () => {
  it('is exit 2 and lists the entities it could reduce instead, with or without --category', async () => {
    const probe = join(PROBES, '07-enum-negative.c');
    for (const extra of [[], ['--category', 'signedness']]) {
      const r = await runCliAsync(['reduce', probe, '--entity', 'enum colour', '-q', ...extra]);
      // With its stderr, so that a wrong status says why (a cache race once made it 70).
      expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^btfparity: .*07-enum-negative\.c: no .*finding for 'enum colour'.*; candidates: .*enum all_negative \(signedness\)/);
    }
  });
});
