/**
 * The matrix of divergence classes × pairs (src/report/matrix.ts) and its
 * renderers, on hand-built RunResults: the expected tables are worked out
 * by hand in the comments from the units each pair is given.
 */
import { describe, expect, it } from 'vitest';
import type { ClassifiedFinding } from '../src/findings/finding.js';
import { buildMatrix, classLabel, failureStep, type PairRun, unexplainedDetail } from '../src/report/matrix.js';
import { cellText, renderMatrix } from '../src/report/matrix-render.js';
import { buildSummary } from '../src/report/render.js';
import { REPORT_SCHEMA_VERSION, type RunResult, type UnitResult } from '../src/report/run-result.js';

function f(over: Partial<ClassifiedFinding> & Pick<ClassifiedFinding, 'entity' | 'category' | 'status'>): ClassifiedFinding {
  return { path: '', left: 'absent', right: 'x', ...over };
}

function unit(source: string, findings: ClassifiedFinding[], error?: string): UnitResult {
  return { source, commands: [], findings, ...(error ? { error: { step: error, message: 'exited with status 1' } } : {}) };
}

function run(name: string, units: UnitResult[], pahole = 'pahole'): PairRun {
  const result: RunResult = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    toolchain: [
      { role: 'cc', command: 'gcc', path: '/usr/bin/gcc', version: 'gcc 12.2.0' },
      { role: 'pahole', command: pahole, path: '/usr/bin/pahole', version: 'v1.xx' },
    ],
    recipes: [
      { side: 'left', name: 'pahole', description: '' },
      { side: 'right', name: 'gcc-btf', description: '' },
    ],
    units,
    summary: buildSummary(units),
  };
  return { name, result };
}

const percpu = (entity: string): ClassifiedFinding => f({ entity, category: 'only-right', status: 'known', reason: 'pahole-vars-percpu-only' });
const onlyVar = (entity: string): ClassifiedFinding => f({ entity, category: 'only-right', status: 'unexplained' });
const linkage = f({ entity: 'func is_fail', category: 'linkage', status: 'unexplained', left: 'static', right: 'global' });

// Three pairs over units a.c, b.c, c.c:
// - old: a.c and b.c have known percpu-only vars (2 in a, 1 in b); c.c links is_fail static/global.
// - new: the same vars are unexplained absences in a.c only; b.c fails to encode; c.c as before.
// - newest: like new, but a.c fails too.
const runs = [
  run('old', [unit('a.c', [percpu('var x'), percpu('var y')]), unit('b.c', [percpu('var z')]), unit('c.c', [linkage])]),
  run('new', [unit('a.c', [onlyVar('var x'), onlyVar('var y')]), unit('b.c', [], 'left encode (trixie:pahole)'), unit('c.c', [linkage])], 'trixie:pahole'),
  run('newest', [unit('a.c', [], 'left encode (sid:pahole)'), unit('b.c', [], 'left encode (sid:pahole)'), unit('c.c', [linkage])], 'sid:pahole'),
];

describe('matrix classes', () => {
  it('an unexplained class names the entity kind, not the program name; closed-vocabulary texts are kept', () => {
    expect(unexplainedDetail(onlyVar('var counter'))).toBe('var');
    expect(unexplainedDetail(f({ entity: 'struct s', path: 'a.b', category: 'offset', status: 'unexplained' }))).toBe('struct member');
    expect(unexplainedDetail(f({ entity: 'func g', path: 'param 2', category: 'proto', status: 'unexplained' }))).toBe('func param');
    // A section and a base type are the toolchain's names: kept whole.
    expect(unexplainedDetail(f({ entity: 'datasec .data.rel.ro.local', category: 'only-right', status: 'unexplained' }))).toBe('datasec .data.rel.ro.local');
    expect(unexplainedDetail(linkage)).toBe('func: static → global');
    expect(
      unexplainedDetail(f({ entity: 'char', category: 'rejected', status: 'unexplained', left: 'n/a', right: 'kernel refuses: Unsupported encoding' })),
    ).toBe('char: n/a → kernel refuses: Unsupported encoding');
  });

  it('a failure class is the step without its tool', () => {
    expect(failureStep('left encode (trixie:pahole)')).toBe('left encode');
    expect(failureStep('btfparity')).toBe('btfparity');
  });
});

