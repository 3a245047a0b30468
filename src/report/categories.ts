/**
 * One-line descriptions of the finding categories and statuses, for report
 * formats that carry rule metadata (SARIF driver rules, markdown legend).
 * Mirrors the comments on CATEGORIES in src/findings/finding.ts.
 */
import type { Category } from '../findings/finding.js';

export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  'only-left': 'The entity exists only on the left side.',
  'only-right': 'The entity exists only on the right side.',
  kind: 'Same name, different BTF kind (e.g. INT vs FLOAT, STRUCT vs FWD).',
  size: 'Byte size of a type differs.',
  encoding: 'INT encoding bits (CHAR, BOOL) or bit width differ.',
  signedness: 'Signedness of an INT or ENUM differs.',
  bitfield: 'Bitfield width or bitfield-ness of a member differs.',
  offset: "A member's bit offset differs.",
  members: 'Member lists differ: a member missing on one side, names or order differ.',
  'member-type': 'A member (or element, or target) refers to a different type.',
  array: 'Array shape differs: dimensions, element counts, index type.',
  'enum-value': "An enumerator's value differs, or an enumerator is missing.",
  linkage: 'FUNC or VAR linkage differs (static/global/extern).',
  proto: 'A function prototype differs: return type, parameter count, parameter types, variadic.',
  datasec: 'DATASEC layout or membership differs.',
  tag: 'DECL_TAG or TYPE_TAG annotations differ.',
  qualifier: 'Qualifiers (const/volatile/restrict) differ on a referenced type.',
  rejected: "One side's BTF would be refused by the kernel (BPF_BTF_LOAD), at the offending entity; never classified by a rule.",
  'self-inconsistent':
    "One side's BTF disagrees with its own object (a VAR/DATASEC for a symbol or section the object lacks, duplicate VARs/FUNCs, an ARRAY indexed by void, section lengths); never classified by a rule.",
};
