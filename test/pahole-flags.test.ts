/**
 * The kernel's pahole flags as data (src/recipe/pahole-flags.ts). The
 * oracle is the kernel's own scripts, quoted here by what they say:
 * - scripts/Makefile.btf as of 6.8 (torvalds/linux, read for this test):
 *   pahole <= 1.25: --btf_gen_floats (>= 1.21), -j (>= 1.22), the 1.25
 *   pair only for 1.25; >= 1.26: `-j --btf_features=encode_force,var,
 *   float,enum64,decl_tag,type_tag,optimized_func,consistent_func`;
 *   --lang_exclude=rust under CONFIG_PAHOLE_HAS_LANG_EXCLUDE (>= 1.24).
 * - 6.11 (ebb79e96f1ea) appending decl_tag_kfuncs to the >= 1.26 list
 *   (still so per the 7.0-era docs commit 9edd04c4189e: "Makefile.btf
 *   passes --btf_features=decl_tag_kfuncs to pahole only when pahole >=
 *   1.26"), and `--btf_features=attributes` for >= 1.30 (6.16).
 * - scripts/pahole-flags.sh before 6.7: --btf_gen_floats >= 1.21,
 *   -j >= 1.22, --lang_exclude=rust >= 1.24, and >= 1.25
 *   `--skip_encoding_btf_inconsistent_proto --btf_gen_optimized`.
 * -j is left out everywhere (the table's comment says why).
 */
import { describe, expect, it } from 'vitest';
import { kernelPaholeFlags, majorMinor, NEWEST_KERNEL, PAHOLE_FLAG_ROWS, paholeVersionOf } from '../src/recipe/pahole-flags.js';

const FEATURES_126 = '--btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func';

describe('row selection by pahole version, newest tree', () => {
  it('1.24 (Debian 12): floats and the Rust exclusion', () => {
    expect(kernelPaholeFlags({ pahole: '1.24' })).toEqual(['--btf_gen_floats', '--lang_exclude=rust']);
  });
  it('1.25: the flag list plus the 1.25 pair', () => {
    expect(kernelPaholeFlags({ pahole: '1.25' })).toEqual([
      '--btf_gen_floats',
      '--skip_encoding_btf_inconsistent_proto',
      '--btf_gen_optimized',
      '--lang_exclude=rust',
    ]);
  });
  it('1.26: --btf_features with decl_tag_kfuncs (the 6.11 list)', () => {
    expect(kernelPaholeFlags({ pahole: '1.26' })).toEqual([`${FEATURES_126},decl_tag_kfuncs`, '--lang_exclude=rust']);
  });
  it('1.28 and 1.30 (trixie): the same list, then attributes from 1.30; never distilled_base (modules only)', () => {
    expect(kernelPaholeFlags({ pahole: '1.28' })).toEqual([`${FEATURES_126},decl_tag_kfuncs`, '--lang_exclude=rust']);
    expect(kernelPaholeFlags({ pahole: 'v1.30' })).toEqual([`${FEATURES_126},decl_tag_kfuncs`, '--btf_features=attributes', '--lang_exclude=rust']);
  });
  it('1.32 (sid) as 1.30; the all-vars opt-in adds global_var last', () => {
    const plain = kernelPaholeFlags({ pahole: '1.32' });
    expect(plain).toEqual(kernelPaholeFlags({ pahole: '1.30' }));
    expect(kernelPaholeFlags({ pahole: '1.32', allVars: true })).toEqual([...(plain ?? []), '--btf_features=global_var']);
    expect(kernelPaholeFlags({ pahole: '1.27', allVars: true })).not.toContain('--btf_features=global_var'); // global_var is pahole 1.28's
  });
  it('never -j, in any tree for any version', () => {
    for (const r of PAHOLE_FLAG_ROWS) expect(r.flags.some((f) => /^-j/.test(f))).toBe(false);
  });
});

describe('row selection by kernel tree', () => {
  it('6.5 (pahole-flags.sh) gives pahole 1.25 its pair and 1.26 the same flags (no --btf_features yet)', () => {
    const sh = ['--btf_gen_floats', '--skip_encoding_btf_inconsistent_proto', '--btf_gen_optimized', '--lang_exclude=rust'];
    expect(kernelPaholeFlags({ pahole: '1.25', kernel: '6.5' })).toEqual(sh);
    expect(kernelPaholeFlags({ pahole: '1.26', kernel: '6.5' })).toEqual(sh);
  });
  it('6.1: no Rust exclusion yet; 6.11 appends decl_tag_kfuncs for 1.26', () => {
    expect(kernelPaholeFlags({ pahole: '1.24', kernel: '6.1' })).toEqual(['--btf_gen_floats']);
    expect(kernelPaholeFlags({ pahole: '1.26', kernel: '6.11' })).toEqual([`${FEATURES_126},decl_tag_kfuncs`, '--lang_exclude=rust']);
  });
  it('6.8: attributes not yet, even for pahole 1.32', () => {
    expect(kernelPaholeFlags({ pahole: '1.32', kernel: '6.8' })).toEqual([FEATURES_126, '--lang_exclude=rust']);
  });
  it('the default tree is the newest', () => {
    expect(kernelPaholeFlags({ pahole: '1.30' })).toEqual(kernelPaholeFlags({ pahole: '1.30', kernel: NEWEST_KERNEL }));
  });
  it('versions that do not parse give undefined', () => {
    expect(kernelPaholeFlags({ pahole: 'x' })).toBeUndefined();
    expect(kernelPaholeFlags({ pahole: '1.24', kernel: 'six' })).toBeUndefined();
  });
});

describe('version text', () => {
  it("reads pahole's `--version` line and kernel releases", () => {
    expect(paholeVersionOf('v1.24')).toBe('1.24');
    expect(paholeVersionOf(undefined)).toBeUndefined();
    expect(majorMinor('6.8.12')).toEqual([6, 8]);
    expect(majorMinor('v1.30')).toEqual([1, 30]);
  });
  it('every row names its upstream source', () => {
    for (const r of PAHOLE_FLAG_ROWS) expect(r.source.length).toBeGreaterThan(20);
  });
});