describe('buildMatrix', () => {
  const m = buildMatrix(runs);
  const row = (label: string) => {
    const r = m.rows.find((x) => classLabel(x.class) === label);
    if (!r) throw new Error(`no row ${label}: ${m.rows.map((x) => classLabel(x.class)).join('; ')}`);
    return { cells: r.cells.map((c) => cellText(r, c)), first: r.first, last: r.last, raw: r.cells };
  };

  it('rows: failures first, then unexplained, known; one row per class', () => {
    expect(m.rows.map((r) => classLabel(r.class))).toEqual([
      'unit failed · left encode · a.c',
      'unit failed · left encode · b.c',
      'unexplained · only-right · var',
      'unexplained · linkage · func: static → global',
      'known · only-right · pahole-vars-percpu-only',
    ]);
    expect(m.pairs.map((p) => p.name)).toEqual(['old', 'new', 'newest']);
  });

  it("a failure row is one unit's failing step; first and last pair where seen", () => {
    // new: b.c failed; newest: a.c and b.c failed.
    expect(row('unit failed · left encode · b.c')).toMatchObject({ cells: ['-', 'fails', 'fails'], first: 'new', last: 'newest' });
    expect(row('unit failed · left encode · a.c')).toMatchObject({ cells: ['-', '-', 'fails'], first: 'newest', last: 'newest' });
  });

  it('present, absent and failed cells', () => {
    // old: none (the vars are known there); new: 2 in a.c; newest: a.c, the one unit that shows it, failed.
    expect(row('unexplained · only-right · var')).toMatchObject({ cells: ['-', '2 / 1', 'failed (1)'], first: 'new', last: 'new' });
    // old: 3 findings in a.c, b.c; new: a.c ran without it, b.c failed; newest: both failed.
    expect(row('known · only-right · pahole-vars-percpu-only')).toMatchObject({
      cells: ['3 / 2', '- +1 failed', 'failed (2)'],
      first: 'old',
      last: 'old',
    });
    expect(row('unexplained · linkage · func: static → global')).toMatchObject({ cells: ['1 / 1', '1 / 1', '1 / 1'], first: 'old', last: 'newest' });
  });

  it('a present cell says how many units that show the class elsewhere failed here', () => {
    // old shows the percpu class in a.c and b.c; a pair where a.c shows it and b.c fails: present, +1 failed.
    const mixed = buildMatrix([runs[0], run('mixed', [unit('a.c', [percpu('var x')]), unit('b.c', [], 'right compile (gcc)'), unit('c.c', [])])]);
    const r = mixed.rows.find((x) => x.key === 'known | only-right | pahole-vars-percpu-only');
    expect(r?.cells[1]).toEqual({ state: 'present', count: 1, units: 1, failed: 1 });
    expect(r && cellText(r, r.cells[1])).toBe('1 / 1 +1 failed');
  });

  it('equivalent findings are classed by normalisation', () => {
    const eq = f({ entity: 'struct m', path: 'a', category: 'array', status: 'equivalent', reason: 'flattened-array' });
    const one = buildMatrix([run('p', [unit('a.c', [eq])])]);
    expect(one.rows.map((r) => r.key)).toEqual(['equivalent | array | flattened-array']);
  });
});

describe('renderers', () => {
  const m = buildMatrix(runs);

  it('markdown: a pairs table and the class table, one column per pair in file order', () => {
    const md = renderMatrix(m, 'markdown');
    // new: 3 units, b.c failed; unexplained: a.c's two vars and c.c's linkage.
    expect(md).toContain('| `new` | `pahole` | `gcc-btf` | cc gcc (gcc 12.2.0); pahole trixie:pahole (v1.xx) | 3 | 1 | 3 | 0 | 0 |');
    expect(md).toContain('| class | `old` | `new` | `newest` | first | last |');
    expect(md).toContain('| known · only-right · pahole-vars-percpu-only | 3 / 2 | - +1 failed | failed (2) | `old` | `old` |');
  });

  it('json: the Matrix object, versioned', () => {
    const back = JSON.parse(renderMatrix(m, 'json'));
    expect(back.schemaVersion).toBe(1);
    expect(back.rows[1]).toEqual({
      key: 'failure | left encode | b.c',
      class: { kind: 'failure', step: 'left encode', unit: 'b.c' },
      cells: [
        { state: 'absent', failed: 0 },
        { state: 'present', count: 1, units: 1, failed: 0 },
        { state: 'present', count: 1, units: 1, failed: 0 },
      ],
      first: 'new',
      last: 'newest',
    });
  });

  it('html: self-contained (no URL, no external resource), every datum escaped', () => {
    const evil = buildMatrix([run('<b>&pair', [unit('a.c', [onlyVar('var x')])])]);
    const html = renderMatrix(evil, 'html');
    expect(html).toContain('&lt;b&gt;&amp;pair');
    expect(html).not.toContain('<b>&pair');
    expect(html).not.toMatch(/https?:|src=|href=/);
    expect(html).toContain('<td class="count present">1 / 1</td>');
  });
});
