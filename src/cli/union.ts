/**
 * Whole-binary mode of `diff` (`--union-right`): a linked binary's BTF
 * (e.g. pahole's encoding of a vmlinux-like ELF, or a raw BTF file) against
 * the union of the compiler-emitted BTF of the objects it was linked from.
 * Every blob of every object counts (an object or archive may carry
 * several); duplicates across objects stay in the merged graph and the
 * canonical form collapses identical definitions, so each type shows up
 * once in the findings.
 */
import type { LoadedBtf } from '../btf/load.js';
import type { Btf } from '../btf/types.js';
import { mergeBtfs } from '../btf/merge.js';
import { InputError } from '../errors.js';
import { loadBtfFile } from './input.js';

export interface RightSide {
  readonly btf: Btf;
  /** How reports name it. */
  readonly name: string;
}

/** The right side of `diff`: one file's first blob, or with `union` every blob of every file merged. */
export function loadRightSide(
  files: readonly string[],
  union: boolean,
  base: string | undefined,
  onlyBlob: (file: string, loaded: LoadedBtf) => Btf,
): RightSide {
  if (!union) {
    if (files.length !== 1) throw new InputError(`diff takes one right file, got ${files.length} (merge several with --union-right)`, { file: files[1] });
    return { btf: onlyBlob(files[0], loadBtfFile(files[0], base)), name: files[0] };
  }
  if (base !== undefined) throw new InputError('--union-right merges standalone BTF; it cannot be split over a base', { option: '--base-right' });
  const blobs = files.flatMap((f) => loadBtfFile(f).blobs);
  const name = files.length === 1 ? files[0] : `union of ${files.length} files (${files.join(' ')})`;
  return { btf: mergeBtfs(blobs), name };
}
