/**
 * The junit format, for CI dashboards: one <testsuite> per unit, one
 * <testcase> per (unit, entity). An entity fails only when it has an
 * unexplained finding; known and equivalent findings pass and are listed in
 * <system-out> so nothing disappears. A unit whose toolchain step failed is
 * one <testcase name="toolchain"> with an <error>. A unit without findings
 * is one passing <testcase name="(no differences)">.
 *
 * XML is produced by fast-xml-parser's XMLBuilder (it escapes &, <, >, and
 * quotes); characters XML 1.0 forbids are replaced first.
 */
import { createRequire } from 'node:module';
import { type ClassifiedFinding, verdictText } from '../findings/finding.js';
import { groupByEntity } from './order.js';
import type { RunResult, UnitResult } from './run-result.js';

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

type Node = Record<string, unknown>;

function testcase(u: UnitResult, entity: string, fs: readonly ClassifiedFinding[]): Node {
  const node: Node = { '@_name': xmlSafe(entity), '@_classname': xmlSafe(u.source) };
  const bad = fs.filter((f) => f.status === 'unexplained');
  const ok = fs.filter((f) => f.status !== 'unexplained');
  if (bad.length) {
    node.failure = {
      '@_type': 'unexplained',
      '@_message': xmlSafe(`${bad.length} unexplained difference${bad.length === 1 ? '' : 's'} in ${entity}`),
      '#text': xmlSafe(bad.map(findingText).join('\n')),
    };
  }
  if (ok.length) node['system-out'] = xmlSafe(ok.map(findingText).join('\n'));
  return node;
}

function testsuite(u: UnitResult): Node {
  const cases: Node[] = [];
  if (u.error) {
    cases.push({
      '@_name': 'toolchain',
      '@_classname': xmlSafe(u.source),
      error: { '@_type': 'toolchain', '@_message': xmlSafe(`${u.error.step}: ${u.error.message}`) },
    });
  }
  for (const [entity, fs] of groupByEntity(u.findings)) cases.push(testcase(u, entity, fs));
  if (cases.length === 0) cases.push({ '@_name': '(no differences)', '@_classname': xmlSafe(u.source) });
  return {
    '@_name': xmlSafe(u.source),
    '@_tests': cases.length,
    '@_failures': cases.filter((c) => c.failure).length,
    '@_errors': cases.filter((c) => c.error).length,
    '@_skipped': 0,
    testcase: cases,
  };
}

export function renderJunit(result: RunResult): string {
  const suites = result.units.map(testsuite);
  const sum = (k: string) => suites.reduce((n, s) => n + (s[k] as number), 0);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'btfparity', '@_tests': sum('@_tests'), '@_failures': sum('@_failures'), '@_errors': sum('@_errors'), testsuite: suites },
  };
  // Loaded on first use (its CommonJS build, synchronously): every CLI run
  // imports the renderers, and only junit needs the XML library (~0.1 s).
  const { XMLBuilder } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  return `${builder.build(doc).replace(/\n+$/, '')}\n`;
}
