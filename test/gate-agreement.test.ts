/**
 * The exit status, junit and sarif tell one story (issue 12): for every
 * --fail-on value, without and with a baseline, the set of junit
 * <failure>s, the set of SARIF `error` results and the set of findings
 * that fail the gate are the same set, and the exit status is 1 exactly
 * when it is not empty. The expected sets are written out from the fixture
 * (test/fixtures/report-run.ts):
 *   findings: double, var f64 (known), char, struct chars (unexplained), var plain_buf (equivalent);
 *   baseline: char recorded as is (unchanged), struct chars recorded as known (updated), the rest new.
 * Without a baseline, --fail-on picks statuses: unexplained → the two unexplained; known → and the two
 * known; any → all five. With it, only new findings can fail: unexplained → none (no new one is
 * unexplained); known → double, var f64; any → those and var plain_buf.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runExitStatus } from '../src/cli/exit-status.js';
import { type Baseline, compareToBaseline, FAIL_ON, type FailOn } from '../src/report/baseline.js';
import { renderReport } from '../src/report/render.js';
import { BASELINE, CHARS, CLEAN, FLOATS, runOf } from './fixtures/report-run.js';

// No failed unit: a unit failure would make the status 3 whatever the findings.
const RUN = runOf([FLOATS, CHARS, CLEAN]);
const name = (entity: string, path: string, category: string) => `${entity}${path ? ` ${path}` : ''}: ${category}`;
const CHAR = name('char', '', 'encoding');
const STRUCT = name('struct chars', 'c|sc', 'member-type');
const DOUBLE = name('double', '', 'kind');
const F64 = name('var f64', '', 'only-right');
const BUF = name('var plain_buf', '', 'array');

const EXPECTED: Record<'none' | 'baseline', Record<FailOn, string[]>> = {
  none: { unexplained: [CHAR, STRUCT], known: [CHAR, STRUCT, DOUBLE, F64], any: [CHAR, STRUCT, DOUBLE, F64, BUF] },
  baseline: { unexplained: [], known: [DOUBLE, F64], any: [DOUBLE, F64, BUF] },
};

function junitFailures(xml: string): string[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML
  return doc.testsuites.testsuite.flatMap((s: any) => s.testcase.filter((c: any) => c.failure !== undefined).map((c: any) => c['@name'] as string));
}

interface SarifResultFacts {
  level: string;
  properties: { entity: string; path: string; category: string };
}

function sarifErrors(json: string): string[] {
  const results = JSON.parse(json).runs[0].results as SarifResultFacts[];
  return results.filter((r) => r.level === 'error').map((r) => name(r.properties.entity, r.properties.path, r.properties.category));
}

function gateFailing(failOn: FailOn, baseline: Baseline | undefined): { failing: string[]; exit: number } {
  if (baseline === undefined) {
    // The gate's own word on each finding alone: the exit status of a run holding just that finding.
    const failing = RUN.units.flatMap((u) => u.findings.filter((f) => runExitStatus(runOf([{ ...u, findings: [f] }]), failOn) === 1));
    return { failing: failing.map((f) => name(f.entity, f.path, f.category)), exit: runExitStatus(RUN, failOn) };
  }
  const cmp = compareToBaseline(RUN, baseline, failOn);
  return { failing: cmp.failing.map((n) => name(n.finding.entity, n.finding.path, n.finding.category)), exit: cmp.exitCode };
}

const sorted = (xs: string[]) => [...xs].sort();

describe.each(['none', 'baseline'] as const)('baseline: %s', (which) => {
  const baseline = which === 'baseline' ? BASELINE : undefined;
  it.each(FAIL_ON)('--fail-on %s: junit failures == sarif errors == what fails the gate; exit 1 iff any', (failOn) => {
    const opts = { gate: { failOn, ...(baseline ? { baseline } : {}) }, baselineName: 'bl.json' };
    const expected = sorted(EXPECTED[which][failOn]);
    const gate = gateFailing(failOn, baseline);
    expect(sorted(gate.failing)).toEqual(expected);
    expect(sorted(junitFailures(renderReport(RUN, 'junit', opts)))).toEqual(expected);
    expect(sorted(sarifErrors(renderReport(RUN, 'sarif', opts)))).toEqual(expected);
    expect(gate.exit).toBe(expected.length > 0 ? 1 : 0);
  });
});

describe('junit with a baseline', () => {
  const xml = renderReport(RUN, 'junit', { gate: { failOn: 'any', baseline: BASELINE }, baselineName: 'bl.json' });
  it('accepted findings are skipped, saying by which baseline and what it recorded', () => {
    expect(xml).toContain('<skipped message="accepted by baseline bl.json (unexplained)"/>');
    expect(xml).toContain('<skipped message="accepted by baseline bl.json (unexplained, recorded as known)"/>');
    expect(xml).toMatch(/<testsuites name="btfparity" tests="6" failures="3" errors="0" disabled="2">/);
  });
  it('a unit failure the baseline accepts is skipped, not an error; one it does not accept is an error', () => {
    const broken = runOf([{ ...CLEAN, source: 'src/broken.c', error: { step: 'left encode (pahole)', message: 'boom' } }]);
    const accepted: Baseline = { ...BASELINE, failures: [{ unit: 'src/broken.c', step: 'left encode (pahole)', message: 'boom' }] };
    const ok = renderReport(broken, 'junit', { gate: { failOn: 'any', baseline: accepted }, baselineName: 'bl.json' });
    expect(ok).toContain('<skipped message="failure accepted by baseline bl.json: left encode (pahole): boom"/>');
    expect(ok).not.toContain('<error');
    const bad = renderReport(broken, 'junit', { gate: { failOn: 'any', baseline: BASELINE }, baselineName: 'bl.json' });
    expect(bad).toContain('<error type="toolchain" message="left encode (pahole): boom"/>');
  });
});
