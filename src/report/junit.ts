/**
 * The junit format, for CI dashboards, telling the gate's story
 * (baseline.ts gateJudge): one <testsuite> per unit, one <testcase> per
 * finding. A <failure> is exactly a finding that fails the run (with a
 * baseline: new or changed, and failing under --fail-on; without: failing
 * under --fail-on); a finding the baseline accepts is <skipped>, saying so; every
 * other finding passes, its <system-out> saying why (the rule, the
 * normalisation, --fail-on). A unit whose toolchain step failed is one
 * <testcase name="toolchain"> with an <error>, or <skipped> when the
 * baseline accepts that failure. A unit without findings is one passing
 * <testcase name="(no differences)">. Valid under the Jenkins JUnit schema
 * (test/fixtures/junit/junit-10.xsd).
 *
 * The document is written suite by suite (a kernel run has hundreds of
 * thousands of findings): two-space indentation, &, <, >, ' and " escaped
 * everywhere; characters XML 1.0 forbids are replaced first.
 */
import { type ClassifiedFinding, verdictText } from '../findings/finding.js';
import { DEFAULT_FAIL_ON, type FailOn, type FindingVerdict, failureJudge, type Gate, gateJudge } from './baseline.js';
import { changesText } from './record-changes.js';
import { sortedFindings } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';
import { collect, type TextWriter } from './writer.js';

/** XML 1.0 allows tab, LF, CR and U+0020 and up (minus surrogates/FFFE/FFFF); anything else becomes U+FFFD. */
export function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

export function findingText(f: ClassifiedFinding): string {
  const path = f.path === '' ? '' : ` ${f.path}`;
  const why = f.reason ? ` ${f.reason}` : '';
  const ids = ` (ids ${f.leftId ?? '-'}/${f.rightId ?? '-'})`;
  const verdict = f.verdict ? `; ${verdictText(f.verdict)}` : '';
  return `${f.entity}${path}: ${f.category}: ${f.left} → ${f.right} [${f.status}${why}]${ids}${verdict}`;
}

