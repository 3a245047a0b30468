/**
 * diffBtf on real BTF from both avenues, built here with the installed
 * toolchain: (A) `gcc -g -c` + `pahole --btf_encode_detached`, (B)
 * `gcc -gbtf -c`. Each expected finding was checked against
 * `bpftool btf dump file` of both sides (gcc 12.2, pahole 1.24); the
 * comment above each list says what the dumps show.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBtf } from '../src/btf/load.js';
import type { Btf } from '../src/btf/types.js';
import { canonicalize, dumpCanonical } from '../src/canonical/graph.js';
import { diffBtf } from '../src/findings/diff.js';
import type { Finding } from '../src/findings/finding.js';
import { renumber, seededPermutation } from './helpers/btf-transform.js';

const PROBES = join(import.meta.dirname, '..', 'corpus', 'probes');
const have = (tool: string): boolean => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const toolchain = have('gcc') && have('pahole');
if (!toolchain) console.warn('skipping avenue diff tests: gcc or pahole not installed');

const dir = mkdtempSync(join(tmpdir(), 'btfparity-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Both avenues' BTF for one probe. */
function avenues(probe: string): { pahole: Btf; gcc: Btf } {
  const src = join(PROBES, `${probe}.c`);
  const dwarf = join(dir, `${probe}.dwarf.o`);
  const detached = join(dir, `${probe}.pahole.btf`);
  const gccObj = join(dir, `${probe}.gcc-btf.o`);
  execFileSync('gcc', ['-g', '-c', src, '-o', dwarf]);
  execFileSync('pahole', [`--btf_encode_detached=${detached}`, dwarf]);
  execFileSync('gcc', ['-gbtf', '-c', src, '-o', gccObj]);
  return { pahole: loadBtf(readFileSync(detached)).blobs[0], gcc: loadBtf(readFileSync(gccObj)).blobs[0] };
}

const brief = (fs: readonly Finding[]): string[] =>
  fs.map((f) => [f.entity, f.path, f.category, f.left, f.right, ...(f.normalisation ? [f.normalisation] : [])].join(' | '));

/**
 * Findings every probe shows because pahole 1.24 emits no VAR/DATASEC for
 * globals of a .o while gcc -gbtf does: `var X` and `datasec S` only-right.
 */
const presenceOnlyRight = (fs: readonly Finding[]): string[] =>
  brief(fs.filter((f) => f.category === 'only-right' && (f.entity.startsWith('var ') || f.entity.startsWith('datasec '))));
const rest = (fs: readonly Finding[]): string[] =>
  brief(fs.filter((f) => !(f.category === 'only-right' && (f.entity.startsWith('var ') || f.entity.startsWith('datasec ')))));

