/**
 * Reports read back by merge and collect are validated before use (issue
 * 14, item 2): a `findings` that is a string or `{}`, a numeric `source`,
 * an unknown category… are bad input (exit 2, one line naming the file and
 * the field), in every output format — never an internal error (70), never
 * `undefined` rows, never a json report of garbage with exit 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseRunResult } from '../src/report/parse-run-result.js';
import { orderedRunResult } from '../src/report/order.js';
import { REPORT_FORMATS, renderReport } from '../src/report/render.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { RUN } from './fixtures/report-run.js';
import { tempDir } from './reader-toolchain.js';

const { dir, cleanup } = tempDir('merge-validate');
afterAll(cleanup);
beforeAll(ensureBuilt);

const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(orderedRunResult(RUN)));

const CASES: [string, (r: Record<string, unknown>) => void, RegExp][] = [
  [
    'findings is a string',
    (r) => ((r.units as Record<string, unknown>[])[0].findings = 'abc'),
    /units\[0\]\.findings: expected a list, got a string \("abc"\)$/,
  ],
  ['findings is {}', (r) => ((r.units as Record<string, unknown>[])[0].findings = {}), /units\[0\]\.findings: expected a list, got an object$/],
  ['source is a number', (r) => ((r.units as Record<string, unknown>[])[1].source = 5), /units\[1\]\.source: expected a string, got number 5$/],
  [
    'unknown category',
    (r) => (((r.units as Record<string, unknown>[])[0].findings as Record<string, unknown>[])[0].category = 'sizes'),
    /units\[0\]\.findings\[0\]\.category: unknown category "sizes"$/,
  ],
  [
    'a finding that is null',
    (r) => (((r.units as Record<string, unknown>[])[0].findings as unknown[])[0] = null),
    /units\[0\]\.findings\[0\]: expected an object, got null$/,
  ],
  [
    'argv with a number',
    (r) => (((r.units as Record<string, unknown>[])[0].commands as Record<string, unknown>[])[0].argv = ['gcc', 3]),
    /argv\[1\]: expected a string/,
  ],
  [
    'error without message',
    (r) => ((r.units as Record<string, unknown>[])[2].error = { step: 'x' }),
    /units\[2\]\.error\.message: expected a string, got nothing$/,
  ],
  [
    'types.left with a number',
    (r) => ((r.units as Record<string, unknown>[])[0].types = { left: { a: 1 }, right: {} }),
    /units\[0\]\.types\.left\.a: expected a string/,
  ],
  ['a tool without command', (r) => ((r.toolchain as unknown[])[0] = { role: 'cc' }), /toolchain\[0\]\.command: expected a string, got nothing$/],
  [
    'a negative type id',
    (r) => (((r.units as Record<string, unknown>[])[0].findings as Record<string, unknown>[])[0].leftId = -1),
    /leftId: expected a type id/,
  ],
];

describe('merge and collect refuse malformed reports in every format', () => {
  it.each(CASES)('%s', (name, spoil, line) => {
    const r = good();
    spoil(r);
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(r));
    // The three cases in every format; the rest in text (the check is before any renderer).
    for (const format of CASES.indexOf(CASES.find((c) => c[0] === name)!) < 3 ? REPORT_FORMATS : (['text'] as const)) {
      const m = runCli(['merge', '--format', format, file], { cwd: dir });
      expect([m.status, m.stdout], `${format}: ${m.stderr}`).toEqual([2, '']);
      const lines = m.stderr.split('\n').filter((l) => l !== '');
      expect(lines, format).toHaveLength(1);
      expect(lines[0].startsWith(`btfparity: ${file}: `), lines[0]).toBe(true);
      expect(lines[0]).toMatch(line);
    }
    const results = join(dir, `results-${name.replace(/\W+/g, '-')}`);
    mkdirSync(results);
    writeFileSync(join(results, 'a.json'), JSON.stringify(r));
    const c = runCli(['collect', '--format', 'text', results], { cwd: dir });
    expect([c.status, c.stdout], c.stderr).toEqual([2, '']);
    expect(c.stderr.trim()).toMatch(line);
  });
});

describe('parseRunResult', () => {
  it('round-trips a valid report', () => {
    const parsed = parseRunResult(good());
    expect(orderedRunResult(parsed)).toEqual(orderedRunResult(RUN));
  });
  it('recomputes the summary instead of trusting it', () => {
    const r = good();
    (r.summary as Record<string, unknown>).findings = 999;
    expect(parseRunResult(r).summary.findings).toBe(5);
  });
  it('any JSON value put anywhere in a report either parses into something every format renders, or is an InputError', () => {
    const paths: ((r: Record<string, unknown>) => [Record<string, unknown> | unknown[], string | number])[] = [
      (r) => [r, 'units'],
      (r) => [r.units as unknown[], 0],
      (r) => [(r.units as Record<string, unknown>[])[0], 'findings'],
      (r) => [(r.units as Record<string, unknown>[])[0].findings as unknown[], 1],
      (r) => [((r.units as Record<string, unknown>[])[0].findings as Record<string, unknown>[])[0], 'entity'],
      (r) => [((r.units as Record<string, unknown>[])[0].findings as Record<string, unknown>[])[0], 'affected'],
      (r) => [((r.units as Record<string, unknown>[])[0].findings as Record<string, unknown>[])[0], 'rightId'],
      (r) => [(r.units as Record<string, unknown>[])[1], 'source'],
      (r) => [(r.units as Record<string, unknown>[])[0], 'commands'],
      (r) => [(r.units as Record<string, unknown>[])[0], 'types'],
      (r) => [(r.units as Record<string, unknown>[])[2], 'error'],
      (r) => [r, 'toolchain'],
      (r) => [r.recipes as unknown[], 0],
      (r) => [r, 'schemaVersion'],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }), (which, value) => {
        const r = good();
        const [holder, key] = paths[which](r);
        (holder as Record<string | number, unknown>)[key] = value;
        let parsed: ReturnType<typeof parseRunResult>;
        try {
          parsed = parseRunResult(r);
        } catch (e) {
          if (e instanceof InputError) return;
          throw e;
        }
        for (const format of REPORT_FORMATS) expect(renderReport(parsed, format)).not.toContain('undefined');
      }),
      { numRuns: 1500, seed: 2 },
    );
  });
});
