/**
 * SARIF bounded by the largest unit (issue 13): a unit's source text is read
 * when its results are written, not every unit's up front, and only one is
 * held; the `commands` property is written one unit at a time, with the
 * keys and values `Object.fromEntries` of the units gave it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render.js';
import type { UnitResult } from '../src/report/run-result.js';
import { FLOATS, runOf } from './fixtures/report-run.js';

const FLOATS_TEXT = readFileSync('corpus/probes/05-floats.c', 'utf8');

/** `n` copies of the floats unit under their own names, each logging when its findings or commands are read. */
function loggedUnits(n: number, log: string[]): UnitResult[] {
  return Array.from({ length: n }, (_, i) => {
    const source = `u${i}/floats.c`;
    return {
      source,
      get commands() {
        log.push(`commands ${source}`);
        return FLOATS.commands;
      },
      get findings() {
        log.push(`findings ${source}`);
        return FLOATS.findings;
      },
      types: FLOATS.types,
    } as UnitResult;
  });
}

describe('sarif of many units', () => {
  const log: string[] = [];
  const units = loggedUnits(40, log);
  const run = runOf(units);
  log.length = 0;
  const reads: string[] = [];
  const text = renderReport(run, 'sarif', {
    sources: (unit) => {
      reads.push(unit);
      log.push(`source ${unit}`);
      return FLOATS_TEXT;
    },
  });
  const sarif = JSON.parse(text);

  it("reads each unit's source once, in unit order, when that unit's results are written", () => {
    expect(reads).toEqual(units.map((u) => u.source));
    // Not up front: between two units' source reads, the results pass reads the second unit's findings.
    for (let i = 1; i < units.length; i++) {
      const between = log.slice(log.indexOf(`source ${units[i - 1].source}`), log.indexOf(`source ${units[i].source}`));
      expect(between).toContain(`findings ${units[i].source}`);
    }
    // Every result is located in its own unit's text: the floats probe's lines, not line 1.
    const lines = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0].physicalLocation.region.startLine,
    );
    expect(lines).toHaveLength(40 * FLOATS.findings.length);
    expect(lines.some((l: number) => l > 1)).toBe(true);
  });

  it('writes the commands one unit at a time, after the results', () => {
    const commandReads = log.filter((l) => l.startsWith('commands '));
    expect(commandReads).toEqual(units.map((u) => `commands ${u.source}`));
    expect(log.indexOf(commandReads[0])).toBeGreaterThan(log.lastIndexOf(`source ${units.at(-1)!.source}`));
    expect(Object.keys(sarif.runs[0].properties.commands)).toEqual(units.map((u) => u.source));
    expect(sarif.runs[0].properties.commands['u7/floats.c']).toEqual(FLOATS.commands);
  });
});

describe("the commands property keeps Object.fromEntries' keys and values", () => {
  const named = (source: string, tag: string): UnitResult => ({ source, commands: [{ side: 'both', argv: ['gcc', tag] }], findings: [] });
  // Names JavaScript orders as array indices come first, numerically; a name given twice keeps its first place and its last commands.
  const units = [named('b.c', '1'), named('10', '2'), named('a.c', '3'), named('2', '4'), named('b.c', '5'), named('__proto__', '6'), named('4294967295', '7')];
  const text = renderReport(runOf(units), 'sarif');
  const commands = JSON.parse(text).runs[0].properties.commands;

  it('in the order of the object and with the last value of a repeated name', () => {
    const expected = Object.fromEntries(units.map((u) => [u.source, u.commands]));
    const at = (k: string) => text.indexOf(`      "${k}": [`);
    expect(Object.keys(expected).map(at)).toEqual(
      Object.keys(expected)
        .map(at)
        .sort((x, y) => x - y),
    );
    expect(Object.keys(expected)).toEqual(['2', '10', 'b.c', 'a.c', '__proto__', '4294967295']);
    expect(Object.keys(expected).every((k) => at(k) > 0)).toBe(true);
    expect(Object.hasOwn(commands, '__proto__')).toBe(true);
    expect(JSON.stringify(commands)).toBe(JSON.stringify(expected));
    expect(commands['b.c'][0].argv).toEqual(['gcc', '5']);
  });
});
