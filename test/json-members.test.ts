/**
 * jsonMembers finds each member's text of a compact JSON object (what
 * JSON.stringify writes) without parsing it: each slice must parse to the
 * member, be the text JSON.stringify gives it, and anything else must give
 * undefined (the caller then stringifies).
 */
import { describe, expect, it } from 'vitest';
import { jsonMembers } from '../src/pipeline/json-members.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const texts = (m: Map<string, Buffer> | undefined) => (m === undefined ? undefined : Object.fromEntries([...m].map(([k, v]) => [k, v.toString('utf8')])));

describe('jsonMembers', () => {
  it('gives each member as JSON.stringify writes it, through escapes, nesting and non-ASCII', () => {
    const value = {
      findings: [{ entity: 'struct "q"', path: 'a\\', left: 'x}]', right: '\\"{[', n: -1.5e-7, ok: true, none: null }],
      types: { left: { 'struct \udcff': "[1] STRUCT '\udcff' size=4", 'ü\\\\"': '' }, right: {} },
      '"odd key"': [[], {}, [1, [2, { a: '}' }]]],
      last: 12,
    };
    const got = jsonMembers(utf8(JSON.stringify(value)));
    expect(texts(got)).toEqual(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, JSON.stringify(v)])));
    for (const [k, v] of got ?? []) expect(JSON.parse(v.toString('utf8'))).toEqual(value[k as keyof typeof value]);
  });

  it('reads an empty object and scalars at the end', () => {
    expect(texts(jsonMembers(utf8('{}')))).toEqual({});
    expect(texts(jsonMembers(utf8('{"a":"","b":false}')))).toEqual({ a: '""', b: 'false' });
  });

  it.each([
    ['whitespace after a colon', '{"a": {"b":1,"c":2}}'],
    ['whitespace after a comma', '{"a":1, "b":2}'],
    ['a duplicate key', '{"a":1,"a":2}'],
    ['not an object', '[1,2]'],
    ['text after the object', '{"a":1}x'],
    ['a cut string', '{"a":"\\"}'],
    ['a cut array', '{"a":[1,[2]}'],
  ])('gives undefined for %s', (_, text) => {
    expect(jsonMembers(utf8(text))).toBeUndefined();
  });
});
