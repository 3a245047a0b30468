/**
 * The pure heart shared by `check` and `diff`: two decoded BTF graphs in,
 * classified findings out.
 */
import type { Btf } from '../btf/types.js';
import { type ClassifyContext, classifyFindings } from '../findings/classify.js';
import type { ClassifiedFinding } from '../findings/finding.js';
import { diffBtf } from '../findings/diff.js';

export function compareBtf(left: Btf, right: Btf, ctx: ClassifyContext): ClassifiedFinding[] {
  return classifyFindings(diffBtf(left, right), ctx);
}
