/**
 * The junit format, for CI dashboards: one <testsuite> per unit, one
 * <testcase> per (unit, entity). An entity fails only when it has an
 * unexplained finding; known and equivalent findings pass and are listed in
 * <system-out> so nothing disappears. A unit whose toolchain step failed is
 * one <testcase name="toolchain"> with an <error>. A unit without findings
 * is one passing <testcase name="(no differences)">.
 *
 * The document is written suite by suite (a kernel run has hundreds of
 * thousands of findings), in the layout fast-xml-parser's XMLBuilder gave
 * it before: two-space indentation, &, <, >, ' and " escaped everywhere;
 * characters XML 1.0 forbids are replaced first.
 */
import { type ClassifiedFinding, verdictText } from '../findings/finding.js';
import { groupByEntity } from './order.js';
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

/** Counts of a unit's suite, without building it. */
function suiteCounts(u: UnitResult): { tests: number; failures: number; errors: number } {
  const entities = new Set<string>();
  const failing = new Set<string>();
  for (const f of u.findings) {
    entities.add(f.entity);
    if (f.status === 'unexplained') failing.add(f.entity);
  }
  const errors = u.error ? 1 : 0;
  return { tests: Math.max(1, entities.size + errors), failures: failing.size, errors };
}

function writeTestcase(w: TextWriter, u: UnitResult, entity: string, fs: readonly ClassifiedFinding[]): void {
  const head = `    <testcase${attrs([
    ['name', entity],
    ['classname', u.source],
  ])}`;
  const bad = fs.filter((f) => f.status === 'unexplained');
  const ok = fs.filter((f) => f.status !== 'unexplained');
  w.line(`${head}>`);
  if (bad.length) {
    const message = `${bad.length} unexplained difference${bad.length === 1 ? '' : 's'} in ${entity}`;
    w.write(
      `      <failure${attrs([
        ['type', 'unexplained'],
        ['message', message],
      ])}>`,
    );
    writeLinesEscaped(w, bad);
    w.line('</failure>');
  }
  if (ok.length) {
    w.write('      <system-out>');
    writeLinesEscaped(w, ok);
    w.line('</system-out>');
  }
  w.line('    </testcase>');
}

/** Each finding's text, newline-separated, escaped; written one at a time. */
function writeLinesEscaped(w: TextWriter, fs: readonly ClassifiedFinding[]): void {
  for (let i = 0; i < fs.length; i++) w.write(`${i > 0 ? '\n' : ''}${esc(findingText(fs[i]))}`);
}

function writeSuite(w: TextWriter, u: UnitResult): void {
  const n = suiteCounts(u);
  w.line(
    `  <testsuite${attrs([
      ['name', u.source],
      ['tests', n.tests],
      ['failures', n.failures],
      ['errors', n.errors],
      ['skipped', 0],
    ])}>`,
  );
  const cls = ['classname', u.source] as const;
  if (u.error) {
    w.line(`    <testcase${attrs([['name', 'toolchain'], cls])}>`);
    w.line(
      `      <error${attrs([
        ['type', 'toolchain'],
        ['message', `${u.error.step}: ${u.error.message}`],
      ])}/>`,
    );
    w.line('    </testcase>');
  }
  for (const [entity, fs] of groupByEntity(u.findings)) writeTestcase(w, u, entity, fs);
  if (!u.error && u.findings.length === 0) w.line(`    <testcase${attrs([['name', '(no differences)'], cls])}/>`);
  w.line('  </testsuite>');
}

/** Stream the junit document, suite by suite (totals first, from a counting pass). */
export function writeJunit(result: RunResult, w: TextWriter): void {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const u of result.units) {
    const n = suiteCounts(u);
    tests += n.tests;
    failures += n.failures;
    errors += n.errors;
  }
  w.line('<?xml version="1.0" encoding="UTF-8"?>');
  const head = `<testsuites${attrs([
    ['name', 'btfparity'],
    ['tests', tests],
    ['failures', failures],
    ['errors', errors],
  ])}`;
  if (result.units.length === 0) {
    w.line(`${head}/>`);
    return;
  }
  w.line(`${head}>`);
  for (const u of result.units) writeSuite(w, u);
  w.line('</testsuites>');
}

export function renderJunit(result: RunResult): string {
  return collect((w) => writeJunit(result, w));
}
