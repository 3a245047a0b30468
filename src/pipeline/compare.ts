/**
 * The pure heart shared by `check` and `diff`: two decoded BTF graphs in,
 * classified findings (and the raw records behind them) out.
 */
import type { Btf } from '../btf/types.js';
import { type ClassifyContext, classifyFindings } from '../findings/classify.js';
import { diffBtf } from '../findings/diff.js';
import type { ClassifiedFinding } from '../findings/finding.js';
import { involvedTypesText } from '../report/involved-types.js';
import type { UnitResult } from '../report/run-result.js';
import { type JudgeInput, judgeFindings } from '../verdict/judge.js';

export interface Comparison {
  readonly findings: ClassifiedFinding[];
  /** bpftool-format records of each finding's entity per side (UnitResult.types); absent without findings. */
  readonly types?: UnitResult['types'];
}

/**
 * `judge`: what the DWARF verdicts and each side's own checks rest on (the
 * same compile's DWARF facts, the object's symbols and sections, each
 * side's blob bytes for the kernel's verifier); without it, findings carry
 * no verdict and no side is checked on its own.
 */
export function compareBtf(left: Btf, right: Btf, ctx: ClassifyContext, judge: JudgeInput = {}): Comparison {
  const judged = judgeFindings(diffBtf(left, right), { left, right }, { symbols: ctx.symbols, ...judge });
  // Rules may look at the records themselves (VAR linkage, DATASEC placement).
  const findings = classifyFindings(judged, { ...ctx, btf: { left, right } });
  if (findings.length === 0) return { findings };
  // No prototype: entity names are data (a base type may be called `__proto__`).
  const l: Record<string, string> = Object.create(null);
  const r: Record<string, string> = Object.create(null);
  for (const f of findings) {
    // One entry per entity: every finding of an entity names the same ids.
    if (!Object.hasOwn(l, f.entity)) l[f.entity] = involvedTypesText(left, f, 'left');
    if (!Object.hasOwn(r, f.entity)) r[f.entity] = involvedTypesText(right, f, 'right');
  }
  return { findings, types: { left: l, right: r } };
}
