/**
 * Classification: every finding gets a status.
 *
 * - equivalent: the diff engine named a normalisation (the representations
 *   differ but mean the same); reason = the normalisation's name;
 * - known: a rule (data, see rules-schema.ts and rules/known-divergences.json)
 *   explains it; reason = rule id, plus the rule's explanation and reference;
 * - unexplained: everything else.
 *
 * A normalisation wins over a rule: "means the same" is a stronger statement
 * than "is a known difference".
 */
import { type ClassifiedFinding, type Finding, SELF_CATEGORIES } from './finding.js';
import { type RuleContext, RuleIndex } from './rule-index.js';
import { firstMatchingRule } from './rules-match.js';
import type { Rule } from './rules-schema.js';

/** What classification looks at besides the finding: what rules may condition on, and the rules. */
export interface ClassifyContext extends RuleContext {
  /**
   * Known-divergence rules, in priority order (first match wins). Absent or
   * empty: nothing is `known`. The CLI loads rules/known-divergences.json
   * (see rules-file.ts) unless told otherwise.
   */
  readonly rules?: readonly Rule[];
}

/** One finding's status; `index` is the context's, built once for all the findings of a unit. */
export function classifyFinding(f: Finding, ctx: ClassifyContext, index: RuleIndex = new RuleIndex(ctx)): ClassifiedFinding {
  // A side's own defect (the kernel refuses it, or it contradicts its own object) is never equivalent nor known.
  if (SELF_CATEGORIES.includes(f.category)) return { ...f, status: 'unexplained' };
  if (f.normalisation) return { ...f, status: 'equivalent', reason: f.normalisation };
  const rule = ctx.rules ? firstMatchingRule(ctx.rules, f, index) : undefined;
  if (rule) {
    return {
      ...f,
      status: 'known',
      reason: rule.id,
      explanation: rule.explanation,
      ...(rule.reference !== undefined ? { reference: rule.reference } : {}),
      ...(rule.source !== undefined ? { ruleSource: rule.source } : {}),
    };
  }
  return { ...f, status: 'unexplained' };
}

export function classifyFindings(findings: readonly Finding[], ctx: ClassifyContext): ClassifiedFinding[] {
  const index = new RuleIndex(ctx);
  return findings.map((f) => classifyFinding(f, ctx, index));
}
