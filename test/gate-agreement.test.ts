/**
 * The exit status, junit and sarif tell one story (issue 12): for every
 * --fail-on value, without and with a baseline, the set of junit
 * <failure>s, the set of SARIF `error` results and the set of findings
 * that fail the gate are the same set, and the exit status is 1 exactly
 * when it is not empty. The expected sets are written out from the fixture
 * (test/fixtures/report-run.ts):
 *   findings: double, var f64 (known), char, struct chars (unexplained), var plain_buf (equivalent);
 *   baseline: char recorded as is (unchanged), struct chars recorded as known (changed: known →
 *   unexplained), the rest new.
 * Without a baseline, --fail-on picks statuses: unexplained → the two unexplained; known → and the two
 * known; any → all five. With it, only new and changed findings can fail, each by its status now:
 * unexplained → struct chars (changed to unexplained; no new one is unexplained); known → double,
 * var f64 and struct chars; any → those and var plain_buf. char, unchanged, never fails.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runExitStatus } from '../src/cli/exit-status.js';
import { gateExitStatus } from '../src/cli/gate.js';
import type { ClassifiedFinding, Status } from '../src/findings/finding.js';
import { type Baseline, baselineFrom, compareToBaseline, FAIL_ON, type FailOn, parseBaseline, renderBaseline } from '../src/report/baseline.js';
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
  baseline: { unexplained: [STRUCT], known: [DOUBLE, F64, STRUCT], any: [DOUBLE, F64, BUF, STRUCT] },
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
    // struct chars changed (known → unexplained): under --fail-on any it fails, saying how it changed.
    expect(xml).toContain(
      '<failure type="unexplained" message="changed finding (status known → unexplained, reason some-rule → (unset)) fails with --fail-on any">',
    );
    expect(xml).toMatch(/<testsuites name="btfparity" tests="6" failures="4" errors="0" disabled="1">/);
    // Under --fail-on unexplained an improvement (here none) would pass; the same change still fails.
    const un = renderReport(RUN, 'junit', { gate: { failOn: 'unexplained', baseline: BASELINE }, baselineName: 'bl.json' });
    expect(un).toMatch(/<testsuites name="btfparity" tests="6" failures="1" errors="0" disabled="1">/);
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

/**
 * Changed findings (issue 9): every status change in both directions, for every --fail-on. The
 * baseline is the same run recorded with other statuses (each entry written out below), so no
 * finding is new and none is resolved; what fails is decided by the status a finding has NOW
 * (failsUnder): unexplained fails under every --fail-on, known under known and any, equivalent
 * under any only. An unchanged finding never fails.
 *   double        recorded unexplained → known now        (an improvement)
 *   var f64       recorded known       → known now        (unchanged)
 *   char          recorded known       → unexplained now  (a rule stopped firing)
 *   struct chars  recorded equivalent  → unexplained now
 *   var plain_buf recorded known       → equivalent now
 */
