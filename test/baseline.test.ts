/**
 * The baseline gate: keys stable across runs and machines (no type ids, no
 * tool paths), new and changed findings fail, resolved entries are
 * reported but never fail.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { type ClassifiedFinding, findingKey } from '../src/findings/finding.js';
import { baselineFrom, compareToBaseline, failureStep, parseBaseline, renderBaseline } from '../src/report/baseline.js';
import type { UnitResult } from '../src/report/run-result.js';
import { BROKEN, CHARS, CLEAN, FLOATS, RUN, runOf } from './fixtures/report-run.js';

const NEW_UNEXPLAINED: ClassifiedFinding = {
  entity: 'struct floats',
  path: 'ld',
  category: 'offset',
  left: 'bits_offset=128',
  right: 'bits_offset=96',
  leftId: 4,
  rightId: 4,
  status: 'unexplained',
};
const NEW_KNOWN: ClassifiedFinding = {
  entity: 'float',
  path: '',
  category: 'kind',
  left: "INT 'float' size=4 (none)",
  right: "FLOAT 'float' size=4",
  status: 'known',
  reason: 'pahole-float-as-int',
};

function withFindings(u: UnitResult, findings: ClassifiedFinding[]): UnitResult {
  return { ...u, findings };
}

describe('findingKey', () => {
  it('is readable and ignores ids, status and explanations', () => {
    const f = FLOATS.findings[0];
    expect(findingKey(FLOATS.source, f)).toBe("corpus/probes/05-floats.c | double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8");
    expect(findingKey(FLOATS.source, { ...f, leftId: 99, rightId: 7, status: 'unexplained', explanation: 'x' } as ClassifiedFinding)).toBe(
      findingKey(FLOATS.source, f),
    );
  });
  it('escapes the separator so different facts never share a key', () => {
    const a = findingKey('u', { entity: 'a | b', path: '', category: 'size', left: '1', right: '2' });
    const b = findingKey('u', { entity: 'a', path: 'b', category: 'size', left: '1', right: '2' });
    expect(a).not.toBe(b);
    expect(a).toBe('u | a \\| b |  | size | 1 | 2');
  });
});

describe('baselineFrom', () => {
  it('records every finding once, sorted by key, with its facts and status', () => {
    const b = baselineFrom(RUN);
    expect(b.schemaVersion).toBe(2);
    expect(b.entries.map((e) => e.key)).toEqual([...b.entries.map((e) => e.key)].sort());
    expect(b.entries).toHaveLength(5);
    expect(b.entries.find((e) => e.entity === 'var plain_buf')).toEqual({
      key: 'corpus/probes/02 char & <signedness>.c | var plain_buf |  | array | char[8] index int | char[8] index long unsigned int',
      unit: 'corpus/probes/02 char & <signedness>.c',
      entity: 'var plain_buf',
      path: '',
      category: 'array',
      left: 'char[8] index int',
      right: 'char[8] index long unsigned int',
      status: 'equivalent',
      reason: 'array-index-type',
    });
    // An unexplained finding has no reason: none is recorded.
    expect(Object.keys(b.entries.find((e) => e.entity === 'char') ?? {})).not.toContain('reason');
  });
  it('is independent of finding order and type ids (two runs on different machines)', () => {
    const shuffled = runOf([
      CLEAN,
      withFindings(
        CHARS,
        [...CHARS.findings].reverse().map((f) => ({ ...f, leftId: (f.leftId ?? 0) + 100 })),
      ),
      BROKEN,
      FLOATS,
    ]);
    expect(renderBaseline(baselineFrom(shuffled))).toBe(renderBaseline(baselineFrom(RUN)));
  });
  it('round-trips through its file text', () => {
    const text = renderBaseline(baselineFrom(RUN));
    expect(parseBaseline(JSON.parse(text))).toEqual(baselineFrom(RUN));
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('compareToBaseline', () => {
  const base = baselineFrom(RUN);
  it('the same run against its own baseline: nothing new, nothing resolved, exit 0', () => {
    expect(compareToBaseline(RUN, base, 'any')).toEqual({
      newFindings: [],
      changed: [],
      failing: [],
      resolved: [],
      newFailures: [],
      resolvedFailures: [],
      exitCode: 0,
      note: '',
    });
  });
  it('a new finding fails with failOn any, whatever its status', () => {
    const run = runOf([withFindings(FLOATS, [...FLOATS.findings, NEW_KNOWN]), CHARS, BROKEN, CLEAN]);
    const c = compareToBaseline(run, base, 'any');
    expect(c.newFindings.map((n) => n.finding)).toEqual([NEW_KNOWN]);
    expect(c.newFindings[0].unit).toBe(FLOATS.source);
    expect(c.exitCode).toBe(1);
  });
  it('with failOn unexplained only new unexplained findings fail', () => {
    const knownOnly = runOf([withFindings(FLOATS, [...FLOATS.findings, NEW_KNOWN]), CHARS, BROKEN, CLEAN]);
    expect(compareToBaseline(knownOnly, base, 'unexplained')).toMatchObject({ exitCode: 0, failing: [] });
    expect(compareToBaseline(knownOnly, base, 'unexplained').newFindings).toHaveLength(1);
    const bad = runOf([withFindings(FLOATS, [...FLOATS.findings, NEW_KNOWN, NEW_UNEXPLAINED]), CHARS, BROKEN, CLEAN]);
    const c = compareToBaseline(bad, base, 'unexplained');
    expect(c.exitCode).toBe(1);
    expect(c.failing.map((n) => n.finding.entity)).toEqual(['struct floats']);
  });
  it('a finding that changed status (new rules) is not new but changed, and fails by its new status', () => {
    const reclassified = runOf([
      FLOATS,
      withFindings(
        CHARS,
        CHARS.findings.map((f) => ({ ...f, status: 'known' as const, reason: 'r' })),
      ),
      BROKEN,
      CLEAN,
    ]);
    const any = compareToBaseline(reclassified, base, 'any');
    expect(any.newFindings).toEqual([]);
    // char and struct chars were unexplained, var plain_buf equivalent: all three are known now.
    expect(any.changed.map((c) => `${c.finding.entity}: ${c.recorded.status} → ${c.finding.status}`).sort()).toEqual([
      'char: unexplained → known',
      'struct chars: unexplained → known',
      'var plain_buf: equivalent → known',
    ]);
    expect(any.exitCode).toBe(1);
    // Known now: that fails under known, not under unexplained (an improvement there).
    expect(compareToBaseline(reclassified, base, 'known').failing).toHaveLength(3);
    expect(compareToBaseline(reclassified, base, 'unexplained')).toMatchObject({ failing: [], exitCode: 0 });
  });
  it('a rule renamed under the same status is not a change', () => {
    const renamed = runOf([
      withFindings(
        FLOATS,
        FLOATS.findings.map((f) => ({ ...f, reason: `${f.reason}-v2` })),
      ),
      CHARS,
      BROKEN,
      CLEAN,
    ]);
    expect(compareToBaseline(renamed, base, 'any')).toMatchObject({ changed: [], failing: [], exitCode: 0 });
  });
  it('entries that no longer occur are resolved, with a note, and exit 0', () => {
    const fixed = runOf([withFindings(FLOATS, [FLOATS.findings[1]]), CHARS, BROKEN, CLEAN]);
    const c = compareToBaseline(fixed, base, 'any');
    expect(c.resolved.map((e) => e.entity)).toEqual(['double']);
    expect(c.exitCode).toBe(0);
    expect(c.note).toBe('1 baseline entry no longer occurs; refresh the baseline to drop it');
  });
  it('entries of units that failed to build or were not part of the run are not resolved', () => {
    const failedNow = runOf([{ ...FLOATS, findings: [], error: { step: 'gcc -g -c', message: 'boom' } }, CLEAN]);
    const c = compareToBaseline(failedNow, base, 'any');
    expect(c.resolved).toEqual([]);
    // The failure itself is new (the baseline recorded a clean build): exit 3.
    expect(c.newFailures).toEqual([{ unit: FLOATS.source, step: 'gcc -g -c', message: 'boom' }]);
    expect(c.exitCode).toBe(3);
    // Recorded as accepted, the same failure no longer fails the gate.
    expect(compareToBaseline(failedNow, baselineFrom(failedNow), 'any').exitCode).toBe(0);
  });
});

describe('parseBaseline', () => {
  it('rejects malformed documents with one line naming the entry and field', () => {
    const msg = (j: unknown): string => {
      try {
        parseBaseline(j);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg([])).toBe('baseline: document: expected an object { schemaVersion, entries }');
    expect(msg({ schemaVersion: 9, entries: [] })).toBe(
      'baseline: schemaVersion: unsupported version 9 (this btfparity reads 1 and 2: record the baseline again with --update-baseline)',
    );
    expect(
      msg({ schemaVersion: 2, entries: [{ unit: 'u', entity: 'e', path: '', left: 'a', right: 'b', category: 'size', status: 'known', reason: 7 }] }),
    ).toBe('baseline: entry 0.reason: must be a string');
    expect(msg({ schemaVersion: 1, entries: [{ unit: 'u', entity: 'e', path: '', left: 'a', right: 'b', category: 'sise', status: 'known' }] })).toBe(
      'baseline: entry 0.category: unknown category "sise"',
    );
    expect(msg({ schemaVersion: 1, entries: [{ unit: 'u', entity: 3 }] })).toBe('baseline: entry 0.entity: must be a string');
  });
  it('recomputes keys from the facts (a stale hand-edited key does not survive)', () => {
    const b = parseBaseline({
      schemaVersion: 1,
      entries: [{ key: 'stale', unit: 'u', entity: 'e', path: '', left: 'a', right: 'b', category: 'size', status: 'known' }],
    });
    expect(b.entries[0].key).toBe('u | e |  | size | a | b');
  });
});

describe('failure keys: the step without its tool (issue 9)', () => {
  const failedAt = (step: string) => runOf([{ ...CLEAN, error: { step, message: 'exited with status 1: Error while encoding BTF.' } }]);
  it('failureStep drops the tool a step label names, whatever its form', () => {
    expect(failureStep('left encode (pahole)')).toBe('left encode');
    expect(failureStep('left encode (/tmp/x y/pahole)')).toBe('left encode');
    expect(failureStep('both compile (trixie:gcc-14)')).toBe('both compile');
    expect(failureStep('left read BTF (left.btf)')).toBe('left read BTF');
    expect(failureStep('gcc -g -c')).toBe('gcc -g -c');
    expect(failureStep('link')).toBe('link');
  });
  it('the baseline records the step without the tool', () => {
    expect(baselineFrom(failedAt('left encode (/usr/bin/pahole)')).failures).toEqual([
      { unit: CLEAN.source, step: 'left encode', message: 'exited with status 1: Error while encoding BTF.' },
    ]);
  });
  it('the same step through another tool path is the accepted failure, not a new one', () => {
    const base = baselineFrom(failedAt('left encode (pahole)'));
    for (const step of ['left encode (/tmp/elsewhere/pahole)', 'left encode (trixie:pahole)', 'left encode (pahole)'])
      expect(compareToBaseline(failedAt(step), base, 'any')).toMatchObject({ newFailures: [], resolvedFailures: [], exitCode: 0 });
    // Another step of the same unit is new: the tool is left out, the step is not.
    expect(compareToBaseline(failedAt('right compile (gcc)'), base, 'any').newFailures).toEqual([
      { unit: CLEAN.source, step: 'right compile (gcc)', message: 'exited with status 1: Error while encoding BTF.' },
    ]);
  });
  it('a version 1 baseline (steps named with their tool) is read with the tool dropped', () => {
    const v1 = parseBaseline({ schemaVersion: 1, entries: [], failures: [{ unit: CLEAN.source, step: 'left encode (/opt/old/pahole)', message: 'm' }] });
    expect(v1.failures).toEqual([{ unit: CLEAN.source, step: 'left encode', message: 'm' }]);
    expect(compareToBaseline(failedAt('left encode (pahole)'), v1, 'any').exitCode).toBe(0);
  });
});