describe.skipIf(!toolchain)('diffBtf: pahole avenue (left) vs gcc -gbtf (right)', () => {
  it('21-multidim-array: flattened arrays and index types are normalisations; char, double, unsigned char are real', () => {
    const { pahole, gcc } = avenues('21-multidim-array');
    const fs = diffBtf(pahole, gcc);
    // bpftool: pahole flattens `double m[4][4]` to one ARRAY nr_elems=16 and `short tri[2][2][2]` to
    // nr_elems=8, with index type INT 'int'; gcc nests ARRAYs with index 'long unsigned int'.
    // pahole's 'char' is SIGNED, gcc's SIGNED|CHAR (bpftool prints UNKN for the combination);
    // 'unsigned char' (none) vs CHAR; 'double' INT (no --btf_gen_floats) vs FLOAT.
    expect(rest(fs)).toEqual([
      "char |  | encoding | INT 'char' size=1 SIGNED | INT 'char' size=1 SIGNED|CHAR",
      "double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8",
      'struct matrix | m | array | double[16] | double[4][4] | flattened-array',
      'struct matrix | m | array | int | long unsigned int | array-index-type',
      'struct matrix | tri | array | int | long unsigned int | array-index-type',
      'struct matrix | tri | array | short int[8] | short int[2][2][2] | flattened-array',
      "unsigned char |  | encoding | INT 'unsigned char' size=1 (none) | INT 'unsigned char' size=1 CHAR",
    ]);
    // gcc -gbtf writes `int grid[3][4]` as ARRAY nr_elems=4 of ARRAY nr_elems=3 (bpftool: [4] -> [3]),
    // i.e. the dimensions reversed; rendered faithfully as grid[4][3].
    expect(presenceOnlyRight(fs)).toEqual([
      "datasec .bss |  | only-right | absent | DATASEC '.bss' size=0 vlen=6",
      'var cube |  | only-right | absent | unsigned char cube[4][3][2]',
      'var grid |  | only-right | absent | int grid[4][3]',
      'var grid_row_ptr |  | only-right | absent | int (*grid_row_ptr)[4]',
      'var mat_var |  | only-right | absent | struct matrix mat_var',
      'var names |  | only-right | absent | char *names[5]',
      'var rows |  | only-right | absent | int rows[4][3]',
    ]);
    // Root cause once: `double` differs in kind, struct matrix (its user) is affected, not re-reported.
    expect(fs.find((f) => f.entity === 'double')?.affected).toEqual(['struct matrix']);
  });

  it('02-char-signedness: the CHAR bit differs on all three char types', () => {
    const { pahole, gcc } = avenues('02-char-signedness');
    const fs = diffBtf(pahole, gcc);
    // bpftool: pahole 'char' SIGNED, 'signed char' SIGNED, 'unsigned char' (none);
    // gcc 'char' UNKN(=SIGNED|CHAR), 'signed char' UNKN(=SIGNED|CHAR), 'unsigned char' CHAR.
    // pahole's only array index type is INT 'int' (id 12), which gcc does not emit at all.
    expect(rest(fs)).toEqual([
      "char |  | encoding | INT 'char' size=1 SIGNED | INT 'char' size=1 SIGNED|CHAR",
      "int |  | only-left | INT 'int' size=4 SIGNED | absent",
      "signed char |  | encoding | INT 'signed char' size=1 SIGNED | INT 'signed char' size=1 SIGNED|CHAR",
      "unsigned char |  | encoding | INT 'unsigned char' size=1 (none) | INT 'unsigned char' size=1 CHAR",
    ]);
    expect(fs.find((f) => f.entity === 'char')?.affected).toEqual(['struct chars', 'var plain_buf', 'var plain_c', 'var str_ptr']);
    // Arrays of chars use the index type too, but only in VARs that pahole lacks: no array finding.
    expect(fs.filter((f) => f.category === 'array')).toEqual([]);
  });

  it('05-floats: without --btf_gen_floats pahole writes floats as INT', () => {
    const { pahole, gcc } = avenues('05-floats');
    const fs = diffBtf(pahole, gcc);
    // bpftool: pahole INT 'float'/'double'/'long double' encoding=(none); gcc FLOAT of the same sizes.
    // struct floats and func pick refer to them by name and are only listed as affected.
    expect(rest(fs)).toEqual([
      "double |  | kind | INT 'double' size=8 (none) | FLOAT 'double' size=8",
      "float |  | kind | INT 'float' size=4 (none) | FLOAT 'float' size=4",
      "long double |  | kind | INT 'long double' size=16 (none) | FLOAT 'long double' size=16",
    ]);
    expect(fs.find((f) => f.entity === 'float')?.affected).toEqual(['func pick', 'struct floats', 'var f32']);
  });

  it('08-enum-unsigned: gcc drops the enumerators at and above 2^31', () => {
    const { pahole, gcc } = avenues('08-enum-unsigned');
    // bpftool: pahole ENUM 'flags32' UNSIGNED vlen=4 (F_NONE, F_LOW, F_HIGH=2147483648, F_ALL=4294967295);
    // gcc ENUM 'flags32' UNSIGNED vlen=2 (F_NONE, F_LOW only).
    expect(rest(diffBtf(pahole, gcc))).toEqual([
      'enum flags32 | enumerator F_ALL | enum-value | F_ALL = 4294967295 | absent',
      'enum flags32 | enumerator F_HIGH | enum-value | F_HIGH = 2147483648 | absent',
    ]);
  });

  it.each(['41-agree-plain-struct', '42-agree-typedef'])('%s: the avenues agree (no findings at all)', (probe) => {
    const { pahole, gcc } = avenues(probe);
    // bpftool dumps of both sides list the same types, only in another order (and 41/42 have no
    // globals, so no VAR/DATASEC); diffing must therefore find nothing, not even normalisations.
    expect(diffBtf(pahole, gcc)).toEqual([]);
    expect(dumpCanonical(canonicalize(pahole))).toBe(dumpCanonical(canonicalize(gcc)));
  });

  it('finds nothing between an avenue and a renumbering of itself', () => {
    for (const probe of ['17-anon-nested', '30-recursive', '49-const-arrays']) {
      const { pahole, gcc } = avenues(probe);
      for (const btf of [pahole, gcc]) {
        const r = renumber(btf, seededPermutation(btf.types.length, 7));
        expect(diffBtf(btf, r)).toEqual([]);
        expect(dumpCanonical(canonicalize(r))).toBe(dumpCanonical(canonicalize(btf)));
      }
    }
  });
});
