/**
 * Big reports (issue 14, item 1): every format streams. A synthetic run of
 * 300,000 findings is written in every format through writeReport into a
 * counting sink: no stack overflow (the old renderers spread every line
 * into one push and died from ~60k findings in text, ~30k in markdown),
 * chunks stay small, and the pieces that matter are all there. A real
 * DATASEC of vlen 65535 goes through the diff and the renderers too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intType } from './helpers/btf-transform.js';
import { encodeBtf } from '../src/btf/encode.js';
import { decodeBtf } from '../src/btf/decode.js';
import type { BtfType } from '../src/btf/types.js';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { compareBtf } from '../src/pipeline/compare.js';
import { orderedRunResult } from '../src/report/order.js';
import { buildSummary, REPORT_FORMATS, renderReport, writeReport } from '../src/report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../src/report/run-result.js';
import { collect, lazyRecord, writeJsonValue } from '../src/report/writer.js';
import { RUN } from './fixtures/report-run.js';

const STATUSES = ['unexplained', 'known', 'equivalent'] as const;

/** n findings over `units` units; deterministic, cheap to build. */
function bigRun(n: number, units: number): RunResult {
  const us: UnitResult[] = [];
  for (let u = 0; u < units; u++) {
    const findings: ClassifiedFinding[] = [];
    for (let i = u; i < n; i += units) {
      const status = STATUSES[i % 3];
      findings.push({
        entity: `struct s${i % 50_000}`,
        path: `m${i}`,
        category: 'offset',
        left: `int m${i} @${i * 8}`,
        right: `int m${i} @${i * 8 + 32}`,
        status,
        ...(status === 'known' ? { reason: 'some-rule', explanation: 'why' } : {}),
        ...(status === 'equivalent' ? { normalisation: 'array-index-type' } : {}),
        leftId: i + 1,
        rightId: i + 2,
      });
    }
    us.push({ source: `unit-${u}.c`, commands: [{ side: 'both', argv: ['gcc', '-c', `unit-${u}.c`] }], findings });
  }
  return { schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units: us, summary: buildSummary(us) };
}

interface Sunk {
  bytes: number;
  chunks: number;
  maxChunk: number;
  head: string;
  tail: string;
}

function sink(): { write: (c: string) => void; got: Sunk } {
  const got: Sunk = { bytes: 0, chunks: 0, maxChunk: 0, head: '', tail: '' };
  return {
    got,
    write: (c) => {
      got.bytes += c.length;
      got.chunks++;
      got.maxChunk = Math.max(got.maxChunk, c.length);
      if (got.head.length < 4096) got.head += c.slice(0, 4096);
      got.tail = (got.tail + c).slice(-4096);
    },
  };
}