describe('changed findings: status changes reported and gated', () => {
  const recordedAs: Record<string, { status: Status; reason?: string }> = {
    double: { status: 'unexplained' },
    'var f64': { status: 'known', reason: 'pahole-vars-percpu-only' },
    char: { status: 'known', reason: 'char-signedness' },
    'struct chars': { status: 'equivalent', reason: 'qualifier-order' },
    'var plain_buf': { status: 'known', reason: 'some-rule' },
  };
  const then = runOf(
    RUN.units.map((u) => ({
      ...u,
      findings: u.findings.map((f) => {
        const { reason: _, ...rest } = f;
        return { ...rest, ...recordedAs[f.entity] };
      }),
    })),
  );
  const baseline = parseBaseline(JSON.parse(renderBaseline(baselineFrom(then))));
  const CHANGED = [DOUBLE, CHAR, STRUCT, BUF];
  const FAILING: Record<FailOn, string[]> = { unexplained: [CHAR, STRUCT], known: [DOUBLE, CHAR, STRUCT], any: [DOUBLE, CHAR, STRUCT, BUF] };

  it.each(FAIL_ON)('--fail-on %s: changed == sarif updated; failing == junit failures == sarif errors; exit 1 iff any', (failOn) => {
    const cmp = compareToBaseline(RUN, baseline, failOn);
    const names = (xs: readonly { finding: ClassifiedFinding }[]) => sorted(xs.map((n) => name(n.finding.entity, n.finding.path, n.finding.category)));
    expect(cmp.newFindings).toEqual([]);
    expect(cmp.resolved).toEqual([]);
    expect(names(cmp.changed)).toEqual(sorted(CHANGED));
    expect(names(cmp.failing)).toEqual(sorted(FAILING[failOn]));
    expect(cmp.exitCode).toBe(1);
    const opts = { gate: { failOn, baseline }, baselineName: 'bl.json' };
    expect(sorted(junitFailures(renderReport(RUN, 'junit', opts)))).toEqual(sorted(FAILING[failOn]));
    const sarif = renderReport(RUN, 'sarif', opts);
    expect(sorted(sarifErrors(sarif))).toEqual(sorted(FAILING[failOn]));
    const results = JSON.parse(sarif).runs[0].results as (SarifResultFacts & { baselineState: string })[];
    const updated = results.filter((r) => r.baselineState === 'updated').map((r) => name(r.properties.entity, r.properties.path, r.properties.category));
    expect(sorted(updated)).toEqual(sorted(CHANGED));
    expect(results.filter((r) => r.baselineState === 'unchanged').map((r) => r.properties.entity)).toEqual(['var f64']);
  });

  it('the field-by-field difference names the status first, then the rule', () => {
    const cmp = compareToBaseline(RUN, baseline, 'any');
    const of = (entity: string) => cmp.changed.find((c) => c.finding.entity === entity)?.changes;
    // The fixture's findings now: double known by pahole-float-as-int, char and struct chars
    // unexplained (no reason), var plain_buf equivalent by array-index-type.
    expect(of('double')).toEqual([
      { field: 'status', before: 'unexplained', after: 'known' },
      { field: 'reason', after: 'pahole-float-as-int' },
    ]);
    expect(of('char')).toEqual([
      { field: 'status', before: 'known', after: 'unexplained' },
      { field: 'reason', before: 'char-signedness' },
    ]);
    expect(of('var plain_buf')).toEqual([
      { field: 'status', before: 'known', after: 'equivalent' },
      { field: 'reason', before: 'some-rule', after: 'array-index-type' },
    ]);
  });

  it('the gate lists each change and counts them on its summary line; the exit status follows --fail-on', () => {
    const lines: string[] = [];
    const status = gateExitStatus(RUN, { failOn: 'unexplained', baseline: { file: 'bl.json', data: baseline } }, (l) => lines.push(l));
    expect(status).toBe(1);
    expect(lines.filter((l) => l.startsWith('changed: '))).toEqual([
      `changed: ${CHARS.source}: char: encoding: INT 'char' size=1 SIGNED → INT 'char' size=1 SIGNED|CHAR: status known → unexplained, reason char-signedness → (unset)`,
      `changed: ${CHARS.source}: struct chars c|sc: member-type: char \`c\` → signed char <sc> & 'x': status equivalent → unexplained, reason qualifier-order → (unset)`,
      `changed: ${CHARS.source}: var plain_buf: array: char[8] index int → char[8] index long unsigned int: status known → equivalent, reason some-rule → array-index-type`,
      `changed: ${FLOATS.source}: double: kind: INT 'double' size=8 (none) → FLOAT 'double' size=8: status unexplained → known, reason (unset) → pahole-float-as-int`,
    ]);
    expect(lines.at(-1)).toBe(
      'baseline bl.json: 0 new findings (0 failing with --fail-on unexplained), 4 changed (2 failing), 0 new unit failures, 0 resolved',
    );
    // Only improvements (double: unexplained → known) pass under --fail-on unexplained.
    const improved = parseBaseline(
      JSON.parse(renderBaseline(baselineFrom(runOf([{ ...FLOATS, findings: [{ ...FLOATS.findings[0], status: 'unexplained' }, FLOATS.findings[1]] }])))),
    );
    const only = runOf([FLOATS]);
    expect(gateExitStatus(only, { failOn: 'unexplained', baseline: { file: 'b', data: improved } }, () => {})).toBe(0);
    expect(gateExitStatus(only, { failOn: 'known', baseline: { file: 'b', data: improved } }, () => {})).toBe(1);
  });

  it('a baseline of version 1 (no reasons recorded) compares the status alone', () => {
    const v1 = JSON.parse(renderBaseline(baseline));
    v1.schemaVersion = 1;
    for (const e of v1.entries) delete e.reason;
    const cmp = compareToBaseline(RUN, parseBaseline(v1), 'any');
    expect(cmp.changed.find((c) => c.finding.entity === 'double')?.changes).toEqual([{ field: 'status', before: 'unexplained', after: 'known' }]);
  });
});
