/**
 * Classification: every finding gets a status.
 *
 * - equivalent: the diff engine named a normalisation (the representations
 *   differ but mean the same); reason = the normalisation's name;
 * - known: a rule (data, see rules.ts and rules/known-divergences.json)
 *   explains it; reason = rule id, plus the rule's explanation and reference;
 * - unexplained: everything else.
 *
 * A normalisation wins over a rule: "means the same" is a stronger statement
 * than "is a known difference".
 */
import type { ElfSymbol } from '../artifact/elf.js';
import type { Btf } from '../btf/types.js';
import type { ToolInfo } from '../recipe/tools.js';
import type { ClassifiedFinding, Finding } from './finding.js';
import { firstMatchingRule, type Rule } from './rules.js';

/** What a rule may condition on, besides the finding itself. */
export interface ClassifyContext {
  /** Recipe names of the two sides, e.g. `pahole` and `gcc-btf`. */
  readonly leftRecipe: string;
  readonly rightRecipe: string;
  /** Tools and versions used in the run. */
  readonly tools: readonly ToolInfo[];
  /** Symbol table of the unit's compiled object (explains presence differences); absent when unknown. */
  readonly symbols?: readonly ElfSymbol[];
  /**
   * The two graphs the findings were diffed from (left, right). Rules with
   * record conditions (VAR/FUNC linkage, DATASEC placement) need them; absent:
   * such rules never match.
   */
  readonly btf?: { readonly left: Btf; readonly right: Btf };
  /**
   * Known-divergence rules, in priority order (first match wins). Absent or
   * empty: nothing is `known`. The CLI loads rules/known-divergences.json
   * (see rules-file.ts) unless told otherwise.
   */
  readonly rules?: readonly Rule[];
}

export function classifyFinding(f: Finding, ctx: ClassifyContext): ClassifiedFinding {
  if (f.normalisation) return { ...f, status: 'equivalent', reason: f.normalisation };
  const rule = ctx.rules ? firstMatchingRule(ctx.rules, f, ctx) : undefined;
  if (rule) {
    return {
      ...f,
      status: 'known',
      reason: rule.id,
      explanation: rule.explanation,
      ...(rule.reference !== undefined ? { reference: rule.reference } : {}),
    };
  }
  return { ...f, status: 'unexplained' };
}

export function classifyFindings(findings: readonly Finding[], ctx: ClassifyContext): ClassifiedFinding[] {
  return findings.map((f) => classifyFinding(f, ctx));
}