describe('300,000 findings in every format', () => {
  const run = bigRun(300_000, 3);
  it.each(REPORT_FORMATS)(
    '%s streams without overflowing the stack',
    (format) => {
      const { write, got } = sink();
      writeReport(run, format, { verbose: true }, write);
      expect(got.chunks).toBeGreaterThan(100);
      // A chunk is ~64 KiB plus at most one piece (a finding's line or record).
      expect(got.maxChunk).toBeLessThan(70_000);
      expect(got.tail.endsWith('\n')).toBe(true);
      switch (format) {
        case 'text':
          // Summary first (issue 12); verbose lists every status in full, equivalent last.
          expect(got.head).toMatch(/^3 units \(0 failed\), 300000 findings: 100000 unexplained, 100000 known, 100000 equivalent\n/);
          expect(got.tail).toMatch(/\[equivalent\] {2}ids #\d+\/#\d+\n$/);
          break;
        case 'email':
          expect(got.head).toMatch(/^btfparity report\n/);
          expect(got.tail).toMatch(/\[equivalent\] ids #\d+\/#\d+\n {6}left: {2}int m\d+ @\d+\n {6}right: int m\d+ @\d+\n$/);
          break;
        case 'markdown':
          expect(got.head).toContain('300000 findings');
          break;
        case 'json':
          expect(got.tail).toMatch(/"findings": 300000,/);
          break;
        case 'junit':
          expect(got.head).toMatch(/<testsuites name="btfparity" tests="300000" failures="100000" errors="0" disabled="0">/);
          expect(got.tail).toMatch(/<\/testsuites>\n$/);
          break;
        case 'sarif':
          expect(got.tail).toMatch(/"findings": 300000,/);
          break;
      }
      expect(got.bytes).toBeGreaterThan(300_000 * 40);
      // Seconds of CPU, but minutes of wall on a loaded 2-core CI machine (sarif took 141 s at load 22).
    },
    600_000,
  );
  it.each(['text', 'markdown', 'email'] as const)('%s of one 300,000-finding unit as one string (renderReport) too', (format) => {
    const out = renderReport(bigRun(300_000, 1), format);
    expect(out).toContain('300000 findings');
    expect(out.endsWith('\n')).toBe(true);
  });
  it.each(['text', 'email'] as const)('%s folded by default: the known findings are one line for their one rule, with its count', (format) => {
    const { write, got } = sink();
    writeReport(run, format, {}, write);
    // bigRun gives every known finding (100,000 of them) the rule `some-rule`; finding i goes to unit i % 3 and
    // has status i % 3, so all known ones are in unit-1.c; the first by entity text is struct s0, from
    // i = 100,000 (100000 % 3 = 1, 100000 % 50000 = 0).
    const folded = format === 'text' ? /\n {2}some-rule {2}100000 {2}e\.g\. unit-1\.c: struct s0\n/ : /\n {2}some-rule: 100000, e\.g\. unit-1\.c: struct s0\n/;
    expect(got.tail.slice(-600)).toMatch(folded);
    // Only the 100,000 unexplained findings are listed line by line.
    expect(got.tail).not.toContain('[known some-rule]');
  });
});

describe('the streamed json writer is JSON.stringify(…, null, 2)', () => {
  it('for the report fixture, in every format, renderReport equals the streamed bytes', () => {
    for (const format of REPORT_FORMATS) {
      const parts: string[] = [];
      writeReport(RUN, format, { verbose: true }, (c) => parts.push(c));
      expect(parts.join('')).toBe(renderReport(RUN, format, { verbose: true }));
    }
    // Version 3 (by reference) is laid out exactly as JSON.stringify lays out the same value.
    const json = renderReport(RUN, 'json');
    expect(json).toBe(`${JSON.stringify(JSON.parse(json), null, 2)}\n`);
    // What version 2 was: the RunResult itself (report-json-reference.test.ts reads both back alike).
    expect(JSON.parse(json).units.map((u: { source: string }) => u.source)).toEqual(orderedRunResult(RUN).units.map((u) => u.source));
  });
  it('lazy records are written as JSON.stringify writes the object of their entries', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (o) => {
        expect(collect((w) => writeJsonValue(w, { a: lazyRecord(() => Object.entries(o)), b: 1 }))).toBe(JSON.stringify({ a: o, b: 1 }, null, 2));
      }),
      { numRuns: 300, seed: 13 },
    );
  });
  it('for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(collect((w) => writeJsonValue(w, v))).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});

describe('a DATASEC of vlen 65535 through the diff and every format', () => {
  it('reports 65535 only-left variables and renders them', () => {
    const int = intType();
    const types: BtfType[] = [int];
    const vars: { type: number; offset: number; size: number }[] = [];
    for (let i = 0; i < 65535; i++) {
      types.push({ kind: 'VAR', id: types.length + 1, name: `v${i}`, nameOff: 0, type: 1, linkage: 'global' });
      vars.push({ type: types.length, offset: i * 4, size: 4 });
    }
    types.push({ kind: 'DATASEC', id: types.length + 1, name: '.data', nameOff: 0, size: 65535 * 4, vars });
    const left = decodeBtf(encodeBtf({ types }));
    const right = decodeBtf(encodeBtf({ types: [int] }));
    const { findings } = compareBtf(left, right, { leftRecipe: 'file', rightRecipe: 'file', tools: [], rules: [] });
    expect(findings.length).toBeGreaterThanOrEqual(65535);
    const units: UnitResult[] = [{ source: 'ds vs tiny', commands: [], findings }];
    const result: RunResult = { schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: buildSummary(units) };
    for (const format of REPORT_FORMATS) {
      const { write, got } = sink();
      writeReport(result, format, {}, write);
      expect(got.bytes, format).toBeGreaterThan(65535 * 20);
    }
  });
});
