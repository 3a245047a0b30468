/**
 * Reading the kernel verifier's answer next to the lint's: whether the
 * last log line carries the same reason as the lint's first rejection.
 * Pure (the answer itself comes from src/witness/kernel-load.ts).
 */
import type { LintResult } from './types.js';

/** The kernel's answer as far as this comparison needs it. */
export interface KernelAnswer {
  readonly accepted: boolean;
  readonly errno?: number;
  readonly log: readonly string[];
}

/** The verifier's reason: its last log line, and the type id it names ("[N] KIND name ..."), if any. */
export function kernelReason(answer: KernelAnswer): { typeId?: number; text: string } {
  const text = answer.log.length ? answer.log[answer.log.length - 1] : '';
  const m = /^\[(\d+)\] /.exec(text);
  return m ? { typeId: Number(m[1]), text } : { text };
}

const E2BIG = 7;
const EINVAL = 22;

/**
 * Whether the kernel gave the lint's first reason: same verdict, the last
 * log line ends with the rule's message, and names the same type when it
 * names one. Rules the kernel logs nothing for compare their errno.
 */
export function reasonAgrees(lint: LintResult, kernel: KernelAnswer): boolean {
  if (lint.accepted || kernel.accepted) return lint.accepted === kernel.accepted;
  const first = lint.rejections[0];
  if (first.rule === 'too-large') return kernel.errno === E2BIG;
  if (first.rule === 'modifier-target') return kernel.errno === EINVAL;
  const reason = kernelReason(kernel);
  if (!reason.text.endsWith(first.message)) return false;
  return reason.typeId === undefined || reason.typeId === first.typeId;
}
