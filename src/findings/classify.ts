/**
 * Classification: every finding gets a status (equivalent / known / unexplained).
 * STUB — being written (issue 4). Signature is fixed; implementation pending.
 */
import type { ElfSymbol } from '../artifact/elf.js';
import type { ToolInfo } from '../report/run-result.js';
import type { ClassifiedFinding, Finding } from './finding.js';

/** What a rule may condition on, besides the finding itself. */
export interface ClassifyContext {
  /** Recipe names of the two sides, e.g. `pahole` and `gcc-btf`. */
  readonly leftRecipe: string;
  readonly rightRecipe: string;
  /** Tools and versions used in the run. */
  readonly tools: readonly ToolInfo[];
  /** Symbol table of the unit's compiled object (explains presence differences); absent when unknown. */
  readonly symbols?: readonly ElfSymbol[];
}

export function classifyFindings(findings: readonly Finding[], _ctx: ClassifyContext): ClassifiedFinding[] {
  return findings.map((f) => ({ ...f, status: f.normalisation ? 'equivalent' : 'unexplained', reason: f.normalisation }));
}
