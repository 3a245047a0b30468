/**
 * writeJsonValue's PlainJson (a value written by JSON.stringify in one go,
 * re-indented): nested at any depth, the output is what
 * `JSON.stringify(…, null, 2)` of the whole value gives, strings with
 * newlines, lone surrogates and undefined members included.
 */
import { describe, expect, it } from 'vitest';
import { collect, lazyArray, lazyRecord, plainJson, writeJsonValue } from '../src/report/writer.js';

const FINDING = {
  entity: 'struct a\nb',
  path: '.x',
  left: 'line1\nline2\r\u2028',
  right: '\udcff',
  reason: undefined,
  verdict: { departs: ['a', 'b'], dwarf: {} },
  affected: [],
  ids: [1, null, 2.5],
};

describe('plainJson', () => {
  it('nests as JSON.stringify(…, null, 2) of the whole value', () => {
    const whole = { a: [{ b: { c: [FINDING, FINDING] } }], d: FINDING, e: [] };
    const marked = { a: [{ b: { c: lazyArray(() => [plainJson(FINDING), plainJson(FINDING)]) } }], d: plainJson(FINDING), e: lazyArray(() => []) };
    const text = collect((w) => writeJsonValue(w, marked));
    expect(text).toBe(JSON.stringify(whole, null, 2));
    expect(text).toContain('\n            "entity": "struct a\\nb",');
  });

  it('at the top, in lazy records, and for scalars', () => {
    expect(collect((w) => writeJsonValue(w, plainJson(FINDING)))).toBe(JSON.stringify(FINDING, null, 2));
    const rec = lazyRecord(() => [['k', plainJson([1, 'two'])] as const, ['m', plainJson('s')] as const]);
    expect(collect((w) => writeJsonValue(w, { r: rec }))).toBe(JSON.stringify({ r: { k: [1, 'two'], m: 's' } }, null, 2));
  });
});
