/**
 * Helpers the reports use: finding a declaration's line in C source
 * (expected lines checked with grep against the probe files, asserted
 * again below from the file text), and the bpftool records behind a
 * finding (oracle: bpftool's dump of the same object, committed beside the
 * gcc -gbtf fixture in test/fixtures/btf). Needs no toolchain.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntity } from '../src/canonical/entity.js';
import { involvedTypesText } from '../src/report/involved-types.js';
import { blankCommentsAndStrings, locateDeclaration } from '../src/report/locate.js';
import { fixtureBtf, oracleText, probeFixture } from './helpers/fixtures.js';

const probe = (name: string): string => readFileSync(join('corpus/probes', name), 'utf8');

/** Assert the located line and that the line really holds `expectText`. */
function expectAt(file: string, entity: string, line: number, expectText: string): void {
  const src = probe(file);
  expect(locateDeclaration(src, parseEntity(entity)), `${file} ${entity}`).toBe(line);
  expect(src.split('\n')[line - 1]).toContain(expectText);
}

describe('locateDeclaration on the corpus probes', () => {
  it('struct/union/enum definitions, including attributes before the tag', () => {
    expectAt('05-floats.c', 'struct floats', 18, 'struct floats {');
    expectAt('15-struct-packed.c', 'struct packed_hdr', 10, 'struct __attribute__((packed)) packed_hdr {');
    expectAt('07-enum-negative.c', 'enum errcode', 10, 'enum errcode {');
    expectAt('32-vars-extern.c', 'struct ext_cfg', 13, 'extern struct ext_cfg {');
  });
  it('typedefs: plain, of an anonymous struct, of a function pointer, of a function type, of an array', () => {
    expectAt('22-typedef-chain.c', 'typedef u32_t', 10, 'typedef unsigned int u32_t;');
    expectAt('22-typedef-chain.c', 'typedef point_t', 25, 'typedef struct {');
    expectAt('26-func-ptr.c', 'typedef cmp_fn', 11, 'typedef int (*cmp_fn)');
    expectAt('22-typedef-chain.c', 'typedef binop_t', 35, 'typedef int binop_t(int, int);');
    expectAt('22-typedef-chain.c', 'typedef arr4_t', 31, 'typedef int arr4_t[4];');
  });
  it('functions: definitions over declarations, K&R definitions, externs', () => {
    expectAt('05-floats.c', 'func pick', 26, 'double pick(');
    expectAt('28-kr-unprototyped.c', 'func old_style', 21, 'int old_style(a, b)');
    // proto_void is declared on line 11 and defined on line 28: the definition wins.
    expectAt('28-kr-unprototyped.c', 'func proto_void', 28, 'int proto_void(void)');
    expectAt('35-funcs-linkage.c', 'func kept_static', 21, '__attribute__((used)) static int kept_static(void)');
    expectAt('35-funcs-linkage.c', 'func ext_call', 13, 'extern int ext_call(int);');
  });
  it('variables: globals, statics, TLS, externs, function pointers, block-scope statics, after an inline struct body', () => {
    expectAt('31-vars-global-static.c', 'var g_init', 16, 'int g_init = 42;');
    expectAt('31-vars-global-static.c', 'var s_zero', 19, 'static int s_zero;');
    expectAt('31-vars-global-static.c', 'var tls_counter', 23, '__thread int tls_counter;');
    expectAt('31-vars-global-static.c', 'var local_static', 28, 'static int local_static;');
    expectAt('32-vars-extern.c', 'var ext_name', 12, 'extern const char ext_name[];');
    expectAt('32-vars-extern.c', 'var ext_cfg', 16, '} ext_cfg;');
    expectAt('28-kr-unprototyped.c', 'var unproto_ptr', 18, 'int (*unproto_ptr)();');
    expectAt('44-percpu-section.c', 'var percpu_stats', 12, 'long percpu_stats[4] __attribute__');
  });
  it('nothing for base types, datasecs, anonymous entities, or names only mentioned in comments', () => {
    const src = probe('05-floats.c');
    expect(locateDeclaration(src, parseEntity('double'))).toBeUndefined();
    expect(locateDeclaration(src, parseEntity('datasec .bss'))).toBeUndefined();
    expect(locateDeclaration(src, parseEntity('func (anon)'))).toBeUndefined();
    expect(locateDeclaration('/* struct ghost { int x; }; */\nint y;\n', parseEntity('struct ghost'))).toBeUndefined();
    expect(locateDeclaration('const char *s = "int ghost;";\n', parseEntity('var ghost'))).toBeUndefined();
  });
  it('a typedef name is not taken for a variable, a call is not taken for a definition', () => {
    expect(locateDeclaration(probe('22-typedef-chain.c'), parseEntity('var arr4_t'))).toBeUndefined();
    expect(locateDeclaration('int f(void);\nint g(void) { return f(); }\n', parseEntity('func f'))).toBe(1);
  });
  it('blanking keeps offsets and newlines', () => {
    const s = 'a /* x\ny */ b // c\n"q\\"z" d';
    const t = blankCommentsAndStrings(s);
    expect(t.length).toBe(s.length);
    expect(t.split('\n').length).toBe(s.split('\n').length);
    expect(t.replace(/\s+/g, ' ')).toBe('a b d');
  });
});

describe('involvedTypesText against bpftool', () => {
  const obj = probeFixture('02-char-signedness', 'gcc-btf');
  const btf = fixtureBtf(obj);
  // bpftool's records, keyed by id (a record is its line plus tab-indented continuation lines).
  const records = new Map<number, string>();
  for (const rec of oracleText(obj)
    .trimEnd()
    .split(/\n(?=\[)/)) {
    records.set(Number(/^\[(\d+)\]/.exec(rec)![1]), rec);
  }
  const oracle = (ids: number[]): string => ids.map((i) => records.get(i)!).join('\n');
  const idOf = (kind: string, name: string): number => btf.types.find((t) => t.kind === kind && t.name === name)!.id;

  it('a struct whose members are all named types: just its own record', () => {
    const id = idOf('STRUCT', 'chars');
    expect(involvedTypesText(btf, { entity: 'struct chars', path: 'c', category: 'member-type', left: '', right: '', rightId: id }, 'right')).toBe(
      oracle([id]),
    );
  });
  it('a variable of type const char *: VAR, PTR and CONST, stopping at the named char', () => {
    const v = idOf('VAR', 'str_ptr');
    const ptr = (btf.types[v - 1] as { type: number }).type;
    const cnst = (btf.types[ptr - 1] as { type: number }).type;
    const text = involvedTypesText(btf, { entity: 'var str_ptr', path: '', category: 'only-right', left: 'absent', right: '', rightId: v }, 'right');
    expect(text).toBe(oracle([cnst, ptr, v].sort((a, b) => a - b)));
    expect(text).toContain("PTR '(anon)'");
    expect(text).toContain("CONST '(anon)'");
    expect(text).not.toContain("INT 'char'");
  });
  it('a side without the entity gives the empty string', () => {
    expect(involvedTypesText(btf, { entity: 'var str_ptr', path: '', category: 'only-right', left: 'absent', right: '' }, 'left')).toBe('');
  });
});