/** Escaped as XML text or attribute value: &, <, >, both quotes (as the junit format always wrote them). */
function esc(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/>/g, '&gt;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

function attrs(pairs: readonly (readonly [string, string | number])[]): string {
  return pairs.map(([k, v]) => ` ${k}="${typeof v === 'number' ? v : esc(v)}"`).join('');
}

/** What the suites need of the gate: the judge, and the unit failures a baseline accepts. */
interface JunitCtx {
  readonly judge: (unit: string, f: ClassifiedFinding) => FindingVerdict;
  readonly gate: Gate;
  readonly baselineName: string;
  /** Whether the baseline accepts a unit's failure at a step (never without a baseline). */
  readonly acceptsFailure: (unit: string, step: string) => boolean;
}

export interface JunitOptions {
  /** The gate the run is judged by (default: --fail-on's default without a baseline). */
  readonly gate?: Gate;
  /** The baseline file as given, for the skipped messages. */
  readonly baselineName?: string;
}

type Outcome = 'failure' | 'skipped' | 'pass';

function outcome(v: FindingVerdict): Outcome {
  if (v.fails) return 'failure';
  return v.state === 'unchanged' || v.state === 'updated' ? 'skipped' : 'pass';
}

/** Counts of a unit's suite, without building it. */
function suiteCounts(u: UnitResult, ctx: JunitCtx): { tests: number; failures: number; errors: number; skipped: number } {
  let failures = 0;
  let skipped = 0;
  for (const f of u.findings) {
    const o = outcome(ctx.judge(u.source, f));
    if (o === 'failure') failures++;
    else if (o === 'skipped') skipped++;
  }
  const accepted = u.error !== undefined && ctx.acceptsFailure(u.source, u.error.step);
  const errors = u.error && !accepted ? 1 : 0;
  if (accepted) skipped++;
  return { tests: Math.max(1, u.findings.length + (u.error ? 1 : 0)), failures, errors, skipped };
}

function testcaseName(f: ClassifiedFinding): string {
  return `${f.entity}${f.path === '' ? '' : ` ${f.path}`}: ${f.category}`;
}

/** Why a finding that does not fail, does not. */
function passText(f: ClassifiedFinding, failOn: FailOn): string {
  const why =
    f.status === 'known'
      ? `known divergence: rule ${f.reason ?? '?'}${f.ruleSource ? ` of ${f.ruleSource}` : ''}`
      : f.status === 'equivalent'
        ? `equivalent: ${f.reason ?? f.normalisation ?? 'normalised'}`
        : 'unexplained';
  return `${why}; does not fail with --fail-on ${failOn}`;
}

function writeTestcase(w: TextWriter, u: UnitResult, f: ClassifiedFinding, ctx: JunitCtx): void {
  const v = ctx.judge(u.source, f);
  w.line(
    `    <testcase${attrs([
      ['name', testcaseName(f)],
      ['classname', u.source],
    ])}>`,
  );
  const o = outcome(v);
  const text = esc(findingText(f));
  if (o === 'failure') {
    const why =
      v.state === 'new' ? `new ${f.status} finding` : v.state === 'updated' ? `changed finding (${changesText(v.changes ?? [])})` : `${f.status} finding`;
    w.line(
      `      <failure${attrs([
        ['type', f.status],
        ['message', `${why} fails with --fail-on ${ctx.gate.failOn}`],
      ])}>${text}</failure>`,
    );
  } else if (o === 'skipped') {
    const was = v.state === 'updated' ? `, recorded as ${v.recorded?.status ?? ''}` : '';
    w.line(`      <skipped${attrs([['message', `accepted by baseline ${ctx.baselineName} (${f.status}${was})`]])}/>`);
    w.line(`      <system-out>${text}</system-out>`);
  } else {
    w.line(`      <system-out>${text}\n${esc(passText(f, ctx.gate.failOn))}</system-out>`);
  }
  w.line('    </testcase>');
}

function writeSuite(w: TextWriter, u: UnitResult, ctx: JunitCtx): void {
  const n = suiteCounts(u, ctx);
  w.line(
    `  <testsuite${attrs([
      ['name', u.source],
      ['tests', n.tests],
      ['failures', n.failures],
      ['errors', n.errors],
      ['skipped', n.skipped],
    ])}>`,
  );
  const cls = ['classname', u.source] as const;
  if (u.error) {
    const what = `${u.error.step}: ${u.error.message}`;
    w.line(`    <testcase${attrs([['name', 'toolchain'], cls])}>`);
    if (ctx.acceptsFailure(u.source, u.error.step))
      w.line(`      <skipped${attrs([['message', `failure accepted by baseline ${ctx.baselineName}: ${what}`]])}/>`);
    else
      w.line(
        `      <error${attrs([
          ['type', 'toolchain'],
          ['message', what],
        ])}/>`,
      );
    w.line('    </testcase>');
  }
  for (const f of sortedFindings(u.findings)) writeTestcase(w, u, f, ctx);
  if (!u.error && u.findings.length === 0) w.line(`    <testcase${attrs([['name', '(no differences)'], cls])}/>`);
  w.line('  </testsuite>');
}

/** Stream the junit document, suite by suite (totals first, from a counting pass). */
export function writeJunit(result: RunResult, options: JunitOptions, w: TextWriter): void {
  const gate: Gate = options.gate ?? { failOn: DEFAULT_FAIL_ON };
  const ctx: JunitCtx = {
    judge: gateJudge(gate),
    gate,
    baselineName: options.baselineName ?? '',
    acceptsFailure: failureJudge(gate.baseline?.failures ?? []),
  };
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const u of result.units) {
    const n = suiteCounts(u, ctx);
    tests += n.tests;
    failures += n.failures;
    errors += n.errors;
    skipped += n.skipped;
  }
  w.line('<?xml version="1.0" encoding="UTF-8"?>');
  const head = `<testsuites${attrs([
    ['name', 'btfparity'],
    ['tests', tests],
    ['failures', failures],
    ['errors', errors],
    ['disabled', skipped],
  ])}`;
  if (result.units.length === 0) {
    w.line(`${head}/>`);
    return;
  }
  w.line(`${head}>`);
  for (const u of result.units) writeSuite(w, u, ctx);
  w.line('</testsuites>');
}

export function renderJunit(result: RunResult, options: JunitOptions = {}): string {
  return collect((w) => writeJunit(result, options, w));
}
