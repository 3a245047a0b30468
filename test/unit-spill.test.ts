/**
 * Units spilled to disk (issue 13): `check` writes each finished unit to a
 * scratch file and renders the reports from it. The oracle is the
 * in-memory run: every format, rendered from the spilled units, must be
 * byte-identical to the same format rendered from the units themselves, and
 * the spill holds one unit's heavy fields at a time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { servedUnit, storedCounts, UnitSpill } from '../src/pipeline/unit-spill.js';
import { baselineFrom } from '../src/report/baseline.js';
import { buildSummary, countFindings, REPORT_FORMATS, renderReport, summaryOf } from '../src/report/render.js';
import type { UnitResult } from '../src/report/run-result.js';
import { BASELINE, BASELINE_RUN, RUN, runOf } from './fixtures/report-run.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function spillOf(units: readonly UnitResult[]): { spill: UnitSpill; units: UnitResult[] } {
  const dir = mkdtempSync(join(tmpdir(), 'spill-test-'));
  dirs.push(dir);
  const spill = new UnitSpill(dir);
  const out = units.map((u) => spill.add(u));
  spill.close();
  return { spill, units: out };
}

// A name that is not UTF-8: bytes 0xff 0xfe are held as lone surrogates U+DCFF U+DCFE (artifact/name-bytes.ts); an argument with a tab and a newline.
const ODD: UnitResult = {
  source: 'odd/names.c',
  commands: [{ side: 'both', argv: ['gcc', '-c', 'odd/names.c', '-DN=\udcfe', '-DT=\t\n'] }],
  findings: [{ entity: 'struct \udcff', path: '', category: 'size', left: 'size=4', right: 'size=8', status: 'unexplained', leftId: 1, rightId: 1 }],
  types: { left: { 'struct \udcff': "[1] STRUCT '\udcff' size=4 vlen=0" }, right: { 'struct \udcff': "[1] STRUCT '\udcff' size=8 vlen=0" } },
};

describe('a spilled run renders as the run in memory', () => {
  const run = runOf([...RUN.units, ODD]);
  const spilled = { ...run, units: spillOf(run.units).units };

  it.each(REPORT_FORMATS)('%s is byte-identical', (format) => {
    for (const options of [{}, { verbose: true, all: true }]) {
      expect(renderReport(spilled, format, options)).toBe(renderReport(run, format, options));
    }
  });

  it.each(['junit', 'sarif'] as const)('%s with a baseline is byte-identical', (format) => {
    const base = { ...BASELINE_RUN, units: spillOf(BASELINE_RUN.units).units };
    const gate = { gate: { failOn: 'new' as const, baseline: BASELINE }, baselineName: 'bl.json' };
    expect(renderReport(base, format, gate)).toBe(renderReport(BASELINE_RUN, format, gate));
    expect(baselineFrom(base)).toEqual(baselineFrom(BASELINE_RUN));
  });

  it('each unit reads back its own facts, lone surrogates included', () => {
    expect(spilled.units.map((u) => JSON.parse(JSON.stringify(u)))).toEqual(run.units.map((u) => JSON.parse(JSON.stringify(u))));
    const odd = spilled.units.at(-1)!;
    expect(odd.findings[0].entity).toBe('struct \udcff');
    expect(odd.types?.left['struct \udcff']).toBe("[1] STRUCT '\udcff' size=4 vlen=0");
    // The failed unit's error is in memory (the summary and stderr need it); a clean unit has none.
    expect(spilled.units[2].error).toEqual(RUN.units[2].error);
    expect('error' in spilled.units[0]).toBe(false);
  });
});

describe('the spill file', () => {
  it('holds one line per unit, in the order they were added: commands, findings and types, each JSON, tab-separated', () => {
    const { spill } = spillOf([...RUN.units, ODD]);
    const lines = readFileSync(spill.file, 'utf8').split('\n');
    expect(lines).toHaveLength(RUN.units.length + 2);
    expect(lines.at(-1)).toBe('');
    const [commands, findings, ...rest] = lines[0].split('\t');
    expect(JSON.parse(commands)).toEqual(RUN.units[0].commands);
    expect(JSON.parse(findings).map((f: ClassifiedFinding) => f.entity)).toEqual(RUN.units[0].findings.map((f) => f.entity));
    expect(rest.map((t) => JSON.parse(t))).toEqual(RUN.units[0].types ? [RUN.units[0].types] : []);
    // A tab or newline in a name is escaped by JSON: it never splits the line.
    const odd = lines.at(-2)!.split('\t');
    expect(odd).toHaveLength(3);
    expect(JSON.parse(odd[2])).toEqual(ODD.types);
  });

  it('reads back only the field asked for: the findings of a unit without parsing its dumps', () => {
    const { spill, units } = spillOf([ODD]);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(units[0].findings).toEqual(ODD.findings);
      expect(parse).toHaveBeenCalledTimes(1);
      expect(units[0].types).toEqual(ODD.types);
      expect(parse).toHaveBeenCalledTimes(2);
      expect(units[0].findings).toEqual(ODD.findings); // held: no third parse
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
    expect(spill.file).toMatch(/units\.ndjson$/);
  });

  it("copies a served unit's stored texts (servedUnit) without parsing them; its fields read back as the texts parse", () => {
    // The same findings in another spelling JSON allows (an escape where stringify writes the letter): the copy shows.
    const findings = Buffer.from(JSON.stringify(ODD.findings).replace('"size"', '"\\u0073ize"'), 'utf8');
    expect(findings.toString('utf8')).toContain('"\\u0073ize"');
    expect(JSON.parse(findings.toString('utf8'))).toEqual(ODD.findings);
    const types = Buffer.from(JSON.stringify(ODD.types), 'utf8');
    const counts = countFindings(ODD.findings);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const served = servedUnit(ODD.source, ODD.commands, { findings, types }, counts);
      expect(storedCounts(served)).toBe(counts);
      const { spill, units } = spillOf([served]);
      expect(parse).not.toHaveBeenCalled(); // nothing parsed on the way to the spill
      const [commands, spilledFindings, spilledTypes] = readFileSync(spill.file, 'utf8').split('\n')[0].split('\t');
      expect(spilledFindings).toBe(findings.toString('utf8'));
      expect(spilledTypes).toBe(types.toString('utf8'));
      expect(JSON.parse(commands)).toEqual(ODD.commands); // stringified as before
      expect(units[0].findings).toEqual(ODD.findings);
      // The served unit itself parses each text on its first read, once.
      parse.mockClear();
      expect(served.findings).toEqual(ODD.findings);
      expect(served.findings).toBe(served.findings);
      expect(served.types).toEqual(ODD.types);
      expect(parse).toHaveBeenCalledTimes(2);
      expect(Object.keys(served)).toEqual(['source', 'commands', 'findings', 'types']);
    } finally {
      parse.mockRestore();
    }
    expect(storedCounts(ODD)).toBeUndefined();
  });

  it('keeps only the unit read last: going back to a unit reads it again', () => {
    const { units } = spillOf(RUN.units);
    const first = units[0].findings;
    expect(units[0].findings).toBe(first); // held: the same unit twice in a row is one read
    expect(units[1].findings.length).toBe(RUN.units[1].findings.length);
    // Unit 0 was dropped when unit 1 was read: a fresh copy, equal in content.
    expect(units[0].findings).not.toBe(first);
    expect(units[0].findings).toEqual(first);
  });
});

describe('the summary from per-unit counts', () => {
  it("is buildSummary's, keys in the same order", () => {
    // Units whose findings bring statuses, categories and normalisations in different orders.
    const units = [...RUN.units].reverse().concat(RUN.units, [ODD]);
    const counts = units.map((u) => countFindings(u.findings));
    const summary = summaryOf(units, counts);
    expect(JSON.stringify(summary)).toBe(JSON.stringify(buildSummary(units)));
    expect(summary.findings).toBe(units.reduce((n, u) => n + u.findings.length, 0));
    expect(Object.keys(summary.byCategory).length).toBeGreaterThan(1);
  });
});
