/**
 * The json report by reference (issue 13, layout version 3): each rule's
 * explanation once in `rules`, each involved-type dump once in `types`,
 * findings referring to them. The oracle for "same facts" is version 2,
 * which is the RunResult written out whole (orderedRunResult, what the json
 * format printed before): both read back into equal RunResults, and every
 * other format renders the same bytes from either.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { renderJson } from '../src/report/json.js';
import { orderedRunResult } from '../src/report/order.js';
import { parseRunResult } from '../src/report/parse-run-result.js';
import { REPORT_FORMATS, renderReport } from '../src/report/render.js';
import type { RunResult, UnitResult } from '../src/report/run-result.js';
import { CHARS, FLOATS, RUN, runOf } from './fixtures/report-run.js';

/** The version 2 document of a run: the whole RunResult, keys ordered (the json format before version 3). */
function version2(r: RunResult): string {
  return `${JSON.stringify({ ...orderedRunResult(r), schemaVersion: 2 }, null, 2)}\n`;
}

const known = (entity: string, explanation: string, ruleSource = 'shipped:rules/known-divergences.json'): ClassifiedFinding => ({
  entity,
  path: '',
  category: 'size',
  left: 'size=4',
  right: 'size=8',
  status: 'known',
  reason: 'same-id',
  explanation,
  ruleSource,
  leftId: 1,
  rightId: 1,
});

// Two units whose findings share one rule; the second file's rule of the same id says something else.
const A: UnitResult = {
  source: 'a.c',
  commands: [],
  findings: [known('struct s', 'first words'), known('struct t', 'first words')],
  types: {
    left: { 'struct s': "[1] STRUCT 's' size=4 vlen=0", 'struct t': '' },
    right: { 'struct s': "[1] STRUCT 's' size=8 vlen=0", 'struct t': "[2] STRUCT 't' size=8 vlen=0" },
  },
};
const B: UnitResult = {
  source: 'b.c',
  commands: [],
  findings: [known('struct s', 'other words', 'mine.json')],
  // The same dump as a.c's struct s: written once.
  types: { left: { 'struct s': "[1] STRUCT 's' size=4 vlen=0" }, right: { 'struct s': "[1] STRUCT 's' size=8 vlen=0" } },
};

describe('json version 3', () => {
  const run = runOf([...RUN.units, A, B]);
  const doc = JSON.parse(renderJson(run));

  it('writes each rule explanation once, in the rules table, and none in the findings that match it', () => {
    expect(doc.schemaVersion).toBe(3);
    const all = doc.units.flatMap((u: { findings: Record<string, unknown>[] }) => u.findings);
    const explained = run.units.flatMap((u) => u.findings).filter((f) => f.explanation !== undefined);
    // RUN's own known findings plus a.c's two go by reference; b.c's differs from the same-id entry and stays inline.
    expect(all.filter((f: Record<string, unknown>) => 'explanation' in f)).toEqual([
      expect.objectContaining({ entity: 'struct s', explanation: 'other words', ruleSource: 'mine.json' }),
    ]);
    expect(doc.rules['same-id']).toEqual({ explanation: 'first words', ruleSource: 'shipped:rules/known-divergences.json' });
    expect(Object.keys(doc.rules)).toEqual([...new Set(explained.map((f) => f.reason!))].sort());
  });

  it('writes each involved-type dump once, keyed by its digest, and the findings name them', () => {
    const texts = Object.values(doc.types);
    expect(new Set(texts).size).toBe(texts.length);
    // a.c and b.c share two dumps; a.c's '' (struct t lacks a left side) is a dump too.
    const a = doc.units.find((u: { source: string }) => u.source === 'a.c');
    const b = doc.units.find((u: { source: string }) => u.source === 'b.c');
    expect(doc.types[a.findings[0].leftType]).toBe("[1] STRUCT 's' size=4 vlen=0");
    expect(b.findings[0].leftType).toBe(a.findings[0].leftType);
    expect(b.findings[0].rightType).toBe(a.findings[0].rightType);
    expect(doc.types[a.findings[1].leftType]).toBe('');
    for (const id of Object.keys(doc.types)) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect('types' in a).toBe(false);
  });

  it('reads back into the RunResult version 2 reads back into', () => {
    const v3 = parseRunResult(doc);
    const v2 = parseRunResult(JSON.parse(version2(run)));
    expect(v3).toEqual(v2);
    expect(v3.units.find((u) => u.source === FLOATS.source)?.types).toEqual(FLOATS.types);
    expect(v3.units.find((u) => u.source === CHARS.source)?.findings).toEqual(v2.units.find((u) => u.source === CHARS.source)?.findings);
  });

  it.each(REPORT_FORMATS)('%s renders the same bytes from version 2 and version 3 read back', (format) => {
    const v2 = parseRunResult(JSON.parse(version2(run)));
    const v3 = parseRunResult(doc);
    expect(renderReport(v3, format, { verbose: true, all: true })).toBe(renderReport(v2, format, { verbose: true, all: true }));
    expect(renderReport(v3, format)).toBe(renderReport(run, format));
  });

  it('a reference to no dump is an error naming the field', () => {
    const bad = structuredClone(doc);
    bad.units.find((u: { source: string }) => u.source === 'a.c').findings[0].leftType = 'feedfacefeedface';
    expect(() => parseRunResult(bad)).toThrow('units[4].findings[0].leftType: no type "feedfacefeedface" in the report\'s types table');
  });

  it('another version is refused, naming the ones read', () => {
    expect(() => parseRunResult({ ...doc, schemaVersion: 4 })).toThrow('report schema version 4, expected 2 or 3');
  });
});

describe('a version 3 report read back', () => {
  const doc = (): Record<string, unknown> => JSON.parse(renderJson(runOf([...RUN.units, A, B])));
  const at = (r: Record<string, unknown>, u: number, f: number): Record<string, unknown> =>
    ((r.units as Record<string, unknown>[])[u].findings as Record<string, unknown>[])[f];
  const paths: ((r: Record<string, unknown>) => [Record<string, unknown>, string])[] = [
    (r) => [r, 'rules'],
    (r) => [r, 'types'],
    (r) => [r.rules as Record<string, unknown>, 'same-id'],
    (r) => [(r.rules as Record<string, Record<string, unknown>>)['same-id'], 'explanation'],
    (r) => [r.types as Record<string, unknown>, Object.keys(r.types as object)[0]],
    (r) => [at(r, 4, 0), 'leftType'],
    (r) => [at(r, 4, 1), 'rightType'],
    (r) => [at(r, 4, 0), 'explanation'],
  ];
  it('any JSON value put in its tables or references either reads into something every format renders, or is an InputError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 2 }), (which, value) => {
        const r = doc();
        const [holder, key] = paths[which](r);
        holder[key] = value;
        let parsed: RunResult;
        try {
          parsed = parseRunResult(r);
        } catch (e) {
          if (e instanceof InputError) return;
          throw e;
        }
        for (const format of REPORT_FORMATS) expect(renderReport(parsed, format)).not.toContain('undefined');
      }),
      { numRuns: 200 },
    );
  });
});
