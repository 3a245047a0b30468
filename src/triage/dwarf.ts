/**
 * The DWARF verdict as the triage report words it. The verdict itself is
 * the finding's (src/verdict, computed by `check` from the same compile's
 * DWARF), so the report shows exactly what the check decided: a finding is
 * `equivalent` only when neither side departs from the DWARF (judge.ts
 * revokes a normalisation the DWARF contradicts), and the report never
 * shows a departure beside a green status. Pure.
 */
import type { ClassifiedFinding } from '../findings/finding.js';

export type SideAgreement = 'matches' | 'departs';

export interface DwarfVerdict {
  /** The DWARF fact, quoted: `DW_TAG_subrange_type upper_bound 1, upper_bound 2 (int[2][3])`. */
  readonly says: string;
  readonly left: SideAgreement;
  readonly right: SideAgreement;
}

/** The finding's verdict in the report's words; undefined when the DWARF does not settle it. */
export function triageVerdict(f: ClassifiedFinding): DwarfVerdict | undefined {
  const v = f.verdict;
  if (!v) return undefined;
  const departs = (side: 'left' | 'right'): SideAgreement => (v.departs === side || v.departs === 'both' ? 'departs' : 'matches');
  return { says: v.dwarf, left: departs('left'), right: departs('right') };
}

/** `DWARF says X; left matches, right departs`. */
export function verdictSentence(v: DwarfVerdict): string {
  return `DWARF says ${v.says}; left ${v.left}, right ${v.right}`;
}
