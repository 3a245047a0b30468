/**
 * Expected findings of diffBtf between the two avenues of a probe: (left)
 * `gcc -g -c` + `pahole --btf_encode_detached`, (right) `gcc -gbtf -c`.
 * Each list was checked against `bpftool btf dump file` of both sides
 * (gcc 12.2, pahole 1.24); the `why` of each case says what the dumps show.
 *
 * Shared by diff-avenues.test.ts (toolchain: compiles the probe afresh)
 * and diff-fixtures.test.ts (pure: the committed fixtures made by
 * scripts/make-fixtures with the same toolchain), so both pin one truth.
 * Not a test file.
 */
import { expect } from 'vitest';
import type { Btf, Finding } from '../../src/index.js';
import { diffBtf } from '../../src/index.js';

export const brief = (fs: readonly Finding[]): string[] =>
  fs.map((f) => [f.entity, f.path, f.category, f.left, f.right, ...(f.normalisation ? [f.normalisation] : [])].join(' | '));

/**
 * Findings every probe shows because pahole 1.24 emits no VAR/DATASEC for
 * globals of a .o while gcc -gbtf does: `var X` and `datasec S` only-right.
 */
const isPresenceOnlyRight = (f: Finding): boolean => f.category === 'only-right' && (f.entity.startsWith('var ') || f.entity.startsWith('datasec '));
export const presenceOnlyRight = (fs: readonly Finding[]): string[] => brief(fs.filter(isPresenceOnlyRight));
export const rest = (fs: readonly Finding[]): string[] => brief(fs.filter((f) => !isPresenceOnlyRight(f)));

export interface AvenueCase {
  readonly probe: string;
  /** Test title. */
  readonly title: string;
  /** What the bpftool dumps of both sides show (the oracle for the lists below). */
  readonly why: string;
  /** Findings other than the VAR/DATASEC ones only gcc -gbtf has, in diffBtf's order. */
  readonly rest: readonly string[];
  /** The VAR/DATASEC findings, when the case pins them. */
  readonly presenceOnlyRight?: readonly string[];
  /** entity → its `affected` list. */
  readonly affected?: Readonly<Record<string, readonly string[]>>;
  /** Categories that must not occur at all. */
  readonly absentCategories?: readonly Finding['category'][];
}

