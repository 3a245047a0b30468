/**
 * What `lint` answers for one BTF blob. Shaped so that a `rejected`
 * finding can be made from a rejection without looking anything up: the
 * type, its kind and name, the rule and the kernel's message, and for a
 * member, parameter, enum value or DATASEC entry its index.
 */
import type { LintRuleId } from './rules.js';

export interface LintRejection {
  /** Type id in the blob's id space (split BTF continues the base's); absent for header and section rules. */
  readonly typeId?: number;
  /** BTF kind name (INT, STRUCT, ...), 'UNKN' for an invalid kind code; absent for header rules. */
  readonly kind?: string;
  /** The type's name, '' when anonymous; absent when its name offset is itself invalid. */
  readonly name?: string;
  readonly rule: LintRuleId;
  /** The kernel's log text for this rule, with its values filled in. */
  readonly message: string;
  /** 0-based index of the member, parameter, enum value or DATASEC entry the rule is about. */
  readonly component?: number;
}

export interface LintResult {
  readonly accepted: boolean;
  /**
   * In the kernel's order. The kernel stops at the first; the lint goes on
   * where it can (every type's own checks; every type's resolution), so
   * rejections[0] is the kernel's reason and the rest are more of the same blob's problems.
   */
  readonly rejections: readonly LintRejection[];
}

export interface LintOptions {
  /**
   * Split BTF: the base blob's bytes (e.g. /sys/kernel/btf/vmlinux). The
   * blob is then checked as the kernel checks module BTF (header, strings,
   * per-type checks and type-tag chains; no resolution pass), plus libbpf's
   * check that every referenced type id exists.
   */
  readonly base?: Uint8Array;
  /**
   * Byte order of the kernel that loads the blob. Default: the blob's own
   * (as a kernel of that byte order reads it); 'little' lints as this
   * x86-64 kernel sees any blob, so a big-endian one has an invalid magic.
   */
  readonly kernelByteOrder?: 'little' | 'big';
}
