/**
 * Per-side tools in reports: a role whose two sides ran different tools is
 * listed once per side with `side`, and every format that lists tools
 * carries it (json keeps it through parseRunResult and validates against
 * docs/report.schema.json; markdown writes `cc (left)`; sarif passes the
 * list through). The versions are those of the sides in
 * test/toolchain-sides.test.ts (host gcc 12.2, sid's gcc 16.2).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { mergeRunResults } from '../src/pipeline/merge-results.js';
import { parseRunResult } from '../src/report/parse-run-result.js';
import { renderReport } from '../src/report/render.js';
import type { RunResult } from '../src/report/run-result.js';
import { CLEAN, runOf } from './fixtures/report-run.js';

const schema = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8'));

const SIDES: RunResult = {
  ...runOf([CLEAN]),
  toolchain: [
    { role: 'cc', side: 'left', command: 'gcc', path: '/usr/bin/gcc', version: 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0' },
    { role: 'cc', side: 'right', command: 'sid:gcc-16', path: '/usr/bin/gcc-16', version: 'gcc-16 (Debian 16.2.0-4) 16.2.0' },
    { role: 'pahole', command: 'pahole', path: '/usr/bin/pahole', version: 'v1.24' },
  ],
};

describe('each side’s tools in the reports', () => {
  it('json: side kept, valid against the schema, read back unchanged', () => {
    const json = JSON.parse(renderReport(SIDES, 'json'));
    expect(json.toolchain.map((t: { role: string; side?: string }) => [t.role, t.side])).toEqual([
      ['cc', 'left'],
      ['cc', 'right'],
      ['pahole', undefined],
    ]);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(parseRunResult(json).toolchain).toEqual(SIDES.toolchain);
  });

  it('a side that is neither left nor right is refused when read back', () => {
    const json = JSON.parse(renderReport(SIDES, 'json'));
    json.toolchain[0].side = 'both';
    expect(() => parseRunResult(json)).toThrow(/toolchain\[0\]\.side/);
  });

  it('markdown: one row per side, named `cc (left)` / `cc (right)`', () => {
    const md = renderReport(SIDES, 'markdown');
    expect(md).toContain('| cc (left) | `gcc` | `/usr/bin/gcc` | gcc (Debian 12.2.0-14+deb12u1) 12.2.0 |');
    expect(md).toContain('| cc (right) | `sid:gcc-16` | `/usr/bin/gcc-16` | gcc-16 (Debian 16.2.0-4) 16.2.0 |');
    expect(md).toContain('| pahole | `pahole` |');
  });

  it('sarif: the run’s toolchain property carries both sides', () => {
    const sarif = JSON.parse(renderReport(SIDES, 'sarif'));
    const tc = JSON.stringify(sarif.runs[0]);
    expect(tc).toContain('"side":"left"');
    expect(tc).toContain('sid:gcc-16');
  });

  it('merge: two shards with the same two sides agree; another right-side compiler is a note naming cc (right)', () => {
    const same = mergeRunResults([
      { name: 'a', result: SIDES },
      { name: 'b', result: SIDES },
    ]);
    expect(same.notes).toEqual([]);
    expect(same.result.toolchain).toEqual(SIDES.toolchain);
    const other: RunResult = {
      ...SIDES,
      toolchain: SIDES.toolchain.map((t) =>
        t.side === 'right' ? { ...t, command: 'sid:gcc-15', path: '/usr/bin/gcc-15', version: 'gcc-15 (Debian 15.3.0-5) 15.3.0' } : t,
      ),
    };
    const differ = mergeRunResults([
      { name: 'a', result: SIDES },
      { name: 'b', result: other },
    ]);
    expect(differ.notes).toEqual([
      'toolchains differ: cc (right) is /usr/bin/gcc-16 (gcc-16 (Debian 16.2.0-4) 16.2.0) / /usr/bin/gcc-15 (gcc-15 (Debian 15.3.0-5) 15.3.0)',
    ]);
  });
});
