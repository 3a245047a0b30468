/**
 * The flags the kernel's build passes to pahole, as data: which flags a
 * given kernel release's scripts (scripts/pahole-flags.sh from 5.17,
 * scripts/Makefile.btf from 6.7) pass for a given pahole version. The
 * `pahole-kernel` recipe picks the rows for the side's pahole version and
 * `--kernel-version` (default: the newest tree in the table). Pure.
 *
 * Each row mirrors one upstream change (the commit subject, and its hash
 * where one was read); `kernel` is the range of releases whose scripts
 * carry the row. Rows are cumulative like the scripts: every row whose
 * kernel range holds the tree and whose pahole range holds the version
 * contributes its flags, in table order.
 *
 * Within one tree the flags come in Makefile.btf's order (pahole-flags.sh
 * put --lang_exclude before the 1.25 pair; the order does not change what
 * pahole writes).
 *
 * Left out on purpose:
 * - `-j` (every tree since 5.18 passes it for pahole >= 1.22): with it,
 *   pahole 1.24 writes the types of a multi-unit object in an order that
 *   changes from run to run (measured on the host's 2 cores: `ld -r` of
 *   probes 21, 31 and 35, `pahole --btf_gen_floats -j`: 3 of 43 runs
 *   numbered the types differently, same 613 bytes otherwise; without
 *   `-j` 13 of 13 identical; sid's pahole 1.32 gave 4 of 4 identical). Reports carry raw type ids and the same input
 *   must give the same report; threads do not change what is encoded.
 * - rows for modules (`module: true`: `--btf_features=distilled_base`,
 *   6.11 until resolve_btfids took it over): a unit here is an object
 *   encoded on its own, not a module against a vmlinux base. They are in
 *   the table so that the table is the whole of what the kernel passes.
 *
 * - later trees' changes past NEWEST_KERNEL (`--btf_features=layout` for
 *   pahole >= 1.31, distilled base moved to resolve_btfids): not modelled
 *   yet; sid's pahole 1.32 has no `layout` feature.
 *
 * The release boundaries are the merge windows the commits landed in, as
 * far as they could be established from the kernel's history available
 * here (Makefile.btf and pahole-flags.sh as stored at two commits, patch
 * mails and commit pages; the full git history was too large to fetch, so
 * `git describe` of each commit was not run). The flags of each row are
 * the scripts' own text.
 */

/** One row: flags a range of kernel trees passes for a range of pahole versions. */
export interface PaholeFlagRow {
  /** Kernel releases whose scripts carry the row: `from` inclusive, `until` exclusive (absent: still there). */
  readonly kernel: { readonly from: string; readonly until?: string };
  /** pahole versions the row applies to, inclusive (`1.24`); an absent bound is open. */
  readonly pahole: { readonly min?: string; readonly max?: string };
  readonly flags: readonly string[];
  /** Only for modules (KBUILD_EXTMOD): never picked for a unit. */
  readonly module?: true;
  /** Only with the opt-in `pahole-all-vars` (not the kernel's: btfparity's addition). */
  readonly optIn?: 'all-vars';
  /** The upstream change the row mirrors. */
  readonly source: string;
}

const SH = 'scripts/pahole-flags.sh';
const MK = 'scripts/Makefile.btf';

