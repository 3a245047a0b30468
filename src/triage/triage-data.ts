/**
 * The facts of a triage report, independent of format: the check run,
 * each entity with findings as both sides encode it, what DWARF says, and
 * the reduced reproducers. report.md (triage/report-md.ts) and report.html
 * (triage/report-html.ts) render this object and nothing else. Types only.
 */
import type { ClassifiedFinding } from '../findings/finding.js';
import type { RunResult } from '../report/run-result.js';
import type { Target } from './candidate.js';
import type { DwarfVerdict } from './dwarf.js';
import type { SideView } from './layout.js';
import type { ReduceStats } from './reduce.js';

export interface TriageFinding {
  readonly key: string;
  readonly finding: ClassifiedFinding;
  /** Set when the compiler's DWARF settles which side departs. */
  readonly dwarf?: DwarfVerdict;
}

/** One entity of one unit with all its findings and both sides' view of it. */
export interface TriageEntity {
  readonly unit: string;
  readonly entity: string;
  readonly left?: SideView;
  readonly right?: SideView;
  readonly findings: readonly TriageFinding[];
}

export interface TriageReproducer {
  readonly unit: string;
  readonly target: Target;
  /** File name inside the output directory (`repro-1.c`); its commands are in the `.sh` beside it. */
  readonly file: string;
  readonly text: string;
  readonly commands: readonly string[];
  readonly stats: ReduceStats;
}

export interface TriageReport {
  readonly run: RunResult;
  readonly entities: readonly TriageEntity[];
  readonly reproducers: readonly TriageReproducer[];
  /** The --max-reduce cap, and targets it (or a failed reduction) left unreduced, with why. */
  readonly maxReduce: number;
  readonly notReduced: readonly { readonly unit: string; readonly target: Target; readonly why: string }[];
  /** How DWARF was read (argv), or why it was not. */
  readonly dwarf: { readonly argv?: readonly string[]; readonly note?: string };
}
