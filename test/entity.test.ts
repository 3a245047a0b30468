/**
 * Entity names as data: entityRef is what a type is as an entity,
 * entityName / formatEntity its text in reports, and parseEntity reads the
 * text back into the same parts for every kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BtfType } from '../src/btf/types.js';
import { type EntityRef, entityName, entityRef, formatEntity, parseEntity } from '../src/canonical/entity.js';

const base = { id: 1, nameOff: 0 };
const types: BtfType[] = [
  { ...base, kind: 'STRUCT', name: 'outer', size: 8, members: [] },
  { ...base, kind: 'UNION', name: 'u', size: 8, members: [] },
  { ...base, kind: 'STRUCT', name: '', size: 8, members: [] },
  { ...base, kind: 'ENUM', name: 'color', size: 4, signed: false, values: [] },
  { ...base, kind: 'ENUM64', name: 'big', size: 8, signed: false, values: [] },
  { ...base, kind: 'FWD', name: 'later', fwdKind: 'union' },
  { ...base, kind: 'TYPEDEF', name: 'u32', type: 2 },
  { ...base, kind: 'FUNC', name: 'foo', type: 2, linkage: 'global' },
  { ...base, kind: 'FUNC', name: '', type: 2, linkage: 'static' },
  { ...base, kind: 'VAR', name: 'bar', type: 2, linkage: 'static' },
  { ...base, kind: 'DATASEC', name: '.data..percpu', size: 0, vars: [] },
  { ...base, kind: 'INT', name: 'long long unsigned int', size: 8, bits: 64, offset: 0, encoding: { signed: false, char: false, bool: false } },
  { ...base, kind: 'FLOAT', name: 'double', size: 8 },
] as BtfType[];

describe('entity names', () => {
  it('name each kind as C does', () => {
    expect(types.map(entityName)).toEqual([
      'struct outer',
      'union u',
      'struct (anon)',
      'enum color',
      'enum big',
      'union later',
      'typedef u32',
      'func foo',
      'func (anon)',
      'var bar',
      'datasec .data..percpu',
      'long long unsigned int',
      'double',
    ]);
    expect(entityRef(types[5])).toEqual({ keyword: 'union', name: 'later' });
    expect(entityRef(types[11])).toEqual({ keyword: 'base', name: 'long long unsigned int' });
  });
  it('parseEntity reads every name back into the parts entityRef gives', () => {
    for (const t of types) expect(parseEntity(entityName(t)), entityName(t)).toEqual(entityRef(t));
  });
  it('round-trips any keyword and name', () => {
    const keyword = fc.constantFrom<EntityRef['keyword']>('struct', 'union', 'enum', 'typedef', 'func', 'var', 'datasec');
    const name = fc.stringMatching(/^[A-Za-z_.$][\w.$ ]*$/).filter((n) => n !== '(anon)');
    fc.assert(
      fc.property(keyword, name, (k, n) => {
        expect(parseEntity(formatEntity({ keyword: k, name: n }))).toEqual({ keyword: k, name: n });
      }),
    );
  });
  it('text without a keyword is a base type, whatever its words', () => {
    expect(parseEntity('unsigned int')).toEqual({ keyword: 'base', name: 'unsigned int' });
    expect(parseEntity('struct')).toEqual({ keyword: 'base', name: 'struct' });
    expect(parseEntity('(anon)')).toEqual({ keyword: 'base', name: '' });
  });
});