export const AVENUE_CASES: readonly AvenueCase[] = [
  {
    probe: '21-multidim-array',
    title: 'flattened arrays and index types are normalisations; char, double, unsigned char are real',
    why:
      "pahole flattens `double m[4][4]` to one ARRAY nr_elems=16 and `short tri[2][2][2]` to nr_elems=8, with index type INT 'int'; " +
      "gcc nests ARRAYs with index 'long unsigned int'. pahole's 'char' is SIGNED, gcc's SIGNED|CHAR (bpftool prints UNKN for the " +
      "combination); 'unsigned char' (none) vs CHAR; 'double' INT (no --btf_gen_floats) vs FLOAT. gcc -gbtf writes `int grid[3][4]` " +
      'as ARRAY nr_elems=4 of ARRAY nr_elems=3 (bpftool: [4] -> [3]), i.e. the dimensions reversed; rendered faithfully as grid[4][3]. ' +
      'Root cause once: `double` differs in kind, struct matrix (its user) is affected, not re-reported.',
    rest: [
      "char |  | encoding | INT 'char' size=1 SIGNED | INT 'char' size=1 SIGNED|CHAR",
      "double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8",
      'struct matrix | m | array | double[16] | double[4][4] | flattened-array',
      'struct matrix | m | array | int | long unsigned int | array-index-type',
      'struct matrix | tri | array | int | long unsigned int | array-index-type',
      'struct matrix | tri | array | short int[8] | short int[2][2][2] | flattened-array',
      "unsigned char |  | encoding | INT 'unsigned char' size=1 (none) | INT 'unsigned char' size=1 CHAR",
    ],
    presenceOnlyRight: [
      "datasec .bss |  | only-right | absent | DATASEC '.bss' size=0 vlen=6",
      'var cube |  | only-right | absent | unsigned char cube[4][3][2]',
      'var grid |  | only-right | absent | int grid[4][3]',
      'var grid_row_ptr |  | only-right | absent | int (*grid_row_ptr)[4]',
      'var mat_var |  | only-right | absent | struct matrix mat_var',
      'var names |  | only-right | absent | char *names[5]',
      'var rows |  | only-right | absent | int rows[4][3]',
    ],
    affected: { double: ['struct matrix'] },
  },
  {
    probe: '02-char-signedness',
    title: 'the CHAR bit differs on all three char types',
    why:
      "pahole 'char' SIGNED, 'signed char' SIGNED, 'unsigned char' (none); gcc 'char' UNKN(=SIGNED|CHAR), 'signed char' " +
      "UNKN(=SIGNED|CHAR), 'unsigned char' CHAR. pahole's only array index type is INT 'int' (id 12), which gcc does not emit at " +
      'all. Arrays of chars use the index type too, but only in VARs that pahole lacks: no array finding.',
    rest: [
      "char |  | encoding | INT 'char' size=1 SIGNED | INT 'char' size=1 SIGNED|CHAR",
      "int |  | only-left | INT 'int' size=4 SIGNED | absent",
      "signed char |  | encoding | INT 'signed char' size=1 SIGNED | INT 'signed char' size=1 SIGNED|CHAR",
      "unsigned char |  | encoding | INT 'unsigned char' size=1 (none) | INT 'unsigned char' size=1 CHAR",
    ],
    affected: { char: ['struct chars', 'var plain_buf', 'var plain_c', 'var str_ptr'] },
    absentCategories: ['array'],
  },
  {
    probe: '05-floats',
    title: 'without --btf_gen_floats pahole writes floats as INT',
    why:
      "pahole INT 'float'/'double'/'long double' encoding=(none); gcc FLOAT of the same sizes. struct floats and func pick refer " +
      'to them by name and are only listed as affected.',
    rest: [
      "double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8",
      "float |  | kind | INT 'float' size=4 (none) | FLOAT 'float' size=4",
      "long double |  | kind | INT 'long double' size=16 (none) | FLOAT 'long double' size=16",
    ],
    affected: { float: ['func pick', 'struct floats', 'var f32'] },
  },
  {
    probe: '08-enum-unsigned',
    title: 'gcc drops the enumerators at and above 2^31',
    why: "pahole ENUM 'flags32' UNSIGNED vlen=4 (F_NONE, F_LOW, F_HIGH=2147483648, F_ALL=4294967295); gcc ENUM 'flags32' UNSIGNED vlen=2 (F_NONE, F_LOW only).",
    rest: [
      'enum flags32 | enumerator F_ALL | enum-value | F_ALL = 4294967295 | absent',
      'enum flags32 | enumerator F_HIGH | enum-value | F_HIGH = 2147483648 | absent',
    ],
  },
];

/**
 * Probes whose avenues agree: the bpftool dumps of both sides list the same
 * types, only in another order (and no globals, so no VAR/DATASEC); diffing
 * must find nothing, not even normalisations.
 */
export const AGREEING_PROBES = ['41-agree-plain-struct', '42-agree-typedef'] as const;

/** Probes whose avenues are each diffed against a renumbering of themselves. */
export const RENUMBERED_PROBES = ['17-anon-nested', '30-recursive', '49-const-arrays'] as const;

/** Assert one case on the two sides' BTF. */
export function expectAvenueCase(c: AvenueCase, pahole: Btf, gcc: Btf): void {
  const fs = diffBtf(pahole, gcc);
  expect(rest(fs), c.why).toEqual(c.rest);
  if (c.presenceOnlyRight) expect(presenceOnlyRight(fs)).toEqual(c.presenceOnlyRight);
  for (const [entity, affected] of Object.entries(c.affected ?? {})) expect(fs.find((f) => f.entity === entity)?.affected, entity).toEqual(affected);
  for (const cat of c.absentCategories ?? []) expect(fs.filter((f) => f.category === cat)).toEqual([]);
}