export const PAHOLE_FLAG_ROWS: readonly PaholeFlagRow[] = [
  {
    kernel: { from: '5.17', until: '7.0' },
    pahole: { min: '1.18', max: '1.21' },
    flags: ['--skip_encoding_btf_vars'],
    source: `${SH} (kernel 5.17, "kbuild: Unify options for BTF generation for vmlinux and modules"): pahole 1.18-1.21 cannot handle zero-sized per-CPU variables; in ${MK} until 903922cfa0e6 ("lib/Kconfig.debug: Set the minimum required pahole version to v1.22")`,
  },
  {
    kernel: { from: '5.17', until: '6.8' },
    pahole: { min: '1.21' },
    flags: ['--btf_gen_floats'],
    source: `${SH} (kernel 5.17): --btf_gen_floats for pahole >= 1.21; ${MK} (6.7) the same`,
  },
  {
    kernel: { from: '6.8' },
    pahole: { min: '1.21', max: '1.25' },
    flags: ['--btf_gen_floats'],
    source: `${MK} (kernel 6.8, "kbuild,bpf: Switch to using --btf_features for pahole v1.26 and later"): the flag list stays for pahole <= 1.25`,
  },
  {
    kernel: { from: '6.3', until: '6.8' },
    pahole: { min: '1.25' },
    flags: ['--skip_encoding_btf_inconsistent_proto', '--btf_gen_optimized'],
    source: `${SH} (kernel 6.3, "bpf: Add --skip_encoding_btf_inconsistent_proto, --btf_gen_optimized to pahole flags for v1.25"); ${MK} (6.7) the same`,
  },
  {
    kernel: { from: '6.8' },
    pahole: { min: '1.25', max: '1.25' },
    flags: ['--skip_encoding_btf_inconsistent_proto', '--btf_gen_optimized'],
    source: `${MK} (kernel 6.8): these two only for pahole 1.25; 1.26 and later say it with --btf_features`,
  },
  {
    kernel: { from: '6.8', until: '6.11' },
    pahole: { min: '1.26' },
    flags: ['--btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func'],
    source: `${MK} (kernel 6.8, "kbuild,bpf: Switch to using --btf_features for pahole v1.26 and later")`,
  },
  {
    // A later patch moving decl_tag_kfuncs to >= 1.27 (where pahole has it) was posted; the 7.0-era
    // docs commit 9edd04c4189e still describes Makefile.btf passing it for >= 1.26, so that is kept.
    // pahole 1.26 ignores a feature it does not know.
    kernel: { from: '6.11' },
    pahole: { min: '1.26' },
    flags: ['--btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs'],
    source: `${MK} (kernel 6.11, ebb79e96f1ea "kbuild: bpf: Tell pahole to DECL_TAG kfuncs"): decl_tag_kfuncs appended, for >= 1.26`,
  },
  {
    kernel: { from: '6.16' },
    pahole: { min: '1.30' },
    flags: ['--btf_features=attributes'],
    source: `${MK} (kernel 6.16): --btf_features=attributes for pahole >= 1.30 (BPF arena and other type attributes as DECL_TAG/TYPE_TAG with kind_flag)`,
  },
  {
    kernel: { from: '6.11' },
    pahole: { min: '1.28' },
    flags: ['--btf_features=distilled_base'],
    module: true,
    source: `${MK} (kernel 6.11, 46fb0b62ea29 "kbuild,bpf: Add module-specific pahole flags for distilled base BTF"): external modules get a distilled base`,
  },
  {
    kernel: { from: '6.2' },
    pahole: { min: '1.24' },
    flags: ['--lang_exclude=rust'],
    source: `${SH} (kernel 6.2, "btf, scripts: Exclude Rust CUs with pahole"; ${MK}: CONFIG_PAHOLE_HAS_LANG_EXCLUDE, pahole >= 1.24)`,
  },
  {
    kernel: { from: '5.17' },
    pahole: { min: '1.28' },
    flags: ['--btf_features=global_var'],
    optIn: 'all-vars',
    source: 'btfparity, not the kernel: pahole 1.28 added global_var (a VAR for every global variable, not only per-CPU ones)',
  },
];

/** The newest kernel tree the table knows (the default of `--kernel-version`). */
export const NEWEST_KERNEL = '6.16';

/** `1.24`, `v1.24`, `6.8`, `6.8.1` → [major, minor]; undefined when it does not start so. */
export function majorMinor(text: string): readonly [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The pahole version in its `--version` line (`v1.24`), as `1.24`; undefined when there is none. */
export function paholeVersionOf(versionLine: string | undefined): string | undefined {
  const m = versionLine !== undefined ? /v?(\d+\.\d+)/.exec(versionLine) : null;
  return m ? m[1] : undefined;
}

function cmp(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function within(v: readonly [number, number], min: string | undefined, max: string | undefined, maxExclusive: boolean): boolean {
  const lo = min !== undefined ? majorMinor(min) : undefined;
  const hi = max !== undefined ? majorMinor(max) : undefined;
  if (lo && cmp(v, lo) < 0) return false;
  if (hi && (maxExclusive ? cmp(v, hi) >= 0 : cmp(v, hi) > 0)) return false;
  return true;
}

export interface KernelFlagQuery {
  /** `1.24` (or pahole's `v1.24`). */
  readonly pahole: string;
  /** `6.8`; default NEWEST_KERNEL. */
  readonly kernel?: string;
  /** Include the opt-in rows (`pahole-all-vars`). */
  readonly allVars?: boolean;
}

/** The rows that apply, in table order; a version that does not parse is undefined (the caller says which). */
export function kernelFlagRows(q: KernelFlagQuery, rows: readonly PaholeFlagRow[] = PAHOLE_FLAG_ROWS): PaholeFlagRow[] | undefined {
  const pahole = majorMinor(q.pahole);
  const kernel = majorMinor(q.kernel ?? NEWEST_KERNEL);
  if (!pahole || !kernel) return undefined;
  return rows.filter(
    (r) =>
      r.module !== true &&
      (r.optIn === undefined || q.allVars === true) &&
      within(kernel, r.kernel.from, r.kernel.until, true) &&
      within(pahole, r.pahole.min, r.pahole.max, false),
  );
}

/** The flags of those rows, concatenated. */
export function kernelPaholeFlags(q: KernelFlagQuery, rows: readonly PaholeFlagRow[] = PAHOLE_FLAG_ROWS): string[] | undefined {
  return kernelFlagRows(q, rows)?.flatMap((r) => r.flags);
}
