/**
 * Bugs the structure-aware generator (test/helpers/btf-gen.ts) found,
 * pinned one by one:
 * - a DATASEC entry naming an id past the last type (bpftool accepts and
 *   prints it, so the decoder does too) crashed `diff` with a TypeError
 *   in the affected-entities walk (exit 70);
 * - a base type named `toString`, `constructor` or `__proto__` met the
 *   prototype of the entity-keyed records: markdown crashed on
 *   Object.prototype.toString, and `__proto__`'s involved types vanished.
 */
import { describe, expect, it } from 'vitest';
import { decodeBtf } from '../src/btf/decode.js';
import { encodeBtf } from '../src/btf/encode.js';
import type { BtfType } from '../src/btf/types.js';
import { compareBtf } from '../src/pipeline/compare.js';
import { buildSummary, REPORT_FORMATS, renderReport } from '../src/report/render.js';
import { parseRunResult } from '../src/report/parse-run-result.js';
import { REPORT_SCHEMA_VERSION, type RunResult } from '../src/report/run-result.js';

const INT = (id: number, name: string): BtfType => ({
  kind: 'INT',
  id,
  name,
  nameOff: 0,
  size: 4,
  encoding: { signed: true, char: false, bool: false },
  encodingBits: 1,
  bitsOffset: 0,
  bits: 32,
});
const ctx = { leftRecipe: 'file', rightRecipe: 'file', tools: [], rules: [] };

function run(left: BtfType[], right: BtfType[]): RunResult {
  const { findings, types } = compareBtf(decodeBtf(encodeBtf({ types: left })), decodeBtf(encodeBtf({ types: right })), ctx);
  const units = [{ source: 'u', commands: [], findings, ...(types ? { types } : {}) }];
  return { schemaVersion: REPORT_SCHEMA_VERSION, toolchain: [], recipes: [], units, summary: buildSummary(units) };
}

describe('found by the generator', () => {
  it('a DATASEC entry of id 0xffffffff (or past the last type) is compared, not a crash', () => {
    const ds: BtfType = {
      kind: 'DATASEC',
      id: 2,
      name: '.data',
      nameOff: 0,
      size: 8,
      vars: [
        { type: 0xffffffff, offset: 0, size: 4 },
        { type: 7, offset: 4, size: 4 },
      ],
    };
    const r = run([INT(1, 'int'), ds], [INT(1, 'int')]);
    expect(r.units[0].findings.map((f) => `${f.entity} ${f.category}`)).toEqual(['datasec .data only-left']);
  });

  it('entities named toString, constructor and __proto__ keep their involved types, in every format', () => {
    const names = ['toString', 'constructor', '__proto__'];
    const r = run(
      names.map((n, i) => INT(i + 1, n)),
      [],
    );
    const types = r.units[0].types!;
    for (const n of names) {
      expect(Object.hasOwn(types.left, n), n).toBe(true);
      expect(types.left[n]).toMatch(new RegExp(`INT '${n}'`));
    }
    for (const format of REPORT_FORMATS) expect(() => renderReport(r, format)).not.toThrow();
    const md = renderReport(r, 'markdown');
    for (const n of names) expect(md).toContain(`[${names.indexOf(n) + 1}] INT '${n}'`);
    // Read back from the json report (its dumps by reference): the unit's records keyed by entity again.
    const left = parseRunResult(JSON.parse(renderReport(r, 'json'))).units[0].types!.left;
    expect(Object.getOwnPropertyDescriptor(left, '__proto__')?.value).toMatch(/INT '__proto__'/);
  });
});
