import { describe, expect, it } from 'vitest';
import { renderCType } from '../src/canonical/render.js';
import { makeBtf, type TypeSpec } from './helpers/btf-transform.js';

// Expected strings are how C declares these types (C11 6.7.6): pointer
// declarators prefix, array and function declarators suffix, and a pointer
// under an array or function is parenthesised.
const enc = (signed: boolean, char = false, bool = false) => ({ signed, char, bool });
const types: TypeSpec[] = [
  { kind: 'INT', name: 'int', size: 4, encoding: enc(true), encodingBits: 1, bitsOffset: 0, bits: 32 }, // 1
  { kind: 'INT', name: 'char', size: 1, encoding: enc(true), encodingBits: 1, bitsOffset: 0, bits: 8 }, // 2
  { kind: 'CONST', name: '', type: 2 }, // 3 const char
  { kind: 'PTR', name: '', type: 3 }, // 4 const char *
  { kind: 'ARRAY', name: '', type: 1, indexType: 1, nelems: 2 }, // 5 int[2]
  { kind: 'ARRAY', name: '', type: 5, indexType: 1, nelems: 4 }, // 6 int[4][2]
  { kind: 'STRUCT', name: 'foo', size: 0, kindFlag: false, members: [] }, // 7
  { kind: 'UNION', name: '', size: 0, kindFlag: false, members: [] }, // 8
  { kind: 'ENUM', name: 'e', size: 4, signed: false, values: [] }, // 9
  { kind: 'FUNC_PROTO', name: '', returnType: 0, params: [{ name: 'a', type: 1 } as never, { name: '', type: 0 } as never] }, // 10
  { kind: 'PTR', name: '', type: 10 }, // 11 void (*)(int, ...)
  { kind: 'TYPEDEF', name: 'u32', type: 1 }, // 12
  { kind: 'INT', name: '_Bool', size: 1, encoding: enc(false, false, true), encodingBits: 4, bitsOffset: 0, bits: 8 }, // 13
  { kind: 'PTR', name: '', type: 2 }, // 14 char *
  { kind: 'VOLATILE', name: '', type: 14 }, // 15 char * volatile
  { kind: 'CONST', name: '', type: 15 }, // 16 char * const volatile
  { kind: 'PTR', name: '', type: 5 }, // 17 int (*)[2]
  { kind: 'ARRAY', name: '', type: 14, indexType: 1, nelems: 5 }, // 18 char *[5]
  { kind: 'FUNC_PROTO', name: '', returnType: 14, params: [] }, // 19 char *(void)
  { kind: 'FUNC', name: 'f', type: 19, linkage: 'global' }, // 20
  { kind: 'FWD', name: 'opaque', fwdKind: 'union' }, // 21
  { kind: 'PTR', name: '', type: 16 }, // 22 char * const volatile *
];
const btf = makeBtf(types);

describe('renderCType', () => {
  it.each([
    [0, 'void'],
    [1, 'int'],
    [4, 'const char *'],
    [6, 'int[4][2]'],
    [7, 'struct foo'],
    [8, 'union (anon)'],
    [9, 'enum e'],
    [11, 'void (*)(int, ...)'],
    [12, 'u32'],
    [13, '_Bool'],
    [16, 'char * const volatile'],
    [17, 'int (*)[2]'],
    [18, 'char *[5]'],
    [20, 'char *f(void)'],
    [21, 'union opaque'],
    [22, 'char * const volatile *'],
  ])('renders type %i as %s', (id, text) => {
    expect(renderCType(btf, id)).toBe(text);
  });

  it('renders declarations with a name', () => {
    expect(renderCType(btf, 6, 'grid')).toBe('int grid[4][2]');
    expect(renderCType(btf, 11, 'cb')).toBe('void (*cb)(int, ...)');
    expect(renderCType(btf, 16, 'p')).toBe('char * const volatile p');
    expect(renderCType(btf, 17, 'row')).toBe('int (*row)[2]');
  });

  it('cuts a cycle made only of anonymous pointers instead of recursing forever', () => {
    const loop = makeBtf([
      { kind: 'PTR', name: '', type: 2 },
      { kind: 'PTR', name: '', type: 1 },
    ]);
    expect(renderCType(loop, 1)).toBe('<cycle> **');
  });

  it('cuts a prototype that is its own parameter (found by the random diff test; it overflowed the stack)', () => {
    // proto(param: itself) returning void: the parameter walk meets the proto
    // on its own path, so the parameter prints as <cycle>, inside `void (...)`.
    const self = makeBtf([{ kind: 'FUNC_PROTO', name: '', returnType: 0, params: [{ name: '', type: 1 } as never] }]);
    expect(renderCType(self, 1)).toBe('void (<cycle>)');
  });
});
